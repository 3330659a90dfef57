/** The offer form as the admin fills it, and the `POST /offers` body it makes: amounts as decimal
 * strings, optional fields left out when empty, the validity as whole calendar days in the admin's
 * time zone (from the first day's midnight until the midnight after the last day, `validUntil` being
 * exclusive). */
import type { Schemas } from "../../api/client";
import { nextDay, zonedMidnight } from "../../i18n/format";

type Targeting = NonNullable<Schemas["OfferInput"]["targeting"]>;
export type SegmentId = NonNullable<Targeting["segments"]>[number];
export type TierId = NonNullable<Targeting["tiers"]>[number];

export interface OfferForm {
  titleEn: string;
  titleAr: string;
  descriptionEn: string;
  descriptionAr: string;
  discountType: "percent" | "fixed";
  discountValue: string;
  minPurchase: string;
  maxDiscount: string;
  segments: SegmentId[];
  tiers: TierId[];
  newCustomersOnly: boolean;
  /** YYYY-MM-DD, the first day the offer runs */
  validFrom: string;
  /** YYYY-MM-DD, the last day the offer runs (inclusive) */
  validThrough: string;
  perCustomerLimit: string;
  totalLimit: string;
}

/** Why the form cannot be sent yet: message keys of the page, empty when it can. */
export function problems(form: OfferForm): string[] {
  const found: string[] = [];
  const value = decimal(form.discountValue);
  if (value === null || Number(value) <= 0) {
    found.push("error.discountValue");
  } else if (form.discountType === "percent" && Number(value) > 100) {
    found.push("error.percent");
  }
  for (const field of ["minPurchase", "maxDiscount"] as const) {
    if (form[field].trim() && decimal(form[field]) === null) {
      found.push(`error.${field}`);
    }
  }
  if (!form.validFrom || !form.validThrough || form.validThrough < form.validFrom) {
    found.push("error.dates");
  }
  for (const field of ["perCustomerLimit", "totalLimit"] as const) {
    if (form[field].trim() && !/^[1-9]\d{0,8}$/.test(form[field].trim())) {
      found.push(`error.${field}`);
    }
  }
  return found;
}

/** "12,5" -> "12.5"; null for anything but a non-negative amount with at most two decimals. */
export function decimal(input: string): string | null {
  const match = /^\s*(\d{1,10})(?:[.,](\d{1,2}))?\s*$/.exec(input);
  return match ? (match[2] ? `${match[1]}.${match[2]}` : match[1]!) : null;
}

export function offerBody(form: OfferForm, timeZone: string): Schemas["OfferInput"] {
  const targeting: Targeting = {
    ...(form.segments.length ? { segments: form.segments } : {}),
    ...(form.tiers.length ? { tiers: form.tiers } : {}),
    newCustomersOnly: form.newCustomersOnly,
  };
  const minPurchase = form.minPurchase.trim() ? decimal(form.minPurchase) : null;
  const maxDiscount = form.discountType === "percent" && form.maxDiscount.trim() ? decimal(form.maxDiscount) : null;
  return {
    title: { en: form.titleEn.trim(), ar: form.titleAr.trim() },
    description: { en: form.descriptionEn.trim(), ar: form.descriptionAr.trim() },
    discountType: form.discountType,
    discountValue: decimal(form.discountValue) ?? form.discountValue.trim(),
    ...(minPurchase ? { minPurchase } : {}),
    ...(maxDiscount ? { maxDiscount } : {}),
    targeting,
    validFrom: zonedMidnight(form.validFrom, timeZone),
    validUntil: zonedMidnight(nextDay(form.validThrough), timeZone),
    perCustomerLimit: form.perCustomerLimit.trim() ? Number(form.perCustomerLimit) : 1,
    ...(form.totalLimit.trim() ? { totalLimit: Number(form.totalLimit) } : {}),
  };
}

/** Today's date (YYYY-MM-DD) in `timeZone`, and the date `days` later. */
export function today(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10);
}
