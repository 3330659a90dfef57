from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, StrictBool, StringConstraints, model_validator

from customer_id.schemas import ApiModel, Timestamp
from customer_id.support.tickets.models import AuthorRole
from customer_id.support.tickets.workflow import Priority, Status

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
CategoryId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
AssigneeId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]

STATUS_RULES = (
    "open → in_progress (staff); in_progress → waiting_on_customer or resolved (staff); "
    "waiting_on_customer → in_progress (staff, or automatically when the owner comments); resolved → "
    "open (the owner within 7 days of the resolution, staff any time); any status but closed → closed "
    "(owner or staff); closed → nothing. A move nobody may make, or the owner reopening after 7 days: "
    "409; a staff move tried by the owner: 403. Setting the current status again changes nothing."
)
SLA = "Due time by priority, from the creation time: urgent 4 h, high 24 h, normal 48 h, low 72 h"


class TicketInput(ApiModel):
    subject: Subject
    description: Text
    category_id: CategoryId = Field(description="A categoryId of GET /support/categories; another one: 400")
    priority: Priority


class TicketPatch(ApiModel):
    """At least one field. The ticket's owner may send `status` only; staff any of them."""

    status: Status | None = Field(default=None, description=STATUS_RULES)
    priority: Priority | None = Field(default=None, description=f"Staff only. Recomputes slaDueAt. {SLA}")
    assignee_id: AssigneeId | None = Field(
        default=None,
        description="Staff only: the agent the ticket is assigned to; null unassigns it. A staff "
        "member who moves an unassigned ticket to in_progress without naming one becomes its assignee",
    )

    @model_validator(mode="after")
    def _something_to_change(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("give at least one of status, priority, assigneeId")
        for name in ("status", "priority"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class TicketCommentInput(ApiModel):
    body: Text
    internal: StrictBool = Field(
        default=False, description="An internal note: staff only, and never shown to the customer"
    )


class TicketCommentOutput(ApiModel):
    comment_id: str
    author_id: str
    author_role: AuthorRole
    body: str
    internal: bool
    created_at: Timestamp


class TicketSummary(ApiModel):
    ticket_id: str
    customer_id: str
    subject: str
    description: str
    category_id: str
    priority: Priority
    status: Status
    assignee_id: str | None = Field(description="The agent handling the ticket, or null")
    sla_due_at: Timestamp = Field(description=SLA)
    created_at: Timestamp
    updated_at: Timestamp = Field(description="The last change, or comment")
    resolved_at: Timestamp | None = Field(description="When it was resolved; null unless it is resolved")
    closed_at: Timestamp | None


class TicketOutput(TicketSummary):
    comments: list[TicketCommentOutput] = Field(
        description="Oldest first. Internal comments only for staff: the customer never sees them"
    )


class TicketPage(ApiModel):
    items: list[TicketSummary] = Field(description="Newest first")
    next_cursor: str | None
