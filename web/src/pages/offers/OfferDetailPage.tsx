import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey, type Schemas } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { BackIcon } from "../../components/icons";
import { ErrorState, QueryView } from "../../components/states";
import { previewDiscount } from "./discount";
import { OfferTerms } from "./OfferTerms";

export function OfferDetailPage() {
  const { t } = useTranslation("offers");
  const { api, session } = useApp();
  const { offerId = "" } = useParams();
  const customerId = session.customerId;
  const offer = useQuery({
    queryKey: ["offer", customerId, offerId],
    queryFn: () =>
      data(api.GET("/customers/{customerId}/offers/{offerId}", { params: { path: { customerId, offerId } } })),
  });
  return (
    <div className="page">
      <Link to="/offers" className="button ghost back-link">
        <BackIcon />
        {t("allOffers")}
      </Link>
      <QueryView query={offer}>
        {(detail) => (
          <>
            <section className="card" aria-labelledby="offer-title">
              <h1 id="offer-title">{detail.title}</h1>
              <p>{detail.description}</p>
              <OfferTerms offer={detail} />
              <p className={detail.eligibility.eligible ? "notice" : "notice state-error"} data-testid="eligibility">
                <strong>{detail.eligibility.eligible ? t("eligible") : t("notEligible")}</strong>
                {detail.eligibility.reason ? `: ${detail.eligibility.reason}` : ""}
              </p>
            </section>
            {detail.eligibility.eligible && <ApplyOffer offer={detail} />}
          </>
        )}
      </QueryView>
    </div>
  );
}

function ApplyOffer({ offer }: { offer: Schemas["OfferDetailOutput"] }) {
  const { t } = useTranslation("offers");
  const { api, session } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const [orderId, setOrderId] = useState("");
  const [amount, setAmount] = useState("");
  const [key, setKey] = useState(idempotencyKey);
  const preview = previewDiscount(offer, amount);
  const money = (value: string) => format.money({ amount: value, currency: offer.currency });
  const apply = useMutation({
    mutationFn: () =>
      data(
        api.POST("/customers/{customerId}/offers/{offerId}/applications", {
          params: { path: { customerId, offerId: offer.offerId }, header: { "Idempotency-Key": key } },
          body: { orderId: orderId.trim(), orderAmount: { amount: amount.trim().replace(",", "."), currency: offer.currency } },
        }),
      ),
    onSuccess: () => {
      setKey(idempotencyKey());
      void queryClient.invalidateQueries({ queryKey: ["offers", customerId] });
      void queryClient.invalidateQueries({ queryKey: ["offer", customerId, offer.offerId] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    apply.mutate();
  }
  return (
    <section className="card" aria-labelledby="apply-title">
      <h2 id="apply-title">{t("applyTitle")}</h2>
      {apply.isSuccess && (
        <div className="voucher" role="status" data-testid="offer-applied">
          <h3>{t("appliedTitle")}</h3>
          <p>{t("appliedBody", { discount: format.money(apply.data.discountAmount), final: format.money(apply.data.finalAmount) })}</p>
        </div>
      )}
      <form className="form" onSubmit={submit}>
        <label>
          {t("orderId")}
          <input required maxLength={128} value={orderId} onChange={(event) => setOrderId(event.target.value)} dir="ltr" />
        </label>
        <label>
          {t("orderAmount", { currency: offer.currency })}
          <input required inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} dir="ltr" />
        </label>
        <div aria-live="polite">
          <h3>{t("preview")}</h3>
          {preview.kind === "ok" ? (
            <dl className="stats preview" data-testid="preview">
              <div>
                <dt>{t("discount")}</dt>
                <dd>{money(preview.discount)}</dd>
              </div>
              <div>
                <dt>{t("final")}</dt>
                <dd>{money(preview.final)}</dd>
              </div>
            </dl>
          ) : preview.kind === "below-minimum" ? (
            <p className="form-error">{t("belowMinimum", { amount: money(preview.minPurchase) })}</p>
          ) : (
            <p className="muted">{t("invalidAmount")}</p>
          )}
        </div>
        {apply.isError && <ErrorState error={apply.error} />}
        <button type="submit" className="button primary" disabled={apply.isPending || preview.kind !== "ok"}>
          {t("applyButton")}
        </button>
      </form>
    </section>
  );
}
