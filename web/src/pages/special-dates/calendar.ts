/** Calendar days (a birthday, an anniversary, an occasion's `YYYY-MM-DD`): days of the customer's own
 * calendar, not instants, so they are shown as they are, with no time zone shift; "today" is the
 * customer's, in the profile's time zone. */
export interface Birthday {
  month: number;
  day: number;
  year?: number | null;
}

export const FIRST_YEAR = 1900; // the API's least birth year

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The days of `month` (1-12); with no year, February has 29 (a birthday on 29 February exists). */
export function daysInMonth(month: number, year?: number | null): number {
  if (month === 2) {
    return year == null || isLeapYear(year) ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The customer's date today (`YYYY-MM-DD`) on the clocks of `timeZone`. */
export function todayIn(timeZone: string, instant: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** What is wrong with a birthday the customer entered, if anything: a day the month does not have
 * (31 April, 29 February 2023), a year before 1900, or a date after `today`. */
export function birthdayProblem(birthday: Birthday, today: string): "day" | "year" | "future" | null {
  const { month, day, year } = birthday;
  if (year != null && (!Number.isInteger(year) || year < FIRST_YEAR)) {
    return "year";
  }
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > daysInMonth(month, year)) {
    return "day";
  }
  if (year != null) {
    const date = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    if (date > today) {
      return "future";
    }
  }
  return null;
}

const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));

/** The twelve months' names in the locale ("January", "يناير"). */
export function monthNames(locale: string): string[] {
  const format = new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "long" });
  return Array.from({ length: 12 }, (_, index) => format.format(utc(2000, index + 1, 1)));
}

/** A birthday as the locale writes it: "March 14" or "March 14, 1994". */
export function formatBirthday(birthday: Birthday, locale: string): string {
  const withYear = birthday.year != null;
  return new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    month: "long",
    day: "numeric",
    ...(withYear ? { year: "numeric" } : {}),
  }).format(utc(birthday.year ?? 2000, birthday.month, birthday.day)); // 2000: a leap year, for 29 February
}

/** A `YYYY-MM-DD` day as the locale writes it ("Mar 14, 2026"), the same day in every time zone. */
export function formatCalendarDate(date: string, locale: string): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium" }).format(utc(year ?? 1970, month ?? 1, day ?? 1));
}

/** A year as a number of the locale, with no grouping ("2026", "٢٠٢٦"). */
export function formatYear(year: number, locale: string): string {
  return new Intl.NumberFormat(locale, { useGrouping: false }).format(year);
}
