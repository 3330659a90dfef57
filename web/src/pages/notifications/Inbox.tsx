import { useId, useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { Empty, ErrorState, Loading } from "../../components/states";

/** The inbox refreshes itself while it is on screen: notifications are delivered through a queue, a
 * moment after what caused them. */
const REFRESH_MS = 10_000;

export function Inbox() {
  const { t } = useTranslation("notifications");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useInfiniteQuery({
    queryKey: ["notifications", customerId, unreadOnly],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api.GET("/customers/{customerId}/notifications", {
          params: {
            path: { customerId },
            query: { limit: 20, unreadOnly: unreadOnly ? "true" : "false", ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: REFRESH_MS,
  });
  const markRead = useMutation({
    mutationFn: (notificationId: string) =>
      data(
        api.POST("/customers/{customerId}/notifications/{notificationId}/read", {
          params: { path: { customerId, notificationId } },
          body: {},
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["notifications", customerId] }),
  });
  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="inbox-title">
      <div className="section-head">
        <h2 id="inbox-title">{t("inbox")}</h2>
        <label className="inline">
          <input type="checkbox" checked={unreadOnly} onChange={(event) => setUnreadOnly(event.target.checked)} data-testid="unread-only" />
          {t("unreadOnly")}
        </label>
      </div>
      {markRead.isError && <ErrorState error={markRead.error} />}
      {inbox.isPending ? (
        <Loading />
      ) : inbox.isError ? (
        <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{unreadOnly ? t("noUnread") : t("noNotifications")}</Empty>
      ) : (
        <>
          <ul className="list inbox" data-testid="inbox">
            {items.map((item) => (
              <InboxItem
                key={item.notificationId}
                item={item}
                busy={markRead.isPending && markRead.variables === item.notificationId}
                onRead={() => markRead.mutate(item.notificationId)}
              />
            ))}
          </ul>
          {inbox.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void inbox.fetchNextPage()} disabled={inbox.isFetchingNextPage}>
              {t("loadMore", { ns: "common" })}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function InboxItem({ item, busy, onRead }: { item: Schemas["NotificationOutput"]; busy: boolean; onRead: () => void }) {
  const { t } = useTranslation("notifications");
  const format = useFormat();
  const unread = item.readAt === null;
  const titleId = useId();
  const channels = new Intl.ListFormat(format.locale, { type: "conjunction" }).format(item.channels.map((channel) => t(`via.${channel}`)));
  return (
    <li className={unread ? "notification unread" : "notification"} data-category={item.category} data-read={unread ? "false" : "true"}>
      <div className="notification-head">
        <span className="chip">{t(`category.${item.category}`)}</span>
        {unread && <span className="chip unread-chip">{t("unread")}</span>}
        <time className="muted" dateTime={item.createdAt}>
          {format.dateTime(item.createdAt)}
        </time>
      </div>
      <h3 id={titleId}>{item.title}</h3>
      <p>{item.body}</p>
      <div className="row">
        <span className="muted">
          {item.channels.length > 0 ? t("sentBy", { channels }) : ""}
          {item.readAt && (
            <>
              {item.channels.length > 0 ? " · " : ""}
              {t("readOn", { date: format.dateTime(item.readAt) })}
            </>
          )}
        </span>
        {unread && (
          <button type="button" className="button secondary" onClick={onRead} disabled={busy} aria-describedby={titleId}>
            {t("markRead")}
          </button>
        )}
      </div>
    </li>
  );
}
