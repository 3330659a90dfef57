import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/client";
import { useFormat } from "../../app/context";

/** The customer's risk as the API reads it: level and score (low < 30 <= medium < 60 <= high < 85 <=
 * critical), open alerts, the redemption hold and what to do. */
export function RiskCard({ security, staff = false }: { security: Schemas["SecurityProfile"]; staff?: boolean }) {
  const { t } = useTranslation("security");
  const format = useFormat();
  return (
    <section className="card" aria-labelledby="risk-title">
      <h2 id="risk-title">{t("riskTitle")}</h2>
      <p>
        <span className={`chip risk risk-${security.riskLevel}`} data-testid="risk-level" data-level={security.riskLevel}>
          {t(`level.${security.riskLevel}`)}
        </span>
      </p>
      <label className="block">
        {t("riskScore", { score: format.number(security.riskScore) })}
        <meter min={0} max={100} low={30} high={60} optimum={0} value={security.riskScore} />
      </label>
      <dl className="stats">
        <div>
          <dt>{t("openAlerts")}</dt>
          <dd data-testid="open-alerts">{format.number(security.openAlerts)}</dd>
        </div>
        <div>
          <dt>{t("twoFactor")}</dt>
          <dd>{security.twoFactorEnabled ? t("on") : t("off")}</dd>
        </div>
        <div>
          <dt>{t("redemptions")}</dt>
          <dd data-testid="hold-state">{security.redemptionHold ? t("onHold") : t("allowed")}</dd>
        </div>
        <div>
          <dt>{t("lastEvaluated")}</dt>
          <dd>{security.lastEvaluatedAt ? format.dateTime(security.lastEvaluatedAt) : t("never")}</dd>
        </div>
      </dl>
      {security.redemptionHold && (
        <p className="notice state-error" data-testid="hold-notice">
          {!staff ? t("holdCustomer") : security.openAlerts > 0 ? t("holdStaff") : t("holdStaffNoAlert")}
        </p>
      )}
      {!staff && security.recommendations.length > 0 && (
        <>
          <h3>{t("recommendations")}</h3>
          <ul className="recommendations" data-testid="recommendations">
            {security.recommendations.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
