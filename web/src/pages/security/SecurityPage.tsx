import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp } from "../../app/context";
import { QueryView } from "../../components/states";
import { AlertList } from "./AlertList";
import { ReportProblem } from "./ReportProblem";
import { RiskCard } from "./RiskCard";
import { SignInEvents } from "./SignInEvents";
import { TwoFactor } from "./TwoFactor";

export function securityQuery(api: ReturnType<typeof useApp>["api"], customerId: string) {
  return {
    queryKey: ["security", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/security", { params: { path: { customerId } } })),
  };
}

/** The customer's security: risk, two-factor authentication, alerts to answer, a report, the sign-ins. */
export function SecurityPage() {
  const { t } = useTranslation("security");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const security = useQuery(securityQuery(api, customerId));
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <QueryView query={security}>
        {(profile) => (
          <>
            <RiskCard security={profile} />
            <TwoFactor enabled={profile.twoFactorEnabled} />
          </>
        )}
      </QueryView>
      <AlertList customerId={customerId} />
      <ReportProblem />
      <SignInEvents customerId={customerId} />
    </div>
  );
}
