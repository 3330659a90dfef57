"""The ticket records of the support table: the only code that reads or writes them. Writes are
added to the caller's `db.UnitOfWork`, each condition naming its meaning: `TicketMoved` (the
ticket changed since it was read: read it and decide again) or `TicketIdTaken` (draw another id)."""

from __future__ import annotations

from typing import Any, cast

from pynamodb.exceptions import DoesNotExist

from customer_id import db
from customer_id.support.tickets.models import (
    TICKET_SK,
    AuthorRole,
    Comment,
    Ticket,
    TicketCommentRecord,
    TicketRecord,
    comment_key,
    customer_ticket_sort_key,
    customer_tickets_key,
    ticket_key,
)
from customer_id.support.tickets.workflow import Priority, Status


class TicketMoved(Exception):
    """The ticket changed since it was read: read it and decide again."""


class TicketIdTaken(Exception):
    """A ticket already has the new ticket's id: draw another one."""


def _record(ticket: Ticket) -> TicketRecord:
    return TicketRecord(
        pk=ticket_key(ticket.ticket_id),
        sk=TICKET_SK,
        ticket_id=ticket.ticket_id,
        customer_id=ticket.customer_id,
        subject=ticket.subject,
        description=ticket.description,
        category_id=ticket.category_id,
        priority=ticket.priority,
        status=ticket.status,
        assignee_id=ticket.assignee_id,
        sla_due_at=ticket.sla_due_at,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        version=ticket.version,
        comment_count=ticket.comment_count,
        gsi1pk=customer_tickets_key(ticket.customer_id),
        gsi1sk=customer_ticket_sort_key(ticket.created_at, ticket.ticket_id),
    )


def _ticket(record: TicketRecord) -> Ticket:
    return Ticket(
        ticket_id=record.ticket_id,
        customer_id=record.customer_id,
        subject=record.subject,
        description=record.description,
        category_id=record.category_id,
        priority=cast(Priority, record.priority),
        status=cast(Status, record.status),
        assignee_id=record.assignee_id,
        sla_due_at=record.sla_due_at,
        created_at=record.created_at,
        updated_at=record.updated_at,
        resolved_at=record.resolved_at,
        closed_at=record.closed_at,
        version=int(record.version),
        comment_count=int(record.comment_count),
    )


def _comment_record(ticket_id: str, seq: int, comment: Comment) -> TicketCommentRecord:
    return TicketCommentRecord(
        pk=ticket_key(ticket_id),
        sk=comment_key(seq),
        comment_id=comment.comment_id,
        author_id=comment.author_id,
        author_role=comment.author_role,
        body=comment.body,
        internal=comment.internal,
        created_at=comment.created_at,
    )


def create(work: db.UnitOfWork, ticket: Ticket) -> None:
    work.put(_record(ticket), TicketRecord.sk.does_not_exist(), fails_with=TicketIdTaken())


def get(ticket_id: str) -> Ticket | None:
    try:
        return _ticket(TicketRecord.get(ticket_key(ticket_id), TICKET_SK, consistent_read=True))
    except DoesNotExist:
        return None


def comments(ticket_id: str, limit: int) -> list[Comment]:
    """The ticket's first `limit` comments (all of them: a ticket holds at most
    `service.MAX_COMMENTS`), oldest first."""
    return [
        Comment(
            comment_id=record.comment_id,
            author_id=record.author_id,
            author_role=cast(AuthorRole, record.author_role),
            body=record.body,
            internal=bool(record.internal),
            created_at=record.created_at,
        )
        for record in TicketCommentRecord.query(
            ticket_key(ticket_id),
            TicketCommentRecord.sk.startswith("COMMENT#"),
            consistent_read=True,
            limit=limit,
        )
    ]


def save_change(work: db.UnitOfWork, before: Ticket, after: Ticket, comment: Comment | None = None) -> None:
    """The ticket as `after` (and the comment), in `work`, if it is still at the version `before`
    was read at; `TicketMoved` when it has moved since."""
    moved = TicketMoved()
    work.put(_record(after), TicketRecord.version == before.version, fails_with=moved)
    if comment is not None:
        work.put(
            _comment_record(after.ticket_id, after.version, comment),
            TicketCommentRecord.sk.does_not_exist(),
            fails_with=moved,
        )


def customer_page(
    customer_id: str, status: Status | None, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[Ticket], dict[str, Any] | None]:
    """One page of the customer's tickets, newest first, of one status if given."""
    records, next_key = db.page(
        TicketRecord.by_customer.query,
        customer_tickets_key(customer_id),
        None,
        limit,
        start_key,
        ("pk", "sk", "gsi1pk", "gsi1sk"),
        filter_condition=(TicketRecord.status == status) if status is not None else None,
    )
    return [_ticket(record) for record in records], next_key


# ---- erasure (workflows/rights/erasure.py) ----------------------------------------------------

ERASED = "[erased]"


def erase_texts(customer_id: str, limit: int, start_key: dict[str, Any] | None) -> dict[str, Any] | None:
    """One page of the customer's tickets: subject, description and the customer's own comments
    become `[erased]` (staff comments, status and times stay, for the support records); the key to
    go on from, None after the last page. The ticket's version moves, so a change decided on the
    ticket as it was read before fails its condition and decides again. Idempotent."""
    records, next_key = db.page(
        TicketRecord.by_customer.query,
        customer_tickets_key(customer_id),
        None,
        limit,
        start_key,
        ("pk", "sk", "gsi1pk", "gsi1sk"),
    )
    for record in records:
        ticket = TicketRecord(pk=record.pk, sk=TICKET_SK)
        ticket.update(
            actions=[
                TicketRecord.subject.set(ERASED),
                TicketRecord.description.set(ERASED),
                TicketRecord.version.add(1),
            ]
        )
        for comment in TicketCommentRecord.query(
            record.pk, TicketCommentRecord.sk.startswith("COMMENT#"), consistent_read=True
        ):
            if comment.author_id == customer_id and comment.body != ERASED:
                comment.update(actions=[TicketCommentRecord.body.set(ERASED)])
    return next_key
