import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { Empty, ErrorState, Loading, QueryView } from "../../components/states";

/** Admins see every segment (what it means, its rule) with its customer count and average spend
 * over 12 months; the counts are the API's aggregates and say when they last moved. */
export function SegmentStatsPage() {
  const { t } = useTranslation("segmentStats");
  const { api } = useApp();
  const segments = useQuery({ queryKey: ["segments"], queryFn: () => data(api.GET("/segments")) });
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <QueryView query={segments}>
        {({ items }) => (items.length === 0 ? <Empty>{t("noSegments")}</Empty> : <StatsTable segments={items} />)}
      </QueryView>
    </div>
  );
}

function StatsTable({ segments }: { segments: Schemas["SegmentDefinition"][] }) {
  const { t } = useTranslation("segmentStats");
  const { api } = useApp();
  const format = useFormat();
  const stats = useQueries({
    queries: segments.map((segment) => ({
      queryKey: ["segment-stats", segment.segmentId],
      queryFn: () =>
        data(api.GET("/segments/{segmentId}/stats", { params: { path: { segmentId: segment.segmentId } } })),
    })),
  });
  const loaded = stats.flatMap((query) => (query.data ? [query.data] : []));
  const total = loaded.reduce((sum, item) => sum + item.customerCount, 0);
  return (
    <section className="card" aria-labelledby="stats-title">
      <h2 id="stats-title">{t("tableTitle")}</h2>
      {loaded.length === segments.length && (
        <p data-testid="total-customers">{t("total", { count: total, formatted: format.number(total) })}</p>
      )}
      <div className="table-scroll">
        <table className="table" data-testid="segment-stats">
          <thead>
            <tr>
              <th scope="col">{t("segment")}</th>
              <th scope="col">{t("customers")}</th>
              <th scope="col">{t("averageSpend")}</th>
              <th scope="col">{t("updated")}</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((segment, index) => {
              const query = stats[index]!;
              return (
                <tr key={segment.segmentId} data-segment={segment.segmentId}>
                  <th scope="row">
                    <strong>{segment.name}</strong>
                    <div className="muted">{segment.description}</div>
                    <div className="muted">
                      {t("rule")} <bdi dir="ltr">{segment.rule}</bdi>
                    </div>
                  </th>
                  {query.isPending ? (
                    <td colSpan={3}>
                      <Loading />
                    </td>
                  ) : query.isError ? (
                    <td colSpan={3}>
                      <ErrorState error={query.error} onRetry={() => void query.refetch()} />
                    </td>
                  ) : (
                    <>
                      <td data-testid="count">{format.number(query.data.customerCount)}</td>
                      <td>{format.money(query.data.averageSpend12m)}</td>
                      <td>{query.data.updatedAt ? format.dateTime(query.data.updatedAt) : t("never")}</td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
