"""Analytics reads, from the aggregates kept on write: each costs a fixed number of requests,
whatever the number of purchases."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from customer_id import clock, pagination
from customer_id.analytics import engagement as counters
from customer_id.analytics import repository, rfm
from customer_id.analytics.models import Purchase, Return
from customer_id.analytics.rfm import Inputs, window_start
from customer_id.analytics.schemas import (
    AnalyticsSummary,
    CategorySpend,
    EngagementOutput,
    MonthSpend,
    PurchaseDetail,
    PurchaseOutput,
    PurchasePage,
    ReturnItem,
    SpendingOutput,
)
from customer_id.errors import FieldError, InvalidInput, NotFound
from customer_id.money import from_cents, money, rounded
from customer_id.profile.models import Profile
from customer_id.profile.service import local_date, require_profile, today_of

# engagementScore: points per counted action, each action type capped, the total capped at 100
ENGAGEMENT_WEIGHTS = {
    "offers_applied": (5, 20),
    "rewards_claimed": (5, 15),
    "tickets_opened": (2, 10),
    "chats_started": (2, 10),
    "notifications_read": (1, 15),
    "referrals_made": (10, 30),
}


def purchase_output(purchase: Purchase) -> PurchaseOutput:
    return PurchaseOutput(
        purchase_id=purchase.purchase_id,
        order_id=purchase.order_id,
        amount=money(purchase.amount),
        category=purchase.category,
        channel=purchase.channel,
        occurred_at=purchase.occurred_at,
        points_earned=purchase.points_earned,
    )


def list_purchases(
    customer_id: str, since: datetime | None, until: datetime | None, limit: int, cursor: str | None
) -> PurchasePage:
    if since is not None and until is not None and since >= until:
        raise InvalidInput("invalid_input", errors=[FieldError("to", "must be after from")])
    bounds = "|".join(clock.iso(moment) if moment else "" for moment in (since, until))
    scope = f"analytics.purchases|{customer_id}|{bounds}"
    purchases, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.purchases_page(customer_id, since, until, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return PurchasePage(items=[purchase_output(purchase) for purchase in purchases], next_cursor=next_cursor)


def get_purchase(customer_id: str, purchase_id: str) -> PurchaseDetail:
    """The purchase as listed, with its returns (oldest first) and their total."""
    require_profile(customer_id)
    state = repository.purchase_state(customer_id, purchase_id)
    if state is None:
        raise NotFound("purchase_not_found", purchaseId=purchase_id)
    return _detail(
        purchase_output(state.purchase),
        from_cents(state.returned_cents),
        repository.returns_of(customer_id, purchase_id),
    )


def purchase_details(customer_id: str, purchases: list[PurchaseOutput]) -> list[PurchaseDetail]:
    """The listed purchases as `get_purchase` answers each, from one read of all the customer's
    returns (the data export: not a read per purchase). A purchase's returned amount is the sum of
    its returns, which its record's total is, written with each return."""
    returns = repository.returns_by_purchase(customer_id)
    details = []
    for listed in purchases:
        mine = returns.get(listed.purchase_id, [])
        details.append(_detail(listed, sum((returned.amount for returned in mine), Decimal(0)), mine))
    return details


def _detail(listed: PurchaseOutput, returned: Decimal, returns: list[Return]) -> PurchaseDetail:
    return PurchaseDetail(
        **dict(listed),
        returned_amount=money(returned),
        returns=[
            ReturnItem(
                return_id=item.return_id,
                amount=money(item.amount),
                points_reversed=item.points_reversed,
                reason=item.reason,
                created_at=item.created_at,
            )
            for item in returns
        ],
    )


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
        for bucket in repository.buckets(profile.customer_id, "DAY", start.isoformat(), today.isoformat())
        if bucket.count
    ]
    last = repository.edge_purchase(profile.customer_id, newest=True)
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


def summary(customer_id: str) -> AnalyticsSummary:
    profile = require_profile(customer_id)
    count, cents = repository.summary(customer_id)
    today = today_of(profile)
    days = repository.buckets(customer_id, "DAY", window_start(today).isoformat(), today.isoformat())
    recent = (today - timedelta(days=29)).isoformat()
    months = _months_back(today, 12)
    by_category: dict[str, int] = defaultdict(int)
    for bucket in repository.buckets(customer_id, "MONTH", months[0], months[-1]):
        if bucket.category:
            by_category[bucket.category] += bucket.cents
    favorite = (
        min(by_category, key=lambda category: (-by_category[category], category)) if by_category else None
    )
    first = repository.edge_purchase(customer_id, newest=False)
    last = repository.edge_purchase(customer_id, newest=True)
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


def average_order_value(customer_id: str) -> Decimal | None:
    """Lifetime spend over purchase count, or None before the first purchase."""
    return average_of(*repository.summary(customer_id))


def average_of(count: int, cents: int) -> Decimal | None:
    """The average order of `count` purchases spending `cents` (None for none)."""
    return rounded(from_cents(cents) / count) if count else None


def has_purchases(customer_id: str) -> bool:
    return repository.summary(customer_id)[0] > 0


def _months_back(today: date, months: int) -> list[str]:
    year, month = today.year, today.month
    periods = []
    for _ in range(months):
        periods.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(periods))


def spending(customer_id: str, months: int) -> SpendingOutput:
    profile = require_profile(customer_id)
    periods = _months_back(today_of(profile), months)
    found = repository.buckets(customer_id, "MONTH", periods[0], periods[-1])
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


def engagement(customer_id: str) -> EngagementOutput:
    require_profile(customer_id)
    counted = counters.engagement(customer_id)
    score = sum(min(counted[name] * weight, cap) for name, (weight, cap) in ENGAGEMENT_WEIGHTS.items())
    return EngagementOutput(**counted, engagement_score=min(score, 100))
