import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ErrorState } from "../../components/states";
import { chatKey, type Chat } from "./chat";

/** A chat's messages, oldest first, announced politely as they arrive; `side` is the viewer's. */
export function ChatThread({ chat, side }: { chat: Chat; side: "customer" | "agent" }) {
  const { t } = useTranslation("help");
  const format = useFormat();
  const sender = (who: "customer" | "agent") => (who === side ? t("you") : who === "agent" ? t("agent") : t("customer"));
  return (
    <div role="log" aria-live="polite" aria-label={t("thread")} data-testid="chat-thread">
      <ol className="thread">
        {chat.messages.map((message) => (
          <li key={message.messageId} className={message.sender === side ? "bubble mine" : "bubble"} data-sender={message.sender}>
            <div className="muted">
              {sender(message.sender)} · {format.dateTime(message.createdAt)}
            </div>
            <p className="pre" dir="auto">{message.body}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The message box under a thread. After sending, the thread is read again from the last message it
 * held (not merged locally: a message of the other side may have come in between). */
export function ChatReply({ chatId, disabled = false }: { chatId: string; disabled?: boolean }) {
  const { t } = useTranslation("help");
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const [key, setKey] = useState(idempotencyKey);
  const send = useMutation({
    mutationFn: () =>
      data(
        api.POST("/chats/{chatId}/messages", {
          params: { path: { chatId }, header: { "Idempotency-Key": key } },
          body: { body: body.trim() },
        }),
      ),
    onSuccess: async () => {
      setBody("");
      setKey(idempotencyKey());
      await queryClient.invalidateQueries({ queryKey: chatKey(chatId) });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate();
  }
  return (
    <form className="form" onSubmit={submit}>
      <label>
        {t("message")}
        <textarea required maxLength={2000} rows={2} value={body} onChange={(event) => setBody(event.target.value)} disabled={disabled} />
      </label>
      {send.isError && <ErrorState error={send.error} />}
      <button type="submit" className="button primary" disabled={disabled || send.isPending || body.trim() === ""}>
        {t("send")}
      </button>
    </form>
  );
}
