import { describe, expect, it } from "vitest";
import { previewDiscount, toCents } from "./discount";

describe("previewDiscount", () => {
  const tenPercent = { discountType: "percent", discountValue: "10.00", minPurchase: null, maxDiscount: "50.00" };

  it("takes the percentage, rounded half-up to the cent", () => {
    expect(previewDiscount(tenPercent, "200")).toEqual({ kind: "ok", discount: "20.00", final: "180.00" });
    expect(previewDiscount(tenPercent, "0.05")).toEqual({ kind: "ok", discount: "0.01", final: "0.04" });
    expect(previewDiscount(tenPercent, "0.04")).toEqual({ kind: "ok", discount: "0.00", final: "0.04" });
  });

  it("stops at maxDiscount", () => {
    expect(previewDiscount(tenPercent, "900.00")).toEqual({ kind: "ok", discount: "50.00", final: "850.00" });
  });

  it("never takes a fixed discount past the order", () => {
    const fixed = { discountType: "fixed", discountValue: "25.00", minPurchase: null, maxDiscount: null };
    expect(previewDiscount(fixed, "20")).toEqual({ kind: "ok", discount: "20.00", final: "0.00" });
    expect(previewDiscount(fixed, "120.50")).toEqual({ kind: "ok", discount: "25.00", final: "95.50" });
  });

  it("refuses an order below the minimum, and input that is not an amount", () => {
    const minimum = { discountType: "fixed", discountValue: "25", minPurchase: "100.00", maxDiscount: null };
    expect(previewDiscount(minimum, "99.99")).toEqual({ kind: "below-minimum", minPurchase: "100.00" });
    expect(previewDiscount(minimum, "100")).toEqual({ kind: "ok", discount: "25.00", final: "75.00" });
    expect(previewDiscount(minimum, "abc").kind).toBe("invalid");
    expect(previewDiscount(minimum, "1.234").kind).toBe("invalid");
    expect(toCents("149,9")).toBe(14990);
  });
});
