import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { BackIcon } from "../../components/icons";
import { ErrorState, QueryView } from "../../components/states";
import { CommentForm, Conversation, TicketFacts } from "./TicketParts";
import { ownerActions, type TicketStatus } from "./tickets";

/** One of the customer's tickets: its facts, the conversation, a comment, close / reopen. */
export function TicketPage() {
  const { t } = useTranslation("support");
  const { api } = useApp();
  const { ticketId = "" } = useParams();
  const ticket = useQuery({
    queryKey: ["ticket", ticketId],
    queryFn: () => data(api.GET("/tickets/{ticketId}", { params: { path: { ticketId } } })),
  });
  return (
    <div className="page">
      <Link to="/support" className="button ghost back-link">
        <BackIcon />
        {t("allTickets")}
      </Link>
      <QueryView query={ticket}>
        {(detail) => {
          const actions = ownerActions(detail, Date.now());
          return (
            <>
              <section className="card" aria-labelledby="ticket-title">
                <h1 id="ticket-title">
                <bdi>{detail.subject}</bdi>
              </h1>
                <TicketFacts ticket={detail} viewer="customer" />
                <OwnerActions ticket={detail} close={actions.close} reopen={actions.reopen} />
              </section>
              <Conversation ticket={detail} viewer="customer" />
              {actions.comment ? <CommentForm ticketId={detail.ticketId} /> : <p className="notice">{t("closedNotice")}</p>}
            </>
          );
        }}
      </QueryView>
    </div>
  );
}

function OwnerActions({ ticket, close, reopen }: { ticket: Schemas["TicketOutput"]; close: boolean; reopen: boolean }) {
  const { t } = useTranslation("support");
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const move = useMutation({
    mutationFn: (status: TicketStatus) =>
      data(api.PATCH("/tickets/{ticketId}", { params: { path: { ticketId: ticket.ticketId } }, body: { status } })),
    onSuccess: (updated) => {
      setConfirming(false);
      queryClient.setQueryData(["ticket", ticket.ticketId], updated);
      void queryClient.invalidateQueries({ queryKey: ["tickets"] });
    },
  });
  if (!close && !reopen) {
    return null;
  }
  return (
    <>
      <div className="actions">
        {reopen && (
          <button type="button" className="button secondary" onClick={() => move.mutate("open")} disabled={move.isPending}>
            {t("reopen")}
          </button>
        )}
        {close && (
          <button type="button" className="button secondary" onClick={() => setConfirming(true)} disabled={move.isPending}>
            {t("close")}
          </button>
        )}
      </div>
      {move.isError && !confirming && <ErrorState error={move.error} />}
      {confirming && (
        <ConfirmDialog
          title={t("closeTitle")}
          confirmLabel={t("closeConfirm")}
          busy={move.isPending}
          onCancel={() => {
            setConfirming(false);
            move.reset();
          }}
          onConfirm={() => move.mutate("closed")}
        >
          <p>{t("closeBody")}</p>
          {move.isError && <ErrorState error={move.error} />}
        </ConfirmDialog>
      )}
    </>
  );
}
