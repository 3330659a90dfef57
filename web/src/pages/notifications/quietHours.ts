/** Quiet hours as the API keeps them (API.md "Notifications"): two local times `HH:MM` in the
 * customer's time zone, the window [start, end), running over midnight when start is after end
 * (22:00-07:00). During it only the inbox is written; email and SMS wait until it ends. */
export interface QuietHours {
  start: string;
  end: string;
}

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** What is wrong with a window the customer entered, if anything (the API refuses both with a 400). */
export function quietHoursProblem(quiet: QuietHours): "invalid" | "same" | null {
  if (!HH_MM.test(quiet.start) || !HH_MM.test(quiet.end)) {
    return "invalid";
  }
  return quiet.start === quiet.end ? "same" : null;
}

/** "07:30" -> 450. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

export function crossesMidnight(quiet: QuietHours): boolean {
  return minutesOf(quiet.start) > minutesOf(quiet.end);
}

/** The minute of the day at `instant` on the clocks of `timeZone`. */
export function localMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value ?? 0);
  return part("hour") * 60 + part("minute");
}

/** Whether `instant` falls in the quiet hours of a customer in `timeZone`: start included, end not. */
export function isQuietAt(quiet: QuietHours, instant: Date, timeZone: string): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const now = localMinutes(instant, timeZone);
  return start < end ? start <= now && now < end : now >= start || now < end;
}

/** "22:30" as the language writes a 24-hour time (with Arabic-Indic digits when the locale asks). */
export function formatClockTime(time: string, locale: string): string {
  const minutes = minutesOf(time);
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(Date.UTC(2000, 0, 1, Math.floor(minutes / 60), minutes % 60)),
  );
}
