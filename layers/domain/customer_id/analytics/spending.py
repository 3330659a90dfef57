"""`GET /customers/{id}/analytics/spending`: spend per month and per category, from the MONTH
buckets (one query, whatever the number of purchases)."""

from __future__ import annotations

from collections import defaultdict

from customer_id.analytics import reads
from customer_id.analytics.models import months_back
from customer_id.analytics.schemas.spending import CategorySpend, MonthSpend, SpendingOutput
from customer_id.money import from_cents, money
from customer_id.profile.service import require_profile, today_of


def spending(customer_id: str, months: int) -> SpendingOutput:
    profile = require_profile(customer_id)
    periods = months_back(today_of(profile), months)
    found = reads.buckets(customer_id, "MONTH", periods[0], periods[-1])
    per_month: dict[str, list[int]] = {period: [0, 0] for period in periods}
    per_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for bucket in found:
        if bucket.period in per_month:
            per_month[bucket.period][0] += bucket.cents
            per_month[bucket.period][1] += bucket.count
            per_category[bucket.category][0] += bucket.cents
            per_category[bucket.category][1] += bucket.count
    ranked = sorted(per_category.items(), key=lambda item: (-item[1][0], item[0]))
    return SpendingOutput(
        months=[
            MonthSpend(month=period, amount=money(from_cents(cents)), count=count)
            for period, (cents, count) in per_month.items()
        ],
        by_category=[
            CategorySpend(category=category or None, amount=money(from_cents(cents)), count=count)
            for category, (cents, count) in ranked
        ],
    )
