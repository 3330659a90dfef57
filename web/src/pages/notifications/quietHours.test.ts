import { describe, expect, it } from "vitest";
import { crossesMidnight, formatClockTime, isQuietAt, localMinutes, quietHoursProblem } from "./quietHours";

const overnight = { start: "22:00", end: "07:00" };
const afternoon = { start: "13:00", end: "15:30" };

describe("quiet hours", () => {
  it("are two different 24-hour times", () => {
    expect(quietHoursProblem(overnight)).toBeNull();
    expect(quietHoursProblem({ start: "07:00", end: "07:00" })).toBe("same");
    expect(quietHoursProblem({ start: "", end: "07:00" })).toBe("invalid");
    expect(quietHoursProblem({ start: "24:00", end: "07:00" })).toBe("invalid");
    expect(quietHoursProblem({ start: "7:00", end: "08:00" })).toBe("invalid");
  });

  it("run over midnight when the start is after the end", () => {
    expect(crossesMidnight(overnight)).toBe(true);
    expect(crossesMidnight(afternoon)).toBe(false);
  });

  it("are read on the customer's clock, start included and end not", () => {
    // 19:30 UTC is 22:30 in Riyadh (UTC+3) and 19:30 in UTC
    const evening = new Date("2026-03-01T19:30:00Z");
    expect(localMinutes(evening, "Asia/Riyadh")).toBe(22 * 60 + 30);
    expect(isQuietAt(overnight, evening, "Asia/Riyadh")).toBe(true);
    expect(isQuietAt(overnight, evening, "UTC")).toBe(false);
    // 04:00 UTC is 07:00 in Riyadh: the end is not quiet any more; a minute before it is
    expect(isQuietAt(overnight, new Date("2026-03-01T04:00:00Z"), "Asia/Riyadh")).toBe(false);
    expect(isQuietAt(overnight, new Date("2026-03-01T03:59:00Z"), "Asia/Riyadh")).toBe(true);
    expect(isQuietAt(overnight, new Date("2026-03-01T19:00:00Z"), "Asia/Riyadh")).toBe(true); // 22:00 sharp
    // a window within one day
    expect(isQuietAt(afternoon, new Date("2026-03-01T13:00:00Z"), "UTC")).toBe(true);
    expect(isQuietAt(afternoon, new Date("2026-03-01T15:30:00Z"), "UTC")).toBe(false);
    expect(isQuietAt(afternoon, new Date("2026-03-01T12:59:00Z"), "UTC")).toBe(false);
  });

  it("follow daylight saving time: 22:30 in New York is 02:30 UTC in summer, 03:30 in winter", () => {
    expect(isQuietAt({ start: "22:30", end: "23:00" }, new Date("2026-07-01T02:30:00Z"), "America/New_York")).toBe(true);
    expect(isQuietAt({ start: "22:30", end: "23:00" }, new Date("2026-01-15T02:30:00Z"), "America/New_York")).toBe(false);
    expect(isQuietAt({ start: "22:30", end: "23:00" }, new Date("2026-01-15T03:30:00Z"), "America/New_York")).toBe(true);
  });

  it("are written as 24-hour times in the language, with Arabic-Indic digits on request", () => {
    expect(formatClockTime("07:05", "en-u-nu-latn")).toBe("07:05");
    expect(formatClockTime("22:30", "ar-u-nu-latn")).toBe("22:30");
    expect(formatClockTime("22:30", "ar-u-nu-arab")).toBe("٢٢:٣٠");
  });
});
