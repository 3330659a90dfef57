import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey } from "../../api/client";
import { useApp } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorState, QueryView } from "../../components/states";
import { useSupportCategories } from "../support/categories";
import { chatKey, useChatThread } from "./chat";
import { ChatReply, ChatThread } from "./ChatThread";

/** Live chat: the customer's open chat (the newest one not closed), its thread refreshing while it is
 * open, or the form that starts one. */
export function LiveChat() {
  const { t } = useTranslation("help");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const [ended, setEnded] = useState(false);
  const chats = useQuery({
    queryKey: ["chats", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/chats", { params: { path: { customerId }, query: { limit: 5 } } })),
  });
  return (
    <section className="card" aria-labelledby="chat-title">
      <h2 id="chat-title">{t("chat")}</h2>
      <QueryView query={chats}>
        {({ items }) => {
          const current = items.find((chat) => chat.status !== "closed");
          return current ? (
            <OpenChat chatId={current.chatId} onEnded={() => setEnded(true)} />
          ) : (
            <>
              {ended && (
                <p className="notice" role="status">
                  {t("chatEnded")}
                </p>
              )}
              <StartChat onStarted={() => setEnded(false)} />
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function StartChat({ onStarted }: { onStarted: () => void }) {
  const { t } = useTranslation("help");
  const { api, session } = useApp();
  const queryClient = useQueryClient();
  const { categories } = useSupportCategories();
  const customerId = session.customerId;
  const [categoryId, setCategoryId] = useState("");
  const [message, setMessage] = useState("");
  const [key] = useState(idempotencyKey);
  const start = useMutation({
    mutationFn: () =>
      data(
        api.POST("/customers/{customerId}/chats", {
          params: { path: { customerId }, header: { "Idempotency-Key": key } },
          body: { categoryId, message: message.trim() },
        }),
      ),
    onSuccess: async () => {
      onStarted();
      await queryClient.invalidateQueries({ queryKey: ["chats", customerId] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    start.mutate();
  }
  return (
    <QueryView query={categories}>
      {({ items }) => (
        <form className="form" onSubmit={submit}>
          <p className="muted">{t("chatIntro")}</p>
          <label>
            {t("topic")}
            <select required value={categoryId} onChange={(event) => setCategoryId(event.target.value)}>
              <option value="" disabled>
                {t("chooseTopic")}
              </option>
              {items.map((category) => (
                <option key={category.categoryId} value={category.categoryId}>
                  {category.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("firstMessage")}
            <textarea required maxLength={2000} rows={3} value={message} onChange={(event) => setMessage(event.target.value)} />
          </label>
          {start.isError && <ErrorState error={start.error} />}
          <button type="submit" className="button primary" disabled={start.isPending}>
            {t("startChat")}
          </button>
        </form>
      )}
    </QueryView>
  );
}

function OpenChat({ chatId, onEnded }: { chatId: string; onEnded: () => void }) {
  const { t } = useTranslation("help");
  const { api, session } = useApp();
  const queryClient = useQueryClient();
  const thread = useChatThread(chatId);
  const [ending, setEnding] = useState(false);
  const [rating, setRating] = useState("");
  const close = useMutation({
    mutationFn: () =>
      data(api.POST("/chats/{chatId}/close", { params: { path: { chatId } }, body: rating ? { rating: Number(rating) } : {} })),
    onSuccess: async () => {
      setEnding(false);
      onEnded();
      await queryClient.invalidateQueries({ queryKey: chatKey(chatId) });
      await queryClient.invalidateQueries({ queryKey: ["chats", session.customerId] });
    },
  });
  return (
    <QueryView query={thread}>
      {(chat) => (
        <>
          <p className="notice" role="status" data-testid="chat-status" data-status={chat.status}>
            {t(`chatStatus.${chat.status}`)}
          </p>
          <ChatThread chat={chat} side="customer" />
          <ChatReply chatId={chatId} disabled={chat.status === "closed"} />
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => setEnding(true)}>
              {t("endChat")}
            </button>
          </div>
          {ending && (
            <ConfirmDialog
              title={t("endTitle")}
              confirmLabel={t("endConfirm")}
              busy={close.isPending}
              onCancel={() => {
                setEnding(false);
                close.reset();
              }}
              onConfirm={() => close.mutate()}
            >
              <label className="block">
                {t("rating")}
                <select value={rating} onChange={(event) => setRating(event.target.value)}>
                  <option value="">{t("noRating")}</option>
                  {[5, 4, 3, 2, 1].map((stars) => (
                    <option key={stars} value={stars}>
                      {t("stars", { count: stars })}
                    </option>
                  ))}
                </select>
              </label>
              {close.isError && <ErrorState error={close.error} />}
            </ConfirmDialog>
          )}
        </>
      )}
    </QueryView>
  );
}
