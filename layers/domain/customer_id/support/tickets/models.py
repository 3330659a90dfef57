"""Ticket records, in the support table (see `customer_id.support.models`):

- `TICKET#<ticketId>` / `TICKET`: a ticket. `version` counts its changes and every write is
  conditioned on the version it read, so that no concurrent change is lost; `comment_count` counts
  its comments (written with each comment, under the same condition, so it is exact). `gsi1`
  (`CUSTOMER#<customerId>#TICKETS`, `<createdAt>#<ticketId>`) lists a customer's tickets
- `TICKET#<ticketId>` / `COMMENT#<seq>`: its comments in the order they were written (`seq` is the
  ticket version that the comment's write produced)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from customer_id.support.models import SupportTableModel, time_key
from customer_id.support.tickets.workflow import Priority, Status

TICKET_SK = "TICKET"

AuthorRole = Literal["customer", "staff"]


def ticket_key(ticket_id: str) -> str:
    return f"TICKET#{ticket_id}"


def comment_key(seq: int) -> str:
    return f"COMMENT#{seq:010d}"


def customer_tickets_key(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}#TICKETS"


def customer_ticket_sort_key(created_at: datetime, ticket_id: str) -> str:
    return f"{time_key(created_at)}#{ticket_id}"


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    customer_id: str
    subject: str
    description: str
    category_id: str
    priority: Priority
    status: Status
    assignee_id: str | None
    sla_due_at: datetime
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int
    comment_count: int = 0


@dataclass(frozen=True)
class Comment:
    comment_id: str
    author_id: str
    author_role: AuthorRole
    body: str
    internal: bool
    created_at: datetime


class TicketsByCustomer(GlobalSecondaryIndex["TicketRecord"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class TicketRecord(SupportTableModel):
    ticket_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    subject = UnicodeAttribute()
    description = UnicodeAttribute()
    category_id = UnicodeAttribute()
    priority = UnicodeAttribute()
    status = UnicodeAttribute()
    assignee_id = UnicodeAttribute(null=True)
    sla_due_at = UTCDateTimeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    resolved_at = UTCDateTimeAttribute(null=True)
    closed_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute()
    comment_count = NumberAttribute(default=0)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_customer = TicketsByCustomer()


class TicketCommentRecord(SupportTableModel):
    comment_id = UnicodeAttribute()
    author_id = UnicodeAttribute()
    author_role = UnicodeAttribute()
    body = UnicodeAttribute()
    internal = BooleanAttribute()
    created_at = UTCDateTimeAttribute()
