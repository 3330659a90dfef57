"""The engagement counters (`ENGAGEMENT` in the analytics table, keyed by customer) that other
features increment in their own units of work.

A module of its own, apart from the purchase records, so that a feature counting an action imports
one record class, not the analytics feature's models and repository.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute
from pynamodb.exceptions import DoesNotExist

from customer_id import db
from customer_id.db import customer_key

ENGAGEMENT_SK = "ENGAGEMENT"
ENGAGEMENT_COUNTERS = (
    "offers_applied",
    "rewards_claimed",
    "tickets_opened",
    "chats_started",
    "notifications_read",
    "referrals_made",
)


class EngagementRecord(db.TableModel):
    Meta = db.meta("analytics_table")

    offers_applied = NumberAttribute(default=0)
    rewards_claimed = NumberAttribute(default=0)
    tickets_opened = NumberAttribute(default=0)
    chats_started = NumberAttribute(default=0)
    notifications_read = NumberAttribute(default=0)
    referrals_made = NumberAttribute(default=0)


def engagement(customer_id: str) -> dict[str, int]:
    try:
        record = EngagementRecord.get(customer_key(customer_id), ENGAGEMENT_SK)
    except DoesNotExist:
        return dict.fromkeys(ENGAGEMENT_COUNTERS, 0)
    return {name: int(getattr(record, name) or 0) for name in ENGAGEMENT_COUNTERS}


def count_engagement(work: db.UnitOfWork, customer_id: str, counter: str, by: int = 1) -> None:
    """Add one (or `by`) to an engagement counter, in the owning feature's unit of work."""
    if counter not in ENGAGEMENT_COUNTERS:
        raise ValueError(f"unknown engagement counter {counter}")
    attribute = getattr(EngagementRecord, counter)
    work.update(EngagementRecord(pk=customer_key(customer_id), sk=ENGAGEMENT_SK), [attribute.add(by)])
