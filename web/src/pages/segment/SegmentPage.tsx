import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { Empty, QueryView } from "../../components/states";

export function SegmentPage() {
  const { t } = useTranslation("segment");
  const { api, session } = useApp();
  const format = useFormat();
  const customerId = session.customerId;
  const segment = useQuery({
    queryKey: ["segment", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/segment", { params: { path: { customerId } } })),
  });
  const benefits = useQuery({
    queryKey: ["segment-benefits", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/segment/benefits", { params: { path: { customerId } } })),
  });
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <QueryView query={segment}>
        {(mine) => (
          <>
            <section className="card" aria-labelledby="segment-name" data-segment={mine.segmentId}>
              <h2 className="eyebrow">{t("yourSegment")}</h2>
              <p id="segment-name" className="tier-name">
                {mine.name}
              </p>
              <p className="muted">{t("assignedAt", { date: format.date(mine.assignedAt) })}</p>
              <h3>{t("meaning")}</h3>
              <p>{t(`meaning.${mine.segmentId}`, { defaultValue: t("meaningUnknown") })}</p>
            </section>
            <section className="card" aria-labelledby="scores-title">
              <h2 id="scores-title">{t("scores")}</h2>
              <dl className="stats">
                {(["recency", "frequency", "monetary"] as const).map((key) => (
                  <div key={key}>
                    <dt>{t(key)}</dt>
                    <dd>
                      <meter min={1} max={5} value={mine.rfm[key]} aria-label={t(key)} />
                      {t("score", { score: format.number(mine.rfm[key]) })}
                    </dd>
                  </div>
                ))}
              </dl>
              <dl className="stats">
                <div>
                  <dt>{t("daysSince")}</dt>
                  <dd>
                    {mine.metrics.daysSinceLastPurchase === null || mine.metrics.daysSinceLastPurchase === undefined
                      ? t("noPurchase")
                      : format.number(mine.metrics.daysSinceLastPurchase)}
                  </dd>
                </div>
                <div>
                  <dt>{t("purchases12m")}</dt>
                  <dd>{format.number(mine.metrics.purchases12m)}</dd>
                </div>
                <div>
                  <dt>{t("spend12m")}</dt>
                  <dd>{format.money(mine.metrics.spend12m)}</dd>
                </div>
              </dl>
            </section>
          </>
        )}
      </QueryView>
      <section className="card" aria-labelledby="benefits-title">
        <h2 id="benefits-title">{t("benefits")}</h2>
        <QueryView query={benefits}>
          {({ items }) =>
            items.length === 0 ? (
              <Empty>{t("noBenefits")}</Empty>
            ) : (
              <ul className="list">
                {items.map((benefit) => (
                  <li key={benefit.benefitId}>
                    <strong>{benefit.title}</strong>
                    <p className="muted">{benefit.description}</p>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </section>
    </div>
  );
}
