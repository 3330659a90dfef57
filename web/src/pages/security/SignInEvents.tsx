import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { Empty, ErrorState, Loading } from "../../components/states";
import { countryName } from "./labels";

/** The security event log (sign-ins, failed sign-ins, password changes, new devices), newest first. */
export function SignInEvents({ customerId }: { customerId: string }) {
  const { t } = useTranslation("security");
  const { api } = useApp();
  const format = useFormat();
  const events = useInfiniteQuery({
    queryKey: ["security-events", customerId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api.GET("/customers/{customerId}/security/events", {
          params: { path: { customerId }, query: { limit: 10, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="events-title">
      <h2 id="events-title">{t("eventsTitle")}</h2>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{t("noEvents")}</Empty>
      ) : (
        <>
          <ul className="list" data-testid="events">
            {items.map((event) => (
              <li key={event.eventId} className="row" data-type={event.type}>
                <div>
                  <strong className={event.type === "login_failed" ? "minus" : undefined}>
                    {t(`event.${event.type}`, { defaultValue: event.type })}
                  </strong>
                  <div className="muted">
                    {countryName(event.country, format.locale)} · <bdi dir="ltr">{event.ipAddress}</bdi>
                  </div>
                  <div className="muted">
                    {t("device")} <bdi dir="ltr">{event.deviceId}</bdi>
                  </div>
                </div>
                <div className="figure muted">{format.dateTime(event.createdAt)}</div>
              </li>
            ))}
          </ul>
          {events.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
              {t("loadMore", { ns: "common" })}
            </button>
          )}
        </>
      )}
    </section>
  );
}
