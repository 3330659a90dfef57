import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/client";
import { useFormat } from "../../app/context";

/** An offer's value and conditions in one line each. */
export function OfferTerms({ offer }: { offer: Schemas["CustomerOfferOutput"] | Schemas["OfferDetailOutput"] }) {
  const { t } = useTranslation("offers");
  const format = useFormat();
  const money = (amount: string) => format.money({ amount, currency: offer.currency });
  return (
    <>
      <p className="plus">
        {offer.discountType === "percent"
          ? t("percentOff", { value: format.number(Number(offer.discountValue)) })
          : t("amountOff", { amount: money(offer.discountValue) })}
      </p>
      {offer.minPurchase && <p className="muted">{t("minPurchase", { amount: money(offer.minPurchase) })}</p>}
      {offer.maxDiscount && <p className="muted">{t("maxDiscount", { amount: money(offer.maxDiscount) })}</p>}
      <p className="muted">
        {t("validUntil", { date: format.date(offer.validUntil) })} · {t("remaining", { count: offer.remainingUses })}
      </p>
    </>
  );
}
