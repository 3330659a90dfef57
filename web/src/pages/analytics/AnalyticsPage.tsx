import { useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { BarChart } from "../../components/BarChart";
import { Empty, ErrorState, Loading, QueryView } from "../../components/states";
import { nextDay, zonedMidnight } from "../../i18n/format";

export function AnalyticsPage() {
  const { t } = useTranslation("analytics");
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <Summary />
      <Spending />
      <Engagement />
      <Purchases />
    </div>
  );
}

function Summary() {
  const { t } = useTranslation("analytics");
  const { api, session } = useApp();
  const format = useFormat();
  const customerId = session.customerId;
  const summary = useQuery({
    queryKey: ["summary", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/analytics/summary", { params: { path: { customerId } } })),
  });
  return (
    <section className="card" aria-labelledby="summary-title">
      <h2 id="summary-title">{t("summary")}</h2>
      <QueryView query={summary}>
        {(figures) => (
          <dl className="stats" data-testid="summary">
            <Figure label={t("lifetimeSpend")} value={format.money(figures.lifetimeSpend)} />
            <Figure label={t("purchaseCount")} value={format.number(figures.purchaseCount)} />
            <Figure label={t("averageOrderValue")} value={figures.averageOrderValue ? format.money(figures.averageOrderValue) : t("none")} />
            <Figure label={t("spend30d")} value={format.money(figures.spend30d)} />
            <Figure label={t("spend12m")} value={format.money(figures.spend12m)} />
            <Figure label={t("favoriteCategory")} value={figures.favoriteCategory ?? t("none")} />
          </dl>
        )}
      </QueryView>
    </section>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Spending() {
  const { t } = useTranslation("analytics");
  const { api, session, language } = useApp();
  const format = useFormat();
  const customerId = session.customerId;
  const spending = useQuery({
    queryKey: ["spending", customerId],
    queryFn: () =>
      data(
        api.GET("/customers/{customerId}/analytics/spending", {
          params: { path: { customerId }, query: { months: 12 } },
        }),
      ),
  });
  const describe = (label: string, amount: Schemas["Money"], count: number) =>
    t("barDescription", { label, amount: format.money(amount), count: format.number(count) } as Record<string, string>);
  return (
    <>
      <section className="card" aria-labelledby="months-title">
        <h2 id="months-title">{t("byMonth")}</h2>
        <QueryView query={spending}>
          {({ months }) =>
            months.every((month) => Number(month.amount.amount) === 0) ? (
              <Empty>{t("noSpending")}</Empty>
            ) : (
              <BarChart
                label={t("byMonthLabel")}
                rtl={language === "ar"}
                bars={months.map((month) => ({
                  key: month.month,
                  label: format.month(month.month),
                  value: Number(month.amount.amount),
                  description: describe(format.month(month.month, true), month.amount, month.count),
                }))}
              />
            )
          }
        </QueryView>
      </section>
      <section className="card" aria-labelledby="categories-title">
        <h2 id="categories-title">{t("byCategory")}</h2>
        <QueryView query={spending}>
          {({ byCategory }) => {
            const max = Math.max(1, ...byCategory.map((entry) => Number(entry.amount.amount)));
            return byCategory.length === 0 ? (
              <Empty>{t("noSpending")}</Empty>
            ) : (
              <ul className="list" data-testid="categories">
                {byCategory.map((entry) => {
                  const name = entry.category ?? t("uncategorized");
                  const share = Math.round((100 * Number(entry.amount.amount)) / max);
                  return (
                    <li key={name} className="hbar">
                      <span>{name}</span>
                      <span className="hbar-track" role="img" aria-label={describe(name, entry.amount, entry.count)}>
                        <span className="hbar-fill" style={{ inlineSize: `${share}%` }} />
                      </span>
                      <span>{format.money(entry.amount)}</span>
                    </li>
                  );
                })}
              </ul>
            );
          }}
        </QueryView>
      </section>
    </>
  );
}

function Engagement() {
  const { t } = useTranslation("analytics");
  const { api, session } = useApp();
  const format = useFormat();
  const customerId = session.customerId;
  const engagement = useQuery({
    queryKey: ["engagement", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/analytics/engagement", { params: { path: { customerId } } })),
  });
  return (
    <section className="card" aria-labelledby="engagement-title">
      <h2 id="engagement-title">{t("engagement")}</h2>
      <QueryView query={engagement}>
        {(figures) => (
          <>
            <p className="score" data-testid="engagement-score">
              {format.number(figures.engagementScore)}
            </p>
            <meter min={0} max={100} value={figures.engagementScore} aria-label={t("engagementScore")} aria-valuetext={t("scoreOf", { score: format.number(figures.engagementScore) })} />
            <dl className="stats">
              {(["offersApplied", "rewardsClaimed", "ticketsOpened", "chatsStarted", "notificationsRead", "referralsMade"] as const).map((key) => (
                <Figure key={key} label={t(key)} value={format.number(figures[key])} />
              ))}
            </dl>
          </>
        )}
      </QueryView>
    </section>
  );
}

function Purchases() {
  const { t } = useTranslation("analytics");
  const { api, session } = useApp();
  const format = useFormat();
  const customerId = session.customerId;
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  // the date pickers are calendar days in the customer's time zone; `to` is inclusive here, exclusive in the API
  const query = {
    ...(from ? { from: zonedMidnight(from, format.timeZone) } : {}),
    ...(to ? { to: zonedMidnight(nextDay(to), format.timeZone) } : {}),
  };
  const purchases = useInfiniteQuery({
    queryKey: ["purchases", customerId, query],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api.GET("/customers/{customerId}/purchases", {
          params: { path: { customerId }, query: { limit: 20, ...query, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = purchases.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="purchases-title">
      <h2 id="purchases-title">{t("purchases")}</h2>
      <div className="filters">
        <label className="block">
          {t("from")}
          <input type="date" value={from} max={to || undefined} onChange={(event) => setFrom(event.target.value)} data-testid="from" />
        </label>
        <label className="block">
          {t("to")}
          <input type="date" value={to} min={from || undefined} onChange={(event) => setTo(event.target.value)} data-testid="to" />
        </label>
        {(from || to) && (
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setFrom("");
              setTo("");
            }}
          >
            {t("clear")}
          </button>
        )}
      </div>
      {purchases.isPending ? (
        <Loading />
      ) : purchases.isError ? (
        <ErrorState error={purchases.error} onRetry={() => void purchases.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{t("noPurchases")}</Empty>
      ) : (
        <>
          <ul className="list" data-testid="purchases">
            {items.map((purchase) => (
              <li key={purchase.purchaseId} className="row">
                <div>
                  <strong>{format.money(purchase.amount)}</strong>
                  <div className="muted">
                    {[purchase.category, t(`channel.${purchase.channel}`, { defaultValue: purchase.channel })].filter(Boolean).join(" · ")}
                  </div>
                  <div className="muted">{format.dateTime(purchase.occurredAt)}</div>
                </div>
                <span className="plus">{t("pointsEarned", { points: format.number(purchase.pointsEarned) })}</span>
              </li>
            ))}
          </ul>
          {purchases.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void purchases.fetchNextPage()}>
              {t("loadMore", { ns: "common" })}
            </button>
          )}
        </>
      )}
    </section>
  );
}
