/** The ticket status machine of the contract (API.md "Support tickets"), as the pages need it: which
 * moves staff may offer, what the ticket's owner may do, whether the service-level deadline passed.
 * The API decides (403/409); these rules only decide which buttons a page shows. */
import type { Schemas } from "../../api/client";

export type TicketStatus = Schemas["TicketOutput"]["status"];
export type Priority = Schemas["TicketOutput"]["priority"];

export const STATUSES: TicketStatus[] = ["open", "in_progress", "waiting_on_customer", "resolved", "closed"];
export const PRIORITIES: Priority[] = ["low", "normal", "high", "urgent"];

/** open → in_progress; in_progress → waiting_on_customer or resolved; waiting_on_customer →
 * in_progress; resolved → open; any but closed → closed; closed → nothing. (A status the contract
 * adds and this map lacks breaks `tsc`.) */
const STAFF_MOVES: Record<TicketStatus, TicketStatus[]> = {
  open: ["in_progress", "closed"],
  in_progress: ["waiting_on_customer", "resolved", "closed"],
  waiting_on_customer: ["in_progress", "closed"],
  resolved: ["open", "closed"],
  closed: [],
};

export const REOPEN_WITHIN_MS = 7 * 24 * 3_600_000;

export function staffMoves(status: TicketStatus): TicketStatus[] {
  return STAFF_MOVES[status];
}

export interface OwnerActions {
  close: boolean;
  reopen: boolean;
  comment: boolean;
}

/** The owner closes any ticket but a closed one, reopens a resolved one within 7 days of its
 * resolution, and comments until it is closed. */
export function ownerActions(ticket: Pick<Schemas["TicketOutput"], "status" | "resolvedAt">, now: number): OwnerActions {
  const resolvedAt = ticket.resolvedAt ? Date.parse(ticket.resolvedAt) : Number.NaN;
  return {
    close: ticket.status !== "closed",
    reopen: ticket.status === "resolved" && now - resolvedAt <= REOPEN_WITHIN_MS,
    comment: ticket.status !== "closed",
  };
}

/** Past its `slaDueAt` and still waiting for the support team (not resolved or closed). */
export function isOverdue(ticket: Pick<Schemas["TicketOutput"], "status" | "slaDueAt">, now: number): boolean {
  return ticket.status !== "resolved" && ticket.status !== "closed" && now > Date.parse(ticket.slaDueAt);
}
