"""Recording a purchase, the hub. In one unit of work it earns the points (loyalty), records the
purchase and moves the aggregates (analytics; a repeated order id is refused) and moves the
segment assignment (segments); then it queues the fraud-scoring signal, announces a tier upgrade
and qualifies a pending referral (referrals).

The loyalty account's condition serializes a customer's purchases: each attempt reads the account,
then what the other writes depend on (the purchase count, the RFM inputs), so all of it is current
when the unit of work commits. When the account or the assignment moved meanwhile, nothing was
written and the attempt decides again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from decimal import Decimal

from customer_id import clock, codes, db, queues
from customer_id.analytics import repository as analytics_repository
from customer_id.analytics import service as analytics
from customer_id.analytics.models import Purchase
from customer_id.analytics.schemas import PurchaseInput, PurchaseRecorded
from customer_id.errors import Conflict, FieldError, InvalidInput
from customer_id.loyalty import service as loyalty
from customer_id.loyalty.models import Source
from customer_id.loyalty.repository import AccountChange, StaleAccount
from customer_id.profile.service import local_date, require_profile
from customer_id.referrals import service as referrals
from customer_id.segments import service as segments
from customer_id.segments.repository import AssignmentMoved

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class _Recorded:
    change: AccountChange
    purchase_sk: str


def record_purchase(customer_id: str, data: PurchaseInput) -> PurchaseRecorded:
    profile = require_profile(customer_id)
    now = clock.now()
    occurred_at = data.occurred_at.astimezone(UTC) if data.occurred_at else now
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput(
            "occurred_in_future", errors=[FieldError("occurredAt", "must not be in the future")]
        )
    _refuse_repeated_order(customer_id, data.order_id)
    purchase_id = codes.new_id()
    day = local_date(profile, occurred_at)
    average_before = analytics.average_order_value(customer_id)

    def attempt(work: db.UnitOfWork) -> _Recorded:
        change = loyalty.plan_earn(
            loyalty.require_account(customer_id),
            data.amount,
            f"purchase {data.order_id}",
            Source("purchase", purchase_id),
            now,
        )
        loyalty.stage(work, change)
        count, _ = analytics_repository.summary(customer_id)  # read after the account: current at commit
        purchase = Purchase(
            purchase_id=purchase_id,
            order_id=data.order_id,
            amount=data.amount,
            category=data.category,
            channel=data.channel,
            occurred_at=occurred_at,
            points_earned=loyalty.earned(change).points,
        )
        purchase_sk = analytics_repository.record_purchase(
            work, customer_id, purchase, count + 1, day.isoformat(), day.strftime("%Y-%m")
        )
        segments.assign_in(work, profile, analytics.rfm_inputs(profile, now, adding=purchase), now)
        return _Recorded(change, purchase_sk)

    recorded = db.retry(attempt, retry_on=(StaleAccount, AssignmentMoved), attempts=loyalty.MAX_ATTEMPTS)
    earned = loyalty.earned(recorded.change)
    _queue_scoring(customer_id, purchase_id, recorded.purchase_sk, average_before)
    if earned.tier_changed:
        queues.notify(
            f"tier:{customer_id}:{earned.tier_id}",
            customer_id,
            "loyalty",
            "tier_upgrade",
            tier=earned.tier_id,
        )
    referrals.on_purchase(customer_id, data.amount, occurred_at)
    return PurchaseRecorded(purchase_id=purchase_id, points_earned=earned.points, tier=earned.tier_id)


def _refuse_repeated_order(customer_id: str, order_id: str) -> None:
    existing = analytics_repository.order(customer_id, order_id)
    if existing is None:
        return
    # The first attempt may have stopped after its commit, before its fraud signal or its referral
    # payouts: finish them now (both happen once, whatever the number of retries).
    recorded = analytics_repository.purchase_by_key(customer_id, existing.purchase_sk)
    if not recorded.scoring_queued:
        _queue_scoring(customer_id, existing.purchase_id, existing.purchase_sk, None)
    referrals.on_purchase(customer_id, Decimal(recorded.amount), recorded.occurred_at)
    raise Conflict("duplicate_order", orderId=order_id)


def _queue_scoring(
    customer_id: str, purchase_id: str, purchase_sk: str, average_before: Decimal | None
) -> None:
    """The fraud signal; `averageBefore` is the average order before this purchase (None when it
    was the first, or is not known any more on a late retry), which the large-purchase rule needs."""
    record = analytics_repository.purchase_by_key(customer_id, purchase_sk)
    queues.signal_fraud(
        f"purchase:{purchase_id}",
        "purchase",
        customer_id,
        record.occurred_at,
        purchaseId=purchase_id,
        orderId=record.order_id,
        amount=record.amount,
        channel=record.channel,
        averageBefore=f"{average_before:.2f}" if average_before is not None else None,
    )
    analytics_repository.mark_scoring_queued(customer_id, purchase_sk)
