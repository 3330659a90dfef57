import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { QueryView } from "../../components/states";
import { AlertList } from "../security/AlertList";
import { RiskCard } from "../security/RiskCard";
import { securityQuery } from "../security/SecurityPage";
import { SignInEvents } from "../security/SignInEvents";

/** Staff review a customer's fraud alerts: the risk and the hold, the alerts to resolve (legitimate
 * lifts a hold, fraud puts one), the sign-in log. The customer is chosen by id (`?customer=`): the
 * API lists alerts per customer only. */
export function FraudReviewPage() {
  const { t } = useTranslation("fraudReview");
  const [params, setParams] = useSearchParams();
  const customerId = params.get("customer") ?? "";
  const [typed, setTyped] = useState(customerId);
  function submit(event: FormEvent) {
    event.preventDefault();
    setParams(typed.trim() ? { customer: typed.trim() } : {});
  }
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <form className="card filters" onSubmit={submit} role="search">
        <label className="block grow">
          {t("customerId")}
          <input value={typed} onChange={(event) => setTyped(event.target.value)} required maxLength={128} dir="ltr" spellCheck={false} />
        </label>
        <button type="submit" className="button primary">
          {t("open")}
        </button>
      </form>
      {customerId ? <Review key={customerId} customerId={customerId} /> : <p className="state state-empty">{t("choose")}</p>}
    </div>
  );
}

function Review({ customerId }: { customerId: string }) {
  const { t } = useTranslation("fraudReview");
  const { api } = useApp();
  const format = useFormat();
  const profile = useQuery({
    queryKey: ["profile", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/profile", { params: { path: { customerId } } })),
  });
  const security = useQuery(securityQuery(api, customerId));
  return (
    <>
      <QueryView query={profile}>
        {(customer) => (
          <section className="card" aria-labelledby="customer-name" data-testid="customer">
            <h2 id="customer-name">{customer.displayName}</h2>
            <p className="muted">
              <bdi dir="ltr">{customer.email}</bdi> · {t("joined", { date: format.date(customer.joinedAt) })}
            </p>
          </section>
        )}
      </QueryView>
      {profile.isSuccess && (
        <>
          <QueryView query={security}>{(risk) => <RiskCard security={risk} staff />}</QueryView>
          <AlertList customerId={customerId} staff />
          <SignInEvents customerId={customerId} />
        </>
      )}
    </>
  );
}
