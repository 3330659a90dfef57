import { describe, expect, it } from "vitest";
import { formatDate, formatMoney, formatMonth, localeOf, nextDay, zonedMidnight } from "./format";

const NBSP = /\u00a0|\u202f/g;
const plain = (text: string) => text.replace(NBSP, " ");

describe("money", () => {
  it("is shown with its currency, in the language's style", () => {
    expect(plain(formatMoney({ amount: "149.90", currency: "SAR" }, localeOf("en", false)))).toBe("SAR 149.90");
    const arabic = formatMoney({ amount: "149.90", currency: "SAR" }, localeOf("ar", false));
    expect(arabic).toContain("149.90");
    expect(arabic).toMatch(/ر\.س|SAR/);
  });

  it("uses Arabic-Indic digits only when asked", () => {
    expect(formatMoney({ amount: "149.90", currency: "SAR" }, localeOf("ar", true))).toContain("١٤٩٫٩٠");
    expect(formatMoney({ amount: "149.90", currency: "SAR" }, localeOf("ar", false))).not.toMatch(/[٠-٩]/);
  });
});

describe("dates", () => {
  it("are the customer's calendar day in their time zone", () => {
    const instant = "2026-01-01T22:30:00Z"; // already 2 January in Riyadh (UTC+3)
    expect(formatDate(instant, "en-u-nu-latn", "UTC")).toBe("Jan 1, 2026");
    expect(formatDate(instant, "en-u-nu-latn", "Asia/Riyadh")).toBe("Jan 2, 2026");
  });

  it("months are calendar months, whatever the zone", () => {
    expect(formatMonth("2026-10", "en-u-nu-latn")).toBe("Oct");
    expect(formatMonth("2026-10", "en-u-nu-latn", true)).toBe("Oct 2026");
  });

  it("a date filter's bound is midnight in the customer's zone, as a UTC instant", () => {
    expect(zonedMidnight("2026-03-01", "Asia/Riyadh")).toBe("2026-02-28T21:00:00Z");
    expect(zonedMidnight("2026-03-01", "UTC")).toBe("2026-03-01T00:00:00Z");
    // New York: UTC-5 in winter, UTC-4 after the March change
    expect(zonedMidnight("2026-01-15", "America/New_York")).toBe("2026-01-15T05:00:00Z");
    expect(zonedMidnight("2026-07-15", "America/New_York")).toBe("2026-07-15T04:00:00Z");
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});
