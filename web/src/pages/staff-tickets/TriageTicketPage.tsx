import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp } from "../../app/context";
import { BackIcon } from "../../components/icons";
import { ErrorState, QueryView } from "../../components/states";
import { CommentForm, Conversation, TicketFacts, useStatusLabel } from "../support/TicketParts";
import { PRIORITIES, staffMoves, type Priority } from "../support/tickets";

type Ticket = Schemas["TicketOutput"];

/** A ticket as staff triage it: status moves, priority, assignee, the conversation with internal notes. */
export function TriageTicketPage() {
  const { t } = useTranslation("staffTickets");
  const { api } = useApp();
  const { ticketId = "" } = useParams();
  const ticket = useQuery({
    queryKey: ["ticket", ticketId],
    queryFn: () => data(api.GET("/tickets/{ticketId}", { params: { path: { ticketId } } })),
  });
  const customerId = ticket.data?.customerId;
  const customer = useQuery({
    queryKey: ["profile", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/profile", { params: { path: { customerId: customerId! } } })),
    enabled: Boolean(customerId),
  });
  return (
    <div className="page">
      <Link to={customerId ? `/staff/tickets?customer=${encodeURIComponent(customerId)}` : "/staff/tickets"} className="button ghost back-link">
        <BackIcon />
        {t("backToTriage")}
      </Link>
      <QueryView query={ticket}>
        {(detail) => (
          <>
            <section className="card" aria-labelledby="ticket-title">
              <h1 id="ticket-title">
                <bdi>{detail.subject}</bdi>
              </h1>
              <p className="muted">{t("from", { name: customer.data?.displayName ?? detail.customerId })}</p>
              <TicketFacts ticket={detail} viewer="staff" />
            </section>
            <Triage ticket={detail} />
            <Conversation ticket={detail} viewer="staff" />
            {detail.status !== "closed" && <CommentForm ticketId={detail.ticketId} staff />}
          </>
        )}
      </QueryView>
    </div>
  );
}

function Triage({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation("staffTickets");
  const { api, session } = useApp();
  const queryClient = useQueryClient();
  const [assignee, setAssignee] = useState("");
  const patch = useMutation({
    mutationFn: (body: Schemas["TicketPatch"]) =>
      data(api.PATCH("/tickets/{ticketId}", { params: { path: { ticketId: ticket.ticketId } }, body })),
    onSuccess: (updated) => {
      queryClient.setQueryData(["ticket", ticket.ticketId], updated);
      void queryClient.invalidateQueries({ queryKey: ["tickets"] });
    },
  });
  const closed = ticket.status === "closed";
  const me = session.customerId;
  const label = useStatusLabel("staff");
  function assignTo(event: FormEvent) {
    event.preventDefault();
    patch.mutate({ assigneeId: assignee.trim() }, { onSuccess: () => setAssignee("") });
  }
  return (
    <section className="card" aria-labelledby="triage-title">
      <h2 id="triage-title">{t("triage")}</h2>
      {closed ? (
        <p className="notice">{t("closedNotice")}</p>
      ) : (
        <>
          <h3>{t("moveTo")}</h3>
          <div className="actions start" data-testid="status-moves">
            {staffMoves(ticket.status).map((status) => (
              <button
                key={status}
                type="button"
                className={status === "closed" ? "button secondary" : "button primary"}
                onClick={() => patch.mutate({ status })}
                disabled={patch.isPending}
              >
                {label(status)}
              </button>
            ))}
          </div>
          <label className="block">
            {t("priority", { ns: "support" })}
            <select
              value={ticket.priority}
              onChange={(event) => patch.mutate({ priority: event.target.value as Priority })}
              disabled={patch.isPending}
              data-testid="priority"
            >
              {PRIORITIES.map((value) => (
                <option key={value} value={value}>
                  {t(`priority.${value}`, { ns: "support" })}
                </option>
              ))}
            </select>
          </label>
          <h3>{t("assignee")}</h3>
          <p data-testid="assignee">
            {ticket.assigneeId === null ? t("unassigned") : ticket.assigneeId === me ? t("assignedToMe") : (
              <span dir="ltr" className="id">
                {ticket.assigneeId}
              </span>
            )}
          </p>
          <div className="actions start">
            {ticket.assigneeId !== me && (
              <button type="button" className="button secondary" onClick={() => patch.mutate({ assigneeId: me })} disabled={patch.isPending}>
                {t("assignToMe")}
              </button>
            )}
            {ticket.assigneeId !== null && (
              <button type="button" className="button secondary" onClick={() => patch.mutate({ assigneeId: null })} disabled={patch.isPending}>
                {t("unassign")}
              </button>
            )}
          </div>
          <form className="filters" onSubmit={assignTo}>
            <label className="block grow">
              {t("agentId")}
              <input required maxLength={128} value={assignee} onChange={(event) => setAssignee(event.target.value)} dir="ltr" />
            </label>
            <button type="submit" className="button secondary" disabled={patch.isPending}>
              {t("assign")}
            </button>
          </form>
        </>
      )}
      {patch.isError && <ErrorState error={patch.error} />}
    </section>
  );
}
