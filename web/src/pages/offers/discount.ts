/** The preview of an offer on an order, as the API computes it (API.md "Offers"): a percent discount
 * rounded half-up to the cent and capped by `maxDiscount`, a fixed one never above the order, nothing
 * below `minPurchase`. In integer cents, never floating point. */
export interface OfferTerms {
  discountType: string;
  discountValue: string;
  minPurchase?: string | null;
  maxDiscount?: string | null;
}

export type Preview =
  | { kind: "invalid" }
  | { kind: "below-minimum"; minPurchase: string }
  | { kind: "ok"; discount: string; final: string };

/** "149.9" -> 14990; null for anything but a non-negative amount with at most two decimals. */
export function toCents(amount: string): number | null {
  const match = /^\s*(\d{1,10})(?:[.,](\d{1,2}))?\s*$/.exec(amount);
  if (!match) {
    return null;
  }
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

export function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

export function previewDiscount(offer: OfferTerms, orderAmount: string): Preview {
  const order = toCents(orderAmount);
  const value = toCents(offer.discountValue);
  if (order === null || order === 0 || value === null) {
    return { kind: "invalid" };
  }
  const minimum = offer.minPurchase ? toCents(offer.minPurchase) : null;
  if (minimum !== null && order < minimum) {
    return { kind: "below-minimum", minPurchase: offer.minPurchase! };
  }
  let discount = offer.discountType === "percent" ? Math.floor((order * value + 5000) / 10000) : value;
  const cap = offer.maxDiscount ? toCents(offer.maxDiscount) : null;
  if (cap !== null) {
    discount = Math.min(discount, cap);
  }
  discount = Math.min(discount, order);
  return { kind: "ok", discount: fromCents(discount), final: fromCents(order - discount) };
}
