import { useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Empty, ErrorState, Loading } from "../../components/states";

type Status = "open" | "resolved" | "";
type Resolution = Schemas["ResolutionInput"]["resolution"];
type Alert = Schemas["AlertOutput"];

/** What is refreshed after an alert is resolved or raised: the risk, the alerts, the hold. */
export function invalidateSecurity(queryClient: ReturnType<typeof useQueryClient>, customerId: string): void {
  for (const key of ["security", "alerts", "loyalty"]) {
    void queryClient.invalidateQueries({ queryKey: [key, customerId] });
  }
}

/** A customer's alerts, by status. The customer answers "this was me" (`legitimate`: the alert is
 * resolved, a hold stays) or "this was not me" (`fraud`: redemptions go on hold); staff resolve as
 * legitimate, which also lifts a hold, or confirm fraud. */
export function AlertList({ customerId, staff = false }: { customerId: string; staff?: boolean }) {
  const { t } = useTranslation("security");
  const { api } = useApp();
  const [status, setStatus] = useState<Status>("open");
  const alerts = useInfiniteQuery({
    queryKey: ["alerts", customerId, status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api.GET("/customers/{customerId}/security/alerts", {
          params: {
            path: { customerId },
            query: { limit: 10, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="alerts-title">
      <div className="section-head">
        <h2 id="alerts-title">{t("alertsTitle")}</h2>
        <label className="inline">
          {t("statusFilter")}
          <select value={status} onChange={(event) => setStatus(event.target.value as Status)} data-testid="alert-status">
            <option value="open">{t("status.open")}</option>
            <option value="resolved">{t("status.resolved")}</option>
            <option value="">{t("status.all")}</option>
          </select>
        </label>
      </div>
      {alerts.isPending ? (
        <Loading />
      ) : alerts.isError ? (
        <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{status === "open" ? t("noOpenAlerts") : t("noAlerts")}</Empty>
      ) : (
        <>
          <ul className="list" data-testid="alerts">
            {items.map((alert) => (
              <AlertItem key={alert.alertId} alert={alert} customerId={customerId} staff={staff} />
            ))}
          </ul>
          {alerts.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void alerts.fetchNextPage()} disabled={alerts.isFetchingNextPage}>
              {t("loadMore", { ns: "common" })}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function AlertItem({ alert, customerId, staff }: { alert: Alert; customerId: string; staff: boolean }) {
  const { t } = useTranslation("security");
  const { api } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<Resolution | null>(null);
  const resolve = useMutation({
    mutationFn: (resolution: Resolution) =>
      data(
        api.POST("/customers/{customerId}/security/alerts/{alertId}/resolution", {
          params: { path: { customerId, alertId: alert.alertId } },
          body: { resolution },
        }),
      ),
    onSettled: () => setConfirming(null),
    onSuccess: () => invalidateSecurity(queryClient, customerId),
  });
  const legitimate = staff ? t("staffLegitimate") : t("wasMe");
  const fraud = staff ? t("staffFraud") : t("wasNotMe");
  const titleId = `alert-${alert.alertId}`;
  return (
    <li data-testid="alert" data-type={alert.type} data-status={alert.status}>
      <div className="row">
        <strong id={titleId}>{t(`alert.${alert.type}`, { defaultValue: t("alert.other") })}</strong>
        <span className={`chip risk risk-${alert.severity}`}>{t(`severity.${alert.severity}`)}</span>
      </div>
      <p>{alert.reason}</p>
      <p className="muted">
        {alert.resolvedAt
          ? t("resolvedOn", { raised: format.dateTime(alert.createdAt), resolved: format.dateTime(alert.resolvedAt) })
          : t("raisedOn", { date: format.dateTime(alert.createdAt) })}
      </p>
      {alert.status === "open" && (
        <div className="actions">
          <button type="button" className="button secondary" disabled={resolve.isPending} onClick={() => setConfirming("legitimate")}>
            {legitimate}
          </button>
          <button type="button" className="button primary" disabled={resolve.isPending} onClick={() => setConfirming("fraud")}>
            {fraud}
          </button>
        </div>
      )}
      {resolve.isError && <ErrorState error={resolve.error} />}
      {confirming && (
        <ConfirmDialog
          title={confirming === "fraud" ? fraud : legitimate}
          confirmLabel={confirming === "fraud" ? fraud : legitimate}
          busy={resolve.isPending}
          onConfirm={() => resolve.mutate(confirming)}
          onCancel={() => setConfirming(null)}
        >
          <p>{t(`confirm.${staff ? "staff" : "customer"}.${confirming}`)}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
