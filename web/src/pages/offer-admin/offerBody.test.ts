import { describe, expect, it } from "vitest";
import { addDays, decimal, offerBody, problems, today, type OfferForm } from "./offerBody";

const FORM: OfferForm = {
  titleEn: " 15% off electronics ",
  titleAr: "خصم 15٪ على الإلكترونيات",
  descriptionEn: "For our loyal customers",
  descriptionAr: "لعملائنا الأوفياء",
  discountType: "percent",
  discountValue: "15",
  minPurchase: "100,50",
  maxDiscount: "75",
  segments: [],
  tiers: [],
  newCustomersOnly: false,
  validFrom: "2026-03-01",
  validThrough: "2026-03-31",
  perCustomerLimit: "",
  totalLimit: "",
};

describe("offerBody", () => {
  it("makes the POST /offers body: trimmed texts, decimal amounts, the limits' defaults", () => {
    expect(offerBody(FORM, "UTC")).toEqual({
      title: { en: "15% off electronics", ar: "خصم 15٪ على الإلكترونيات" },
      description: { en: "For our loyal customers", ar: "لعملائنا الأوفياء" },
      discountType: "percent",
      discountValue: "15",
      minPurchase: "100.50",
      maxDiscount: "75",
      targeting: { newCustomersOnly: false },
      validFrom: "2026-03-01T00:00:00Z",
      validUntil: "2026-04-01T00:00:00Z",
      perCustomerLimit: 1,
    });
  });

  it("runs whole days in the admin's time zone, the last day included", () => {
    const body = offerBody(FORM, "Asia/Riyadh"); // UTC+3
    expect(body.validFrom).toBe("2026-02-28T21:00:00Z");
    expect(body.validUntil).toBe("2026-03-31T21:00:00Z");
  });

  it("leaves out a maximum for a fixed discount, and empty criteria from the targeting", () => {
    const body = offerBody(
      { ...FORM, discountType: "fixed", discountValue: "25", minPurchase: "", segments: ["champions", "loyal"], tiers: ["gold"], newCustomersOnly: true, totalLimit: "500", perCustomerLimit: "3" },
      "UTC",
    );
    expect(body.maxDiscount).toBeUndefined();
    expect(body.minPurchase).toBeUndefined();
    expect(body.targeting).toEqual({ segments: ["champions", "loyal"], tiers: ["gold"], newCustomersOnly: true });
    expect(body.totalLimit).toBe(500);
    expect(body.perCustomerLimit).toBe(3);
  });
});

describe("problems", () => {
  it("finds none in a good form", () => {
    expect(problems(FORM)).toEqual([]);
  });

  it("refuses a percentage over 100, a zero or malformed value, bad amounts and limits", () => {
    expect(problems({ ...FORM, discountValue: "120" })).toEqual(["error.percent"]);
    expect(problems({ ...FORM, discountType: "fixed", discountValue: "120" })).toEqual([]);
    expect(problems({ ...FORM, discountValue: "0" })).toEqual(["error.discountValue"]);
    expect(problems({ ...FORM, discountValue: "1.234" })).toEqual(["error.discountValue"]);
    expect(problems({ ...FORM, minPurchase: "abc", maxDiscount: "-5" })).toEqual(["error.minPurchase", "error.maxDiscount"]);
    expect(problems({ ...FORM, perCustomerLimit: "0", totalLimit: "2.5" })).toEqual(["error.perCustomerLimit", "error.totalLimit"]);
  });

  it("refuses a last day before the first", () => {
    expect(problems({ ...FORM, validThrough: "2026-02-27" })).toEqual(["error.dates"]);
    expect(problems({ ...FORM, validThrough: "2026-03-01" })).toEqual([]);
  });
});

describe("dates", () => {
  it("reads today in a time zone and counts days across months", () => {
    const lateEvening = new Date("2026-03-31T22:30:00Z");
    expect(today("UTC", lateEvening)).toBe("2026-03-31");
    expect(today("Asia/Riyadh", lateEvening)).toBe("2026-04-01");
    expect(addDays("2026-01-31", 30)).toBe("2026-03-02");
  });

  it("reads amounts with a comma or a point", () => {
    expect(decimal("12,5")).toBe("12.5");
    expect(decimal(" 40 ")).toBe("40");
    expect(decimal("4e2")).toBeNull();
  });
});
