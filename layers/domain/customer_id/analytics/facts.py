"""What other features read of a customer's purchases: the RFM inputs segmentation is computed
from, the segment they put the customer in today, newness and the average order (offers). Apart
from the analytics API (`service`, `purchases`), so that a feature reading a fact builds none of
the analytics API schemas."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from customer_id.analytics import reads, rfm
from customer_id.analytics.models import Purchase
from customer_id.analytics.rfm import Inputs, window_start
from customer_id.money import from_cents, rounded
from customer_id.profile.models import Profile
from customer_id.profile.service import local_date, today_of


def rfm_inputs(
    profile: Profile,
    now: datetime | None = None,
    adding: Purchase | None = None,
    returning: tuple[Purchase, Decimal] | None = None,
) -> Inputs:
    """What segmentation needs, from the last purchase and the daily buckets of the last 12 months;
    `adding` counts a purchase that is being recorded in the same step, `returning` (a purchase and
    an amount) nets an amount of it being returned in the same step."""
    today = today_of(profile, now)
    start = window_start(today)
    days = [
        bucket
        for bucket in reads.buckets(profile.customer_id, "DAY", start.isoformat(), today.isoformat())
        if bucket.count
    ]
    last = reads.edge_purchase(profile.customer_id, newest=True)
    last_on = local_date(profile, last.occurred_at) if last else None
    count = sum(bucket.count for bucket in days)
    spend = sum((from_cents(bucket.cents) for bucket in days), Decimal(0))
    first_on = min((date.fromisoformat(bucket.period) for bucket in days), default=None)
    if adding is not None:
        day = local_date(profile, adding.occurred_at)
        last_on = max(filter(None, (last_on, day)))
        if start <= day <= today:
            count, spend = count + 1, spend + adding.amount
            first_on = min(filter(None, (first_on, day)))
    if returning is not None:
        returned, amount = returning
        if start <= local_date(profile, returned.occurred_at) <= today:
            spend -= amount
    return Inputs(
        today=today,
        joined_on=local_date(profile, profile.joined_at),
        last_purchase_on=last_on,
        purchases12m=count,
        spend12m=spend,
        first_in_window_on=first_on,
    )


def current_segment_id(profile: Profile) -> str:
    """The RFM segment the customer's purchases put them in today (computed, not the stored one)."""
    return rfm.classify(rfm_inputs(profile))[0]


def average_order_value(customer_id: str) -> Decimal | None:
    """Lifetime spend over purchase count, or None before the first purchase."""
    return average_of(*reads.summary(customer_id))


def average_of(count: int, cents: int) -> Decimal | None:
    """The average order of `count` purchases spending `cents` (None for none)."""
    return rounded(from_cents(cents) / count) if count else None


def has_purchases(customer_id: str) -> bool:
    return reads.summary(customer_id)[0] > 0
