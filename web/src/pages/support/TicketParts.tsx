/** What the customer's ticket pages and the staff's triage share: the ticket's facts, its list with
 * the status filter, the conversation and the comment form. */
import { useState, type FormEvent } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey, type Schemas } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ForwardIcon } from "../../components/icons";
import { Empty, ErrorState, Loading } from "../../components/states";
import { useSupportCategories } from "./categories";
import { isOverdue, STATUSES, type TicketStatus } from "./tickets";

type Ticket = Schemas["TicketOutput"];
type TicketSummary = Schemas["TicketSummary"];

export type Viewer = "customer" | "staff";

/** A status as the viewer reads it: "waiting for you" to the customer, "waiting on the customer" to staff. */
export function useStatusLabel(viewer: Viewer): (status: TicketStatus) => string {
  const { t } = useTranslation("support");
  return (status) => (viewer === "staff" && status === "waiting_on_customer" ? t("status.waitingOnCustomer") : t(`status.${status}`));
}

export function StatusChip({ status, viewer }: { status: TicketStatus; viewer: Viewer }) {
  const label = useStatusLabel(viewer);
  return (
    <span className={`chip status-${status}`} data-testid="ticket-status" data-status={status}>
      {label(status)}
    </span>
  );
}

export function TicketFacts({ ticket, viewer }: { ticket: Ticket | TicketSummary; viewer: Viewer }) {
  const { t } = useTranslation("support");
  const format = useFormat();
  const { nameOf } = useSupportCategories();
  const overdue = isOverdue(ticket, Date.now());
  return (
    <dl className="facts">
      <div>
        <dt>{t("status")}</dt>
        <dd>
          <StatusChip status={ticket.status} viewer={viewer} />
        </dd>
      </div>
      <div>
        <dt>{t("priority")}</dt>
        <dd data-testid="ticket-priority">{t(`priority.${ticket.priority}`)}</dd>
      </div>
      <div>
        <dt>{t("category")}</dt>
        <dd>{nameOf(ticket.categoryId)}</dd>
      </div>
      <div>
        <dt>{t("opened")}</dt>
        <dd>{format.dateTime(ticket.createdAt)}</dd>
      </div>
      <div>
        <dt>{t("dueBy")}</dt>
        <dd className={overdue ? "overdue" : undefined}>
          {format.dateTime(ticket.slaDueAt)}
          {overdue ? ` (${t("overdue")})` : ""}
        </dd>
      </div>
    </dl>
  );
}

/** A customer's tickets, newest first, with the status filter; each links to `linkTo(ticketId)`. */
export function TicketList({ customerId, viewer, linkTo }: { customerId: string; viewer: Viewer; linkTo: (ticketId: string) => string }) {
  const { t } = useTranslation("support");
  const { api } = useApp();
  const format = useFormat();
  const label = useStatusLabel(viewer);
  const [status, setStatus] = useState<TicketStatus | "">("");
  const tickets = useInfiniteQuery({
    queryKey: ["tickets", customerId, status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api.GET("/customers/{customerId}/tickets", {
          params: {
            path: { customerId },
            query: { limit: 10, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = tickets.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="tickets-title">
      <div className="section-head">
        <h2 id="tickets-title">{viewer === "staff" ? t("tickets") : t("myTickets")}</h2>
        <label className="inline">
          {t("statusFilter")}
          <select value={status} onChange={(event) => setStatus(event.target.value as TicketStatus | "")} data-testid="status-filter">
            <option value="">{t("status.all")}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {label(value)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {tickets.isPending ? (
        <Loading />
      ) : tickets.isError ? (
        <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{status ? t("noTicketsWithStatus", { status: label(status) }) : viewer === "staff" ? t("noTicketsStaff") : t("noTickets")}</Empty>
      ) : (
        <>
          <ul className="list" data-testid="tickets">
            {items.map((ticket) => (
              <li key={ticket.ticketId} data-status={ticket.status}>
                <Link to={linkTo(ticket.ticketId)} className="item-link">
                  <div>
                    <strong>
                      <bdi>{ticket.subject}</bdi>
                    </strong>
                    <div className="muted">
                      <StatusChip status={ticket.status} viewer={viewer} /> · {t(`priority.${ticket.priority}`)} · {format.dateTime(ticket.updatedAt)}
                    </div>
                  </div>
                  <ForwardIcon />
                </Link>
              </li>
            ))}
          </ul>
          {tickets.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void tickets.fetchNextPage()} disabled={tickets.isFetchingNextPage}>
              {t("loadMore", { ns: "common" })}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The ticket's description and comments, oldest first; internal notes only reach staff (the API
 * leaves them out for the customer) and are marked. */
export function Conversation({ ticket, viewer }: { ticket: Ticket; viewer: Viewer }) {
  const { t } = useTranslation("support");
  const { session } = useApp();
  const format = useFormat();
  const author = (comment: Schemas["TicketCommentOutput"]) => {
    if (comment.authorId === session.customerId) {
      return t("you");
    }
    return comment.authorRole === "customer" ? t("customer") : viewer === "staff" ? t("agent") : t("supportTeam");
  };
  return (
    <section className="card" aria-labelledby="conversation-title">
      <h2 id="conversation-title">{t("conversation")}</h2>
      <ol className="thread" data-testid="conversation">
        <li className={viewer === "customer" ? "bubble mine" : "bubble"}>
          <div className="muted">
            {viewer === "customer" ? t("you") : t("customer")} · {format.dateTime(ticket.createdAt)}
          </div>
          <p className="pre" dir="auto">{ticket.description}</p>
        </li>
        {ticket.comments.map((comment) => {
          const mine = viewer === "customer" ? comment.authorRole === "customer" : comment.authorRole === "staff";
          return (
            <li
              key={comment.commentId}
              className={`bubble${mine ? " mine" : ""}${comment.internal ? " internal" : ""}`}
              data-internal={comment.internal}
            >
              <div className="muted">
                {author(comment)} · {format.dateTime(comment.createdAt)}
                {comment.internal && <strong className="badge"> {t("internal")}</strong>}
              </div>
              <p className="pre" dir="auto">{comment.body}</p>
            </li>
          );
        })}
      </ol>
      {ticket.comments.length === 0 && <p className="muted">{t("noComments")}</p>}
    </section>
  );
}

/** The comment form; staff may mark a comment internal (never shown to the customer). */
export function CommentForm({ ticketId, staff = false }: { ticketId: string; staff?: boolean }) {
  const { t } = useTranslation("support");
  const { api } = useApp();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const [internal, setInternal] = useState(false);
  const [key, setKey] = useState(idempotencyKey);
  const comment = useMutation({
    mutationFn: () =>
      data(
        api.POST("/tickets/{ticketId}/comments", {
          params: { path: { ticketId }, header: { "Idempotency-Key": key } },
          body: { body: body.trim(), internal: staff && internal },
        }),
      ),
    onSuccess: async () => {
      setBody("");
      setInternal(false);
      setKey(idempotencyKey());
      // the owner's comment may move the ticket (waiting_on_customer → in_progress): read it again
      await queryClient.invalidateQueries({ queryKey: ["ticket", ticketId] });
      void queryClient.invalidateQueries({ queryKey: ["tickets"] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    comment.mutate();
  }
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="comment-title">
      <h2 id="comment-title">{t("addComment")}</h2>
      <label>
        {t("comment")}
        <textarea required maxLength={5000} rows={3} value={body} onChange={(event) => setBody(event.target.value)} />
      </label>
      {staff && (
        <label className="inline">
          <input type="checkbox" checked={internal} onChange={(event) => setInternal(event.target.checked)} />
          {t("internalNote")}
        </label>
      )}
      {comment.isError && <ErrorState error={comment.error} />}
      <button type="submit" className="button primary" disabled={comment.isPending || body.trim() === ""}>
        {t("send")}
      </button>
    </form>
  );
}
