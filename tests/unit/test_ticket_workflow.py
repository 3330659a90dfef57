"""The ticket status machine of API.md move by move and role by role, the owner's reopen window,
SLA by priority, and what a PATCH does to a ticket (`service.patched`), without any storage."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any

import pytest

from customer_id.errors import Conflict, Forbidden
from customer_id.support.tickets import workflow
from customer_id.support.tickets.models import Ticket
from customer_id.support.tickets.schemas import TicketPatch
from customer_id.support.tickets.service import patched

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
STATUSES = ("open", "in_progress", "waiting_on_customer", "resolved", "closed")

# (from, to): who may make the move, as API.md's "Support tickets." lists it
ALLOWED = {
    ("open", "in_progress"): "staff",
    ("in_progress", "waiting_on_customer"): "staff",
    ("in_progress", "resolved"): "staff",
    ("waiting_on_customer", "in_progress"): "staff",
    ("resolved", "open"): "owner and staff",
    ("open", "closed"): "owner and staff",
    ("in_progress", "closed"): "owner and staff",
    ("waiting_on_customer", "closed"): "owner and staff",
    ("resolved", "closed"): "owner and staff",
}


def _moves() -> list[tuple[str, str, bool]]:
    return [(a, b, owner) for a, b in product(STATUSES, STATUSES) if a != b for owner in (True, False)]


@pytest.mark.parametrize(("current", "target", "by_owner"), _moves())
def test_every_move(current: str, target: str, by_owner: bool) -> None:
    who = ALLOWED.get((current, target))
    resolved_at = NOW - timedelta(days=1) if current == "resolved" else None

    def move() -> None:
        workflow.check_move(current, target, by_owner=by_owner, resolved_at=resolved_at, now=NOW)

    if who is None:
        with pytest.raises(Conflict) as impossible:
            move()
        assert impossible.value.code == "ticket_move_impossible"
    elif by_owner and who == "staff":
        with pytest.raises(Forbidden) as forbidden:
            move()
        assert forbidden.value.code == "ticket_move_staff_only"
    else:
        move()


def test_closed_is_final_for_everyone() -> None:
    for target, by_owner in product(STATUSES[:-1], (True, False)):
        with pytest.raises(Conflict):
            workflow.check_move("closed", target, by_owner=by_owner, resolved_at=None, now=NOW)


@pytest.mark.parametrize(
    ("since_resolution", "allowed"),
    [(timedelta(0), True), (timedelta(days=7), True), (timedelta(days=7, seconds=1), False)],
)
def test_the_owner_reopens_within_7_days(since_resolution: timedelta, allowed: bool) -> None:
    def reopen(by_owner: bool) -> None:
        workflow.check_move(
            "resolved", "open", by_owner=by_owner, resolved_at=NOW - since_resolution, now=NOW
        )

    reopen(by_owner=False)  # staff: any time
    if allowed:
        reopen(by_owner=True)
    else:
        with pytest.raises(Conflict) as late:
            reopen(by_owner=True)
        assert late.value.code == "ticket_reopen_window_passed"


@pytest.mark.parametrize(("priority", "hours"), [("urgent", 4), ("high", 24), ("normal", 48), ("low", 72)])
def test_sla_by_priority(priority: Any, hours: int) -> None:
    assert workflow.sla_due_at(NOW, priority) == NOW + timedelta(hours=hours)


# ---- a PATCH on a ticket -------------------------------------------------------------------------

CREATED = NOW - timedelta(hours=10)


def ticket(**changes: Any) -> Ticket:
    base = Ticket(
        ticket_id="ticket-1",
        customer_id="customer-1",
        subject="Broken mug",
        description="It arrived broken.",
        category_id="orders",
        priority="normal",
        status="open",
        assignee_id=None,
        sla_due_at=CREATED + timedelta(hours=48),
        created_at=CREATED,
        updated_at=CREATED,
        resolved_at=None,
        closed_at=None,
        version=3,
    )
    return replace(base, **changes)


def patch(**fields: Any) -> TicketPatch:
    return TicketPatch.model_validate(fields)


def test_the_owner_may_send_status_only() -> None:
    for fields in ({"priority": "high"}, {"assigneeId": "agent-9"}, {"assigneeId": None}):
        with pytest.raises(Forbidden) as forbidden:
            patched(ticket(), patch(**fields), "customer", "customer-1", NOW)
        assert forbidden.value.code == "ticket_fields_staff_only"


def test_a_patch_that_changes_nothing_is_none() -> None:
    same = ticket(status="in_progress", priority="high", assignee_id="agent-1")
    assert patched(same, patch(status="in_progress"), "customer", "customer-1", NOW) is None
    assert patched(same, patch(status="in_progress", priority="high"), "staff", "agent-1", NOW) is None
    assert patched(same, patch(assigneeId="agent-1"), "staff", "agent-1", NOW) is None
    assert patched(ticket(status="closed"), patch(status="closed"), "staff", "agent-1", NOW) is None


def test_a_change_bumps_the_version_and_the_update_time() -> None:
    after = patched(ticket(), patch(status="in_progress"), "staff", "agent-1", NOW)
    assert after is not None
    assert (after.status, after.version, after.updated_at) == ("in_progress", 4, NOW)


def test_resolving_reopening_and_closing_keep_their_times() -> None:
    resolved = patched(ticket(status="in_progress"), patch(status="resolved"), "staff", "agent-1", NOW)
    assert resolved is not None
    assert resolved.resolved_at == NOW
    later = NOW + timedelta(days=2)
    reopened = patched(resolved, patch(status="open"), "customer", "customer-1", later)
    assert reopened is not None
    assert (reopened.status, reopened.resolved_at) == ("open", None)
    closed = patched(resolved, patch(status="closed"), "customer", "customer-1", later)
    assert closed is not None
    assert (closed.closed_at, closed.resolved_at) == (later, NOW)


def test_priority_recomputes_the_sla_from_creation() -> None:
    after = patched(ticket(), patch(priority="urgent"), "staff", "agent-1", NOW)
    assert after is not None
    assert after.sla_due_at == CREATED + timedelta(hours=4)
    assert after.status == "open"


def test_the_agent_taking_an_unassigned_ticket_is_its_assignee() -> None:
    taken = patched(ticket(), patch(status="in_progress"), "staff", "agent-1", NOW)
    assert taken is not None
    assert taken.assignee_id == "agent-1"
    named = patched(ticket(), patch(status="in_progress", assigneeId="agent-2"), "staff", "agent-1", NOW)
    assert named is not None
    assert named.assignee_id == "agent-2"
    unassigned = patched(ticket(), patch(status="in_progress", assigneeId=None), "staff", "agent-1", NOW)
    assert unassigned is not None
    assert unassigned.assignee_id is None
    kept = patched(ticket(assignee_id="agent-3"), patch(status="in_progress"), "staff", "agent-1", NOW)
    assert kept is not None
    assert kept.assignee_id == "agent-3"


def test_a_closed_ticket_takes_no_change() -> None:
    for fields in ({"priority": "urgent"}, {"assigneeId": "agent-1"}, {"status": "open"}):
        with pytest.raises(Conflict):
            patched(ticket(status="closed"), patch(**fields), "staff", "agent-1", NOW)


@pytest.mark.parametrize("fields", [{}, {"status": None}, {"priority": None}, {"status": "closed", "x": 1}])
def test_invalid_patches(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="validation error"):
        TicketPatch.model_validate(fields)
