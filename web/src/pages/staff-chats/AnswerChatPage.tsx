import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { BackIcon } from "../../components/icons";
import { ErrorState, QueryView } from "../../components/states";
import { chatKey, useChatThread } from "../help/chat";
import { ChatReply, ChatThread } from "../help/ChatThread";
import { useSupportCategories } from "../support/categories";

/** An agent's view of one chat: the thread (refreshing), the reply box (the first reply takes the chat),
 * closing it, and the way to the customer's tickets. */
export function AnswerChatPage() {
  const { t } = useTranslation("staffChats");
  const { api, session } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const { chatId = "" } = useParams();
  const { nameOf } = useSupportCategories();
  const thread = useChatThread(chatId);
  const customerId = thread.data?.customerId;
  const customer = useQuery({
    queryKey: ["profile", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/profile", { params: { path: { customerId: customerId! } } })),
    enabled: Boolean(customerId),
  });
  const [ending, setEnding] = useState(false);
  const close = useMutation({
    mutationFn: () => data(api.POST("/chats/{chatId}/close", { params: { path: { chatId } }, body: {} })),
    onSuccess: async () => {
      setEnding(false);
      await queryClient.invalidateQueries({ queryKey: chatKey(chatId) });
      void queryClient.invalidateQueries({ queryKey: ["chat-queue"] });
    },
  });
  return (
    <div className="page">
      <Link to="/staff/chats" className="button ghost back-link">
        <BackIcon />
        {t("backToQueue")}
      </Link>
      <QueryView query={thread}>
        {(chat) => {
          const takenByOther = chat.agentId !== null && chat.agentId !== session.customerId;
          return (
            <>
              <section className="card" aria-labelledby="answer-title">
                <h1 id="answer-title">{t("chatWith", { name: customer.data?.displayName ?? t("theCustomer") })}</h1>
                <dl className="facts">
                  <div>
                    <dt>{t("topic")}</dt>
                    <dd>{nameOf(chat.categoryId)}</dd>
                  </div>
                  <div>
                    <dt>{t("started")}</dt>
                    <dd>{format.dateTime(chat.createdAt)}</dd>
                  </div>
                  <div>
                    <dt>{t("customerId")}</dt>
                    <dd dir="ltr" className="id">
                      {chat.customerId}
                    </dd>
                  </div>
                </dl>
                <p className="notice" role="status" data-testid="chat-status" data-status={chat.status}>
                  {takenByOther ? t("takenByOther") : t(`status.${chat.status}`)}
                </p>
                <Link to={`/staff/tickets?customer=${encodeURIComponent(chat.customerId)}`}>{t("customerTickets")}</Link>
              </section>
              <section className="card" aria-labelledby="thread-title">
                <h2 id="thread-title">{t("messages")}</h2>
                <ChatThread chat={chat} side="agent" />
                <ChatReply chatId={chatId} disabled={chat.status === "closed" || takenByOther} />
                {chat.status !== "closed" && (
                  <div className="actions">
                    <button type="button" className="button secondary" onClick={() => setEnding(true)}>
                      {t("endChat")}
                    </button>
                  </div>
                )}
              </section>
              {ending && (
                <ConfirmDialog
                  title={t("endTitle")}
                  confirmLabel={t("endChat")}
                  busy={close.isPending}
                  onCancel={() => {
                    setEnding(false);
                    close.reset();
                  }}
                  onConfirm={() => close.mutate()}
                >
                  <p>{t("endBody")}</p>
                  {close.isError && <ErrorState error={close.error} />}
                </ConfirmDialog>
              )}
            </>
          );
        }}
      </QueryView>
    </div>
  );
}
