"""`GET /customers/{id}/analytics/summary`, from the aggregates kept on write: a fixed number of
requests, whatever the number of purchases."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from customer_id.analytics import reads
from customer_id.analytics.models import months_back
from customer_id.analytics.rfm import window_start
from customer_id.analytics.schemas.summary import AnalyticsSummary
from customer_id.money import from_cents, money, rounded
from customer_id.profile.service import require_profile, today_of


def summary(customer_id: str) -> AnalyticsSummary:
    profile = require_profile(customer_id)
    count, cents = reads.summary(customer_id)
    today = today_of(profile)
    days = reads.buckets(customer_id, "DAY", window_start(today).isoformat(), today.isoformat())
    recent = (today - timedelta(days=29)).isoformat()
    months = months_back(today, 12)
    by_category: dict[str, int] = defaultdict(int)
    for bucket in reads.buckets(customer_id, "MONTH", months[0], months[-1]):
        if bucket.category:
            by_category[bucket.category] += bucket.cents
    favorite = (
        min(by_category, key=lambda category: (-by_category[category], category)) if by_category else None
    )
    first = reads.edge_purchase(customer_id, newest=False)
    last = reads.edge_purchase(customer_id, newest=True)
    lifetime = from_cents(cents)
    return AnalyticsSummary(
        lifetime_spend=money(lifetime),
        purchase_count=count,
        average_order_value=money(rounded(lifetime / count)) if count else None,
        first_purchase_at=first.occurred_at if first else None,
        last_purchase_at=last.occurred_at if last else None,
        spend30d=money(from_cents(sum(bucket.cents for bucket in days if bucket.period >= recent))),
        spend12m=money(from_cents(sum(bucket.cents for bucket in days))),
        favorite_category=favorite,
    )
