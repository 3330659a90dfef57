import { describe, expect, it } from "vitest";
import { birthdayProblem, daysInMonth, formatBirthday, formatCalendarDate, formatYear, monthNames, todayIn } from "./calendar";

describe("birthdays", () => {
  it("have the days their month has: 29 February unless the year rules it out", () => {
    expect(daysInMonth(4)).toBe(30);
    expect(daysInMonth(1)).toBe(31);
    expect(daysInMonth(2)).toBe(29);
    expect(daysInMonth(2, 2023)).toBe(28);
    expect(daysInMonth(2, 2024)).toBe(29);
    expect(daysInMonth(2, 1900)).toBe(28);
    expect(daysInMonth(2, 2000)).toBe(29);
  });

  it("are refused when the day does not exist, the year is before 1900 or the date is to come", () => {
    const today = "2026-03-14";
    expect(birthdayProblem({ month: 4, day: 31 }, today)).toBe("day");
    expect(birthdayProblem({ month: 2, day: 29 }, today)).toBeNull();
    expect(birthdayProblem({ month: 2, day: 29, year: 2023 }, today)).toBe("day");
    expect(birthdayProblem({ month: 2, day: 29, year: 2024 }, today)).toBeNull();
    expect(birthdayProblem({ month: 5, day: 1, year: 1899 }, today)).toBe("year");
    expect(birthdayProblem({ month: 3, day: 15, year: 2026 }, today)).toBe("future");
    expect(birthdayProblem({ month: 3, day: 14, year: 2026 }, today)).toBeNull();
    expect(birthdayProblem({ month: 12, day: 31 }, today)).toBeNull(); // no year: any day of the calendar
  });

  it("are written in the language, without a time zone shift", () => {
    expect(formatBirthday({ month: 3, day: 14 }, "en-u-nu-latn")).toBe("March 14");
    expect(formatBirthday({ month: 3, day: 14, year: 1994 }, "en-u-nu-latn")).toBe("March 14, 1994");
    expect(formatBirthday({ month: 2, day: 29 }, "en-u-nu-latn")).toBe("February 29");
    expect(formatBirthday({ month: 3, day: 14 }, "ar-u-nu-latn")).toBe("14 مارس");
    expect(formatBirthday({ month: 3, day: 14 }, "ar-u-nu-arab")).toBe("١٤ مارس");
    expect(monthNames("en-u-nu-latn")[0]).toBe("January");
    expect(monthNames("ar-u-nu-latn")[11]).toBe("ديسمبر");
    expect(formatYear(2026, "en-u-nu-latn")).toBe("2026");
    expect(formatYear(2026, "ar-u-nu-arab")).toBe("٢٠٢٦");
  });
});

describe("calendar days", () => {
  it("are shown as the same day whatever the zone", () => {
    expect(formatCalendarDate("2026-03-01", "en-u-nu-latn")).toBe("Mar 1, 2026");
  });

  it("today is the customer's date, in their time zone", () => {
    const instant = new Date("2026-03-01T22:30:00Z");
    expect(todayIn("UTC", instant)).toBe("2026-03-01");
    expect(todayIn("Asia/Riyadh", instant)).toBe("2026-03-02");
    expect(todayIn("Pacific/Kiritimati", new Date("2026-03-01T10:00:00Z"))).toBe("2026-03-02");
    expect(todayIn("America/Los_Angeles", new Date("2026-03-02T07:00:00Z"))).toBe("2026-03-01");
  });
});
