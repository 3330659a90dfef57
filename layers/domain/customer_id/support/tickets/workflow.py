"""The ticket status machine and service-level deadlines of API.md, as pure rules.

Moves: open → in_progress (staff); in_progress → waiting_on_customer or resolved (staff);
waiting_on_customer → in_progress (staff, or automatically when the owner comments); resolved →
open (the owner within 7 days of the resolution, staff any time); any status but closed → closed
(owner or staff); closed → nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from customer_id.errors import Conflict, Forbidden

Status = Literal["open", "in_progress", "waiting_on_customer", "resolved", "closed"]
Priority = Literal["low", "normal", "high", "urgent"]

STATUSES: tuple[Status, ...] = ("open", "in_progress", "waiting_on_customer", "resolved", "closed")
SLA_HOURS: dict[Priority, int] = {"urgent": 4, "high": 24, "normal": 48, "low": 72}
REOPEN_WITHIN_DAYS = 7

STAFF_MOVES: frozenset[tuple[Status, Status]] = frozenset(
    {
        ("open", "in_progress"),
        ("in_progress", "waiting_on_customer"),
        ("in_progress", "resolved"),
        ("waiting_on_customer", "in_progress"),
        ("resolved", "open"),
        *((status, "closed") for status in STATUSES if status != "closed"),
    }
)


def sla_due_at(created_at: datetime, priority: Priority) -> datetime:
    """When the ticket is due: its creation time plus the priority's hours."""
    return created_at + timedelta(hours=SLA_HOURS[priority])


def check_move(
    current: Status, target: Status, *, by_owner: bool, resolved_at: datetime | None, now: datetime
) -> None:
    """Nothing when the move is allowed to the caller. A move nobody may make is a Conflict (409);
    a staff move the owner tries is Forbidden (403); the owner's reopening after the 7 days is a
    Conflict with the ticket's state, since staff may still make it."""
    if (current, target) not in STAFF_MOVES:
        raise Conflict("ticket_move_impossible", current=current, target=target)
    if not by_owner or target == "closed":
        return
    if (current, target) == ("resolved", "open"):
        if resolved_at is not None and now - resolved_at <= timedelta(days=REOPEN_WITHIN_DAYS):
            return
        raise Conflict("ticket_reopen_window_passed", days=REOPEN_WITHIN_DAYS)
    raise Forbidden("ticket_move_staff_only", current=current, target=target)
