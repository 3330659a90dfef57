"""Recording a purchase, the hub: in one transaction it records the purchase (a repeated order id
is refused), earns points through the loyalty service, and moves the analytics aggregates and the
segment assignment; then it queues a fraud-scoring signal and qualifies a pending referral."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

from customer_id import clock, codes, db, queues
from customer_id.analytics import repository
from customer_id.analytics import service as analytics
from customer_id.analytics.models import Purchase
from customer_id.analytics.schemas import PurchaseInput, PurchaseRecorded
from customer_id.errors import Conflict, FieldError, InvalidInput
from customer_id.loyalty import service as loyalty
from customer_id.loyalty.models import Source
from customer_id.profile.service import require_profile
from customer_id.referrals import service as referrals
from customer_id.segments import repository as segments_repository
from customer_id.segments import service as segments

CLOCK_SKEW = timedelta(minutes=5)
MAX_ATTEMPTS = 5


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
    local = occurred_at.astimezone(analytics.ZoneInfo(profile.timezone))
    recorded: dict[str, str] = {}
    average_before = analytics.average_order_value(customer_id)

    def writes(transaction: db.TransactWrite, points: int) -> None:
        # runs on each attempt, after the loyalty account was read: the account's condition
        # serializes a customer's purchases, so what is read here is current at commit
        count, _ = repository.summary(customer_id)
        purchase = Purchase(
            purchase_id=purchase_id,
            order_id=data.order_id,
            amount=data.amount,
            category=data.category,
            channel=data.channel,
            occurred_at=occurred_at,
            points_earned=points,
        )
        repository.record_purchase(
            transaction, customer_id, purchase, count + 1, local.date().isoformat(), local.strftime("%Y-%m")
        )
        segments.assign_in(transaction, profile, analytics.rfm_inputs(profile, now, adding=purchase), now)
        recorded["sk"] = repository.purchase_key(occurred_at, count + 1)

    for _ in range(MAX_ATTEMPTS):
        try:
            earned = loyalty.earn(
                customer_id,
                data.amount,
                f"purchase {data.order_id}",
                Source("purchase", purchase_id),
                also=writes,
            )
            break
        except db.ConditionFailed as failure:
            keys = {key[1:] for key in failure.keys}
            if repository.order_key(customer_id, data.order_id) in keys:
                raise Conflict("duplicate_order", orderId=data.order_id) from failure
            if segments_repository.assignment_key(customer_id) not in failure.keys:
                raise
            # a recalculation moved the segment assignment meanwhile: nothing was written, go again
    else:
        raise Conflict("busy")
    _queue_scoring(customer_id, purchase_id, recorded["sk"], average_before)
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
    existing = repository.order(customer_id, order_id)
    if existing is None:
        return
    # The first attempt may have stopped after its commit, before its fraud signal or its referral
    # payouts: finish them now (both happen once, whatever the number of retries).
    recorded = repository.purchase_by_key(customer_id, existing.purchase_sk)
    if not recorded.scoring_queued:
        _queue_scoring(customer_id, existing.purchase_id, existing.purchase_sk, None)
    referrals.on_purchase(customer_id, Decimal(recorded.amount), recorded.occurred_at)
    raise Conflict("duplicate_order", orderId=order_id)


def _queue_scoring(
    customer_id: str, purchase_id: str, purchase_sk: str, average_before: Decimal | None
) -> None:
    """The fraud signal; `averageBefore` is the average order before this purchase (None when it
    was the first, or is not known any more on a late retry), which the large-purchase rule needs."""
    record = repository.purchase_by_key(customer_id, purchase_sk)
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
    repository.mark_scoring_queued(customer_id, purchase_sk)
