"""Recording a purchase, the hub. In one unit of work it earns the points (loyalty, which adds the
tier-upgrade notification when the tier rises), records the purchase and moves the aggregates
(analytics; a repeated order id is refused), moves the segment assignment (segments) and queues the
fraud-scoring signal (the outbox); then it qualifies a pending referral (referrals).

The loyalty account's condition serializes a customer's purchases: each attempt reads the account,
then what the other writes depend on (the purchase count and spend, the RFM inputs), so all of it
is current when the unit of work commits; the signal's `averageBefore` is read there too, so it is
the average before this very purchase. When the account or the assignment moved meanwhile, nothing
was written and the attempt decides again.

With `Idempotency-Key` the purchase is an operation: its ids derive from it and its answer is
committed with it, so a re-execution (after a 5xx, a timeout, a lost answer) answers the first 201.
The referral step runs after the commit; any retry of the order (the same key again, or the same
`orderId` again, which is 409) completes it, and it pays each side once."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

from customer_id import clock, db, operations, queues
from customer_id.analytics import facts as analytics
from customer_id.analytics import reads as analytics_reads
from customer_id.analytics import repository as analytics_repository
from customer_id.analytics.models import Purchase
from customer_id.analytics.schemas.recording import PurchaseInput, PurchaseRecorded
from customer_id.errors import Conflict, FieldError, InvalidInput
from customer_id.loyalty import ledger as loyalty
from customer_id.loyalty.models import Source
from customer_id.loyalty.repository import StaleAccount
from customer_id.profile.service import local_date, require_profile
from customer_id.referrals import qualification as referrals
from customer_id.segments import service as segments
from customer_id.segments.repository import AssignmentMoved

CLOCK_SKEW = timedelta(minutes=5)


def record_purchase(customer_id: str, data: PurchaseInput) -> PurchaseRecorded:
    profile = require_profile(customer_id)
    replayed = operations.replay(PurchaseRecorded)
    if replayed is not None:  # done already: only what follows the commit may be left to do
        _complete(customer_id, data.order_id)
        return replayed
    now = clock.now()
    occurred_at = data.occurred_at.astimezone(UTC) if data.occurred_at else now
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput(
            "occurred_in_future", errors=[FieldError("occurredAt", "must not be in the future")]
        )
    if _complete(customer_id, data.order_id):
        raise Conflict("duplicate_order", orderId=data.order_id)
    purchase_id = operations.derive("purchase")
    transaction_id = operations.derive("transaction")
    day = local_date(profile, occurred_at)

    def attempt(work: db.UnitOfWork) -> PurchaseRecorded:
        change = loyalty.plan_earn(
            loyalty.require_account(customer_id),
            data.amount,
            f"purchase {data.order_id}",
            Source("purchase", purchase_id),
            now,
            transaction_id,
        )
        loyalty.stage(work, change)
        count, cents = analytics_reads.summary(customer_id)  # read after the account: current at commit
        earned = loyalty.earned(change)
        purchase = Purchase(
            purchase_id=purchase_id,
            order_id=data.order_id,
            amount=data.amount,
            category=data.category,
            channel=data.channel,
            occurred_at=occurred_at,
            points_earned=earned.points,
            lifted_tier=earned.tier_changed,
        )
        analytics_repository.record_purchase(
            work, customer_id, purchase, count + 1, day.isoformat(), day.strftime("%Y-%m")
        )
        segments.assign_in(work, profile, analytics.rfm_inputs(profile, now, adding=purchase), now)
        average_before = analytics.average_of(count, cents)
        queues.signal_fraud(
            work,
            f"purchase:{purchase_id}",
            "purchase",
            customer_id,
            occurred_at,
            purchaseId=purchase_id,
            orderId=data.order_id,
            amount=f"{data.amount:.2f}",
            channel=data.channel,
            averageBefore=f"{average_before:.2f}" if average_before is not None else None,
        )
        return PurchaseRecorded(purchase_id=purchase_id, points_earned=earned.points, tier=earned.tier_id)

    recorded = operations.retry(
        attempt,
        answer=PurchaseRecorded,
        retry_on=(StaleAccount, AssignmentMoved),
        attempts=loyalty.MAX_ATTEMPTS,
    )
    referrals.on_purchase(customer_id, data.amount, occurred_at)
    return recorded


def _complete(customer_id: str, order_id: str) -> bool:
    """Whether the order's purchase is recorded already. If so, the attempt that recorded it may
    have stopped after its commit, before the referral step: run that now (it pays each side once,
    whatever the number of retries)."""
    existing = analytics_repository.order(customer_id, order_id)
    if existing is None:
        return False
    recorded = analytics_repository.purchase_by_key(customer_id, existing.purchase_sk)
    referrals.on_purchase(customer_id, Decimal(recorded.amount), recorded.occurred_at)
    return True
