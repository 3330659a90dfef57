/** Numbers, money and dates as the customer reads them: Intl with the app's language, optional
 * Arabic-Indic digits, and the customer's time zone (the profile's `timezone`). */
export type Language = "en" | "ar";

export interface Money {
  amount: string;
  currency: string;
}

export function localeOf(language: Language, arabicDigits: boolean): string {
  if (language === "ar") {
    return arabicDigits ? "ar-u-nu-arab" : "ar-u-nu-latn";
  }
  return "en-u-nu-latn";
}

export function directionOf(language: Language): "rtl" | "ltr" {
  return language === "ar" ? "rtl" : "ltr";
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function formatMoney(money: Money, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(Number(money.amount));
}

export function formatDate(iso: string, locale: string, timeZone: string, withTime = false): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: "medium",
    ...(withTime ? { timeStyle: "short" } : {}),
  }).format(new Date(iso));
}

/** "2026-10" as the month's short name in the locale, with the year when `withYear` (a calendar month,
 * no time zone involved). */
export function formatMonth(month: string, locale: string, withYear = false): string {
  const [year, index] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "short", ...(withYear ? { year: "numeric" } : {}) }).format(
    new Date(Date.UTC(year ?? 1970, (index ?? 1) - 1, 1)),
  );
}

/** The UTC instant of midnight starting `date` (YYYY-MM-DD) in `timeZone`: a date filter's bound. */
export function zonedMidnight(date: string, timeZone: string): string {
  const [year, month, day] = date.split("-").map(Number);
  const guess = Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1);
  // the zone's offset at that instant, read back through Intl; twice, for a DST change near midnight
  let instant = guess;
  for (let pass = 0; pass < 2; pass++) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      })
        .formatToParts(new Date(instant))
        .map((part) => [part.type, part.value]),
    );
    const asUtc = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    instant = guess - (asUtc - instant);
  }
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The day after a YYYY-MM-DD date (an exclusive `to` bound for an inclusive date picker). */
export function nextDay(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + 1)).toISOString().slice(0, 10);
}
