"""Ticket rules: opening a ticket, reading it (internal notes only for staff), comments, and
changes by the owner or staff along the status machine of `workflow`.

Every change reads the ticket, decides the new ticket, and writes it on the condition that its
version is still the one read (`TicketMoved` otherwise); `support.categories.service.retry` then reads again
and decides again, so concurrent changes are never lost. Each status change and each agent reply
is a notification, added to the outbox in the change's own unit of work (sent if, and only if,
the change commits), under a message id that follows from what was written (the ticket's version,
the comment's id), so that a re-execution emits the same message.

Opening a ticket and commenting are operations (`customer_id.operations`): with Idempotency-Key the
ticket's and the comment's ids derive from the operation, and a re-execution after a failure past
the commit (a 5xx, a timeout, a lost answer) answers with the first ticket or comment and writes
nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from customer_id import clock, db, operations, pagination, queues
from customer_id.analytics import engagement
from customer_id.auth import Caller, ensure_may_see
from customer_id.errors import Conflict, Forbidden, NotFound
from customer_id.profile.service import require_profile
from customer_id.support.categories.service import require_category, retry, retry_operation
from customer_id.support.tickets import repository, workflow
from customer_id.support.tickets.models import AuthorRole, Comment, Ticket
from customer_id.support.tickets.repository import TicketIdTaken, TicketMoved
from customer_id.support.tickets.schemas import (
    TicketCommentInput,
    TicketCommentOutput,
    TicketInput,
    TicketOutput,
    TicketPage,
    TicketPatch,
    TicketSummary,
)
from customer_id.support.tickets.workflow import Status

BUSY = "ticket_busy"
# A ticket's answer holds its comments (API.md: `comments: [...]`), and a Lambda answer holds at
# most 6 MB. A comment of 5,000 characters outside the Basic Multilingual Plane is JSON-escaped to
# 12 bytes a character, 14 once the answer's body is a string in Lambda's own JSON: 70 KB, so 50
# comments and the ticket itself stay under 4 MB. The 51st comment is a 409: open a new ticket.
MAX_COMMENTS = 50


def _summary_fields(ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket_id": ticket.ticket_id,
        "customer_id": ticket.customer_id,
        "subject": ticket.subject,
        "description": ticket.description,
        "category_id": ticket.category_id,
        "priority": ticket.priority,
        "status": ticket.status,
        "assignee_id": ticket.assignee_id,
        "sla_due_at": ticket.sla_due_at,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
    }


def _comment_output(comment: Comment) -> TicketCommentOutput:
    return TicketCommentOutput(
        comment_id=comment.comment_id,
        author_id=comment.author_id,
        author_role=comment.author_role,
        body=comment.body,
        internal=comment.internal,
        created_at=comment.created_at,
    )


def _output(ticket: Ticket, comments: list[Comment], role: AuthorRole) -> TicketOutput:
    """The ticket as `role` sees it: internal comments are for staff only."""
    return TicketOutput(
        **_summary_fields(ticket),
        comments=[
            _comment_output(comment) for comment in comments if role == "staff" or not comment.internal
        ],
    )


def _visible(ticket_id: str, caller: Caller) -> tuple[Ticket, AuthorRole]:
    """The ticket and the caller's role on it; 404 alike for a ticket that does not exist and one
    the caller may not see."""
    ticket = repository.get(ticket_id)
    if ticket is None:
        raise NotFound("not_found")
    ensure_may_see(caller, ticket.customer_id)
    # the owner acts as the customer on their own ticket, even a staff member's own
    return ticket, "customer" if caller.customer_id == ticket.customer_id else "staff"


def owner_of(ticket_id: str) -> str | None:
    """Who opened the ticket (None: no such ticket): how the edge finds out, before it reads the
    request's input, whether a customer may see it (`http.Owned`)."""
    ticket = repository.get(ticket_id)
    return None if ticket is None else ticket.customer_id


def _notify_status(work: db.UnitOfWork, before: Ticket, after: Ticket) -> None:
    queues.notify(
        work,
        f"ticket:{after.ticket_id}:version:{after.version}",
        after.customer_id,
        "support",
        "ticket_status_changed",
        ticketId=after.ticket_id,
        subject=after.subject,
        previousStatus=before.status,
        status=after.status,
    )


def create_ticket(customer_id: str, data: TicketInput) -> TicketOutput:
    require_category(data.category_id)
    require_profile(customer_id)

    def attempt(work: db.UnitOfWork) -> TicketOutput:
        now = clock.now()
        ticket = Ticket(
            ticket_id=operations.derive("ticket"),  # random without a key: drawn again on a retry
            customer_id=customer_id,
            subject=data.subject,
            description=data.description,
            category_id=data.category_id,
            priority=data.priority,
            status="open",
            assignee_id=None,
            sla_due_at=workflow.sla_due_at(now, data.priority),
            created_at=now,
            updated_at=now,
            resolved_at=None,
            closed_at=None,
            version=1,
        )
        repository.create(work, ticket)
        engagement.count_engagement(work, customer_id, "tickets_opened")
        return _output(ticket, [], "customer")

    # with a key, a taken id is this operation's own ticket: the retry finds its outcome
    return retry_operation(attempt, TicketOutput, (TicketIdTaken,), BUSY)


def get_ticket(ticket_id: str, caller: Caller) -> TicketOutput:
    ticket, role = _visible(ticket_id, caller)
    return _output(ticket, repository.comments(ticket_id, MAX_COMMENTS), role)


def list_tickets(customer_id: str, status: Status | None, limit: int, cursor: str | None) -> TicketPage:
    scope = f"tickets|{customer_id}|{status or ''}"
    tickets, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.customer_page(customer_id, status, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return TicketPage(
        items=[TicketSummary(**_summary_fields(ticket)) for ticket in tickets], next_cursor=next_cursor
    )


def add_comment(ticket_id: str, data: TicketCommentInput, caller: Caller) -> TicketCommentOutput:
    """A comment; the owner's comment on a ticket waiting on them moves it back to in_progress.
    The status change and a staff reply the customer sees are notified with the comment."""
    comment_id = operations.derive("comment")

    def attempt(work: db.UnitOfWork) -> TicketCommentOutput:
        ticket, role = _visible(ticket_id, caller)
        if data.internal and role == "customer":
            raise Forbidden("ticket_internal_staff_only")
        if ticket.status == "closed":
            raise Conflict("ticket_closed")
        # decided on the ticket as read: the write below is conditioned on its version, so two
        # comments added at once cannot both be the last one allowed
        if ticket.comment_count >= MAX_COMMENTS:
            raise Conflict("too_many_comments", max=MAX_COMMENTS)
        now = clock.now()
        status: Status = (
            "in_progress" if role == "customer" and ticket.status == "waiting_on_customer" else ticket.status
        )
        after = replace(
            ticket,
            status=status,
            updated_at=now,
            version=ticket.version + 1,
            comment_count=ticket.comment_count + 1,
        )
        comment = Comment(
            comment_id=comment_id,
            author_id=caller.customer_id,
            author_role=role,
            body=data.body,
            internal=data.internal,
            created_at=now,
        )
        repository.save_change(work, ticket, after, comment)
        if after.status != ticket.status:
            _notify_status(work, ticket, after)
        if role == "staff" and not comment.internal:
            queues.notify(
                work,
                f"ticket:{ticket_id}:comment:{comment.comment_id}",
                ticket.customer_id,
                "support",
                "ticket_agent_reply",
                ticketId=ticket_id,
                subject=ticket.subject,
                commentId=comment.comment_id,
            )
        return _comment_output(comment)

    return retry_operation(attempt, TicketCommentOutput, (TicketMoved,), BUSY)


def patched(
    ticket: Ticket, patch: TicketPatch, role: AuthorRole, caller_id: str, now: datetime
) -> Ticket | None:
    """The ticket after the patch, or None when the patch changes nothing. 403 for what only staff
    may do, 409 for a move nobody may make and for any change to a closed ticket."""
    fields = patch.model_fields_set
    if role == "customer" and fields & {"priority", "assignee_id"}:
        raise Forbidden("ticket_fields_staff_only")
    changes: dict[str, Any] = {}
    if patch.status is not None and patch.status != ticket.status:
        workflow.check_move(
            ticket.status, patch.status, by_owner=role == "customer", resolved_at=ticket.resolved_at, now=now
        )
        changes["status"] = patch.status
        if patch.status == "resolved":
            changes["resolved_at"] = now
        elif patch.status == "open":
            changes["resolved_at"] = None
        elif patch.status == "closed":
            changes["closed_at"] = now
        elif patch.status == "in_progress" and role == "staff" and ticket.assignee_id is None:
            # the agent who takes an unassigned ticket is its assignee, unless the patch names one
            changes["assignee_id"] = patch.assignee_id if "assignee_id" in fields else caller_id
    if patch.priority is not None and patch.priority != ticket.priority:
        changes["priority"] = patch.priority
        changes["sla_due_at"] = workflow.sla_due_at(ticket.created_at, patch.priority)
    if "assignee_id" in fields and patch.assignee_id != ticket.assignee_id:
        changes["assignee_id"] = patch.assignee_id
    if not changes:
        return None
    if ticket.status == "closed":
        raise Conflict("ticket_closed")
    return replace(ticket, **changes, updated_at=now, version=ticket.version + 1)


def update_ticket(ticket_id: str, patch: TicketPatch, caller: Caller) -> TicketOutput:
    def attempt(work: db.UnitOfWork) -> tuple[Ticket, Ticket | None, AuthorRole]:
        ticket, role = _visible(ticket_id, caller)
        after = patched(ticket, patch, role, caller.customer_id, clock.now())
        if after is not None:
            repository.save_change(work, ticket, after)
            if after.status != ticket.status:
                _notify_status(work, ticket, after)
        return ticket, after, role

    ticket, after, role = retry(attempt, (TicketMoved,), BUSY)
    return _output(ticket if after is None else after, repository.comments(ticket_id, MAX_COMMENTS), role)
