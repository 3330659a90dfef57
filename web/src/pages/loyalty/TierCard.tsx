import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/client";
import { useFormat } from "../../app/context";
import { tierProgress } from "./tierProgress";

export function TierCard({ account, tiers }: { account: Schemas["LoyaltyAccountOutput"]; tiers: Schemas["TierOutput"][] }) {
  const { t } = useTranslation("loyalty");
  const format = useFormat();
  const progress = tierProgress(account.tier, account.nextTier, tiers);
  const name = (id: string) => tiers.find((tier) => tier.tierId === id)?.name ?? t(`tier.${id}`, { ns: "common" });
  const percent = Math.round(progress.ratio * 100);
  return (
    <section className={`card tier-card tier-${account.tier}`} aria-labelledby="tier-title" data-testid="tier-card">
      <h2 id="tier-title" className="eyebrow">
        {t("tierCard")}
      </h2>
      <p className="tier-name">{name(account.tier)}</p>
      <p className="balance">
        <span className="muted">{t("balance")}</span>
        <strong data-testid="balance">{format.number(account.pointsBalance)}</strong>
      </p>
      <p className="muted">{t("lifetime", { points: format.number(account.lifetimePoints) })}</p>
      {account.pointsDebt > 0 && (
        <div className="debt" data-testid="points-debt">
          <p className="balance">
            <span>{t("debt")}</span>
            <strong data-testid="debt-points">{format.number(account.pointsDebt)}</strong>
          </p>
          <p className="muted">{t("debtExplained")}</p>
        </div>
      )}
      {progress.nextTierId ? (
        <>
          <div
            className="progress"
            role="progressbar"
            aria-label={t("progressLabel", { tier: name(progress.nextTierId) })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${format.number(percent)}%`}
          >
            <span className="progress-fill" style={{ inlineSize: `${percent}%` }} />
          </div>
          <p>{t("toNextTier", { points: format.number(progress.pointsNeeded), tier: name(progress.nextTierId) })}</p>
        </>
      ) : (
        <p>{t("topTier")}</p>
      )}
    </section>
  );
}
