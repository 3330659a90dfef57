"""Recording a return: an order that comes back takes back what it gave, in one unit of work.

- loyalty: the points reversed so far are `floor(pointsEarned x returned so far / amount)`, exactly
  `pointsEarned` once the whole purchase is returned; this return reverses the difference, as a
  `reverse` entry (`loyalty.plan_reverse`: spent from the lots as a redemption spends them, never
  below zero, the rest becomes `pointsDebt`; lifetime points and the tier go down with it);
- analytics: the return's record and id (a used id: 409), the purchase's returned total, and the
  purchase's day and month buckets and lifetime spend netted (counts unchanged);
- segments: the assignment moves with the netted 12-month spend;
- offers: the return that completes the purchase releases the offers applied to its order;
- the outbox: the fraud-scoring signal (return abuse) and the reversal's notification.

The loyalty account's condition (`seq`) serializes the customer's returns, purchases and
redemptions: each attempt reads the account first, then the purchase's returns so far, so at commit
both are as decided (the purchase's own condition says so again). A return racing a redemption
cannot overdraw (the redemption's debit or the reversal decides again on the moved account) nor lose
the debt (the debt is on the account, moved under the same condition).

With `Idempotency-Key` the return is an operation: its entry's id derives from it and its answer
commits with it, so a re-execution answers the first 201; without one, the same `returnId` again is
409 (`duplicate_return`)."""

from __future__ import annotations

import hashlib

from customer_id import clock, db, operations, queues
from customer_id.analytics import facts as analytics
from customer_id.analytics import repository as analytics_repository
from customer_id.analytics.repository import PurchaseMoved
from customer_id.analytics.return_models import PurchaseState, Return
from customer_id.analytics.schemas.returns import ReturnInput, ReturnRecorded
from customer_id.errors import Conflict, NotFound
from customer_id.loyalty import ledger as loyalty
from customer_id.loyalty.models import Source
from customer_id.loyalty.repository import MAX_TRANSACTION_ITEMS, StaleAccount
from customer_id.money import from_cents, money, to_cents
from customer_id.offers import service as offers
from customer_id.profile.service import local_date, require_profile
from customer_id.segments import service as segments
from customer_id.segments.repository import AssignmentMoved

# Writes a return adds after the loyalty change: its fraud signal, its notification, the outcome.
AFTER_LOYALTY = 3


def points_reversed_by(state: PurchaseState, returned_cents: int) -> int:
    """What the returns so far reverse in all, once they total `returned_cents`: in proportion,
    rounded down, and the whole of `pointsEarned` when the purchase is returned whole."""
    purchase = state.purchase
    amount_cents = to_cents(purchase.amount)
    if returned_cents >= amount_cents:
        return purchase.points_earned
    return purchase.points_earned * returned_cents // amount_cents


def record_return(customer_id: str, purchase_id: str, data: ReturnInput) -> ReturnRecorded:
    profile = require_profile(customer_id)
    replayed = operations.replay(ReturnRecorded)
    if replayed is not None:
        return replayed
    if analytics_repository.purchase_state(customer_id, purchase_id) is None:
        raise NotFound("purchase_not_found", purchaseId=purchase_id)
    now = clock.now()
    transaction_id = operations.derive("transaction")
    cents = to_cents(data.amount)

    def attempt(work: db.UnitOfWork) -> ReturnRecorded:
        account = loyalty.require_account(customer_id)
        state = analytics_repository.purchase_state(customer_id, purchase_id)  # after the account
        assert state is not None  # purchases are never deleted
        if analytics_repository.return_used(customer_id, data.return_id):
            raise Conflict("duplicate_return", returnId=data.return_id)
        purchase = state.purchase
        left = to_cents(purchase.amount) - state.returned_cents
        if cents > left:
            raise Conflict("return_exceeds_purchase", available=f"{from_cents(left):.2f}")
        points = points_reversed_by(state, state.returned_cents + cents) - state.points_reversed
        whole = cents == left
        day = local_date(profile, purchase.occurred_at)
        returned = Return(
            return_id=data.return_id,
            purchase_id=purchase_id,
            amount=data.amount,
            points_reversed=points,
            reason=data.reason,
            created_at=now,
        )
        analytics_repository.record_return(
            work, customer_id, state, returned, day.isoformat(), day.strftime("%Y-%m")
        )
        if whole:
            offers.release_in(work, customer_id, purchase.order_id, now)
        inputs = analytics.rfm_inputs(profile, now, returning=(purchase, data.amount))
        segments.assign_in(work, profile, inputs, now)
        change = loyalty.plan_reverse(
            account,
            points,
            f"return {data.return_id} of order {purchase.order_id}",
            Source("return", data.return_id),
            now,
            transaction_id,
            lot_writes=MAX_TRANSACTION_ITEMS - len(work) - 2 - AFTER_LOYALTY,  # 2: the account, the entry
        )
        loyalty.stage(work, change)
        after = change.after
        fact = _fact(customer_id, data.return_id)
        queues.signal_fraud(
            work,
            f"return:{fact}",
            "return",
            customer_id,
            now,
            returnId=data.return_id,
            purchaseId=purchase_id,
            amount=f"{data.amount:.2f}",
            fullReturn=whole,
            liftedTier=purchase.lifted_tier,
            purchaseOccurredAt=clock.iso(purchase.occurred_at),
            pointsReversed=points,
        )
        if points > 0 and after.points_debt > account.points_debt:
            queues.notify(
                work,
                f"reverse:{fact}",
                customer_id,
                "loyalty",
                "points_reversed_debt",
                points=points,
                debt=after.points_debt - account.points_debt,
            )
        elif points > 0:
            queues.notify(
                work,
                f"reverse:{fact}",
                customer_id,
                "loyalty",
                "points_reversed",
                points=points,
                balance=after.balance,
            )
        return ReturnRecorded(
            return_id=data.return_id,
            purchase_id=purchase_id,
            amount=money(data.amount),
            points_reversed=points,
            balance_after=after.balance,
            points_debt=after.points_debt,
            tier=after.tier_id,
        )

    return loyalty.debiting(
        customer_id,
        now,
        lambda: operations.retry(
            attempt,
            answer=ReturnRecorded,
            retry_on=(StaleAccount, AssignmentMoved, PurchaseMoved),
            attempts=loyalty.MAX_ATTEMPTS,
        ),
    )


def _fact(customer_id: str, return_id: str) -> str:
    """A return's id across customers (a `returnId` is unique per customer), without its characters."""
    return hashlib.sha256(f"{customer_id}|{return_id}".encode()).hexdigest()[:24]
