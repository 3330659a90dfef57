import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ForwardIcon } from "../../components/icons";
import { Empty, ErrorState, Loading } from "../../components/states";
import { useSupportCategories } from "../support/categories";

/** How often the waiting queue is read again while the page is open. */
const QUEUE_POLL_MS = 5_000;

/** The chats waiting for an agent, oldest first, kept fresh while the page is open. */
export function ChatQueuePage() {
  const { t } = useTranslation("staffChats");
  const { api } = useApp();
  const format = useFormat();
  const { nameOf } = useSupportCategories();
  const queue = useInfiniteQuery({
    queryKey: ["chat-queue"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(api.GET("/support/chats", { params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: QUEUE_POLL_MS,
    staleTime: 0,
  });
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <section className="card" aria-labelledby="queue-title">
        <h2 id="queue-title">{t("waiting")}</h2>
        {queue.isPending ? (
          <Loading />
        ) : queue.isError ? (
          <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
        ) : items.length === 0 ? (
          <Empty>{t("empty")}</Empty>
        ) : (
          <>
            <ul className="list" data-testid="chat-queue">
              {items.map((chat) => (
                <li key={chat.chatId} data-chat={chat.chatId}>
                  <Link to={`/staff/chats/${encodeURIComponent(chat.chatId)}`} className="item-link">
                    <div>
                      <strong className="pre" dir="auto">{chat.openingMessage}</strong>
                      <div className="muted">
                        {nameOf(chat.categoryId)} · {t("since", { time: format.dateTime(chat.createdAt) })}
                      </div>
                    </div>
                    <span className="answer-cue">
                      {t("answer")}
                      <ForwardIcon />
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
            {queue.hasNextPage && (
              <button type="button" className="button secondary" onClick={() => void queue.fetchNextPage()} disabled={queue.isFetchingNextPage}>
                {t("loadMore", { ns: "common" })}
              </button>
            )}
          </>
        )}
      </section>
    </div>
  );
}
