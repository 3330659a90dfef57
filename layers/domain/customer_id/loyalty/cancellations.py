"""POST /customers/{customerId}/loyalty/redemptions/{redemptionId}/cancellation: a redemption's
points back into the lots they came from, its voucher void."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from customer_id import clock, db, operations, queues
from customer_id.errors import Busy, Conflict, NotFound
from customer_id.loyalty import ledger, repository
from customer_id.loyalty.models import Account, Lot, Source, SpentLot
from customer_id.loyalty.repository import AccountChange, Cancellation, StaleAccount, StoredRedemption
from customer_id.loyalty.schemas.cancellations import RedemptionCancellationOutput

# The customer may cancel a redemption this long after it (staff at any time).
CANCELLATION_WINDOW = timedelta(minutes=30)


class _SettleFirst(Exception):
    """A refund met an account that owes its lots: settle them first (see `ledger`)."""


def cancel_redemption(
    customer_id: str, redemption_id: str, *, by_staff: bool
) -> RedemptionCancellationOutput:
    """Give a redemption's points back into the lots they came from, with their expiry, and void
    its voucher: the customer within `CANCELLATION_WINDOW` of redeeming, staff at any time. Points
    whose lot has expired meanwhile are written off at once (`expire` entries after the refund).
    One unit of work: the refund, the lots, the write-offs, the voided redemption, the
    notification and, with `Idempotency-Key`, the operation's answer."""
    now = clock.now()
    transaction_id = operations.derive("transaction")

    def attempt(work: db.UnitOfWork) -> RedemptionCancellationOutput:
        account = ledger.require_account(customer_id)
        redemption = repository.get_redemption(customer_id, redemption_id)
        if redemption is None:
            raise NotFound("redemption_not_found", redemptionId=redemption_id)
        if redemption.status == repository.CANCELLED:
            raise Conflict("redemption_already_cancelled", redemptionId=redemption_id)
        if not by_staff and now - redemption.created_at > CANCELLATION_WINDOW:
            raise Conflict("cancellation_window_closed", minutes=CANCELLATION_WINDOW // timedelta(minutes=1))
        if redemption.lots is None or sum(lot.points for lot in redemption.lots) != redemption.points_spent:
            raise Conflict("redemption_not_refundable", redemptionId=redemption_id)
        if account.unsettled > 0:
            raise _SettleFirst
        change = _refund(account, redemption, now, transaction_id)
        ledger.stage(work, change)
        queues.notify(
            work,
            f"refund:{customer_id}:{redemption_id}",
            customer_id,
            "loyalty",
            template="points_refunded",
            points=redemption.points_spent,
            voucherCode=redemption.voucher_code,
        )
        return RedemptionCancellationOutput(
            redemption_id=redemption_id,
            status="cancelled",
            points_refunded=redemption.points_spent,
            balance_after=change.after.balance,
            transaction_id=change.entries[0].transaction_id,
        )

    for _ in range(ledger.MAX_ATTEMPTS):
        try:
            return operations.retry(
                attempt,
                answer=RedemptionCancellationOutput,
                retry_on=(StaleAccount,),
                attempts=ledger.MAX_ATTEMPTS,
            )
        except _SettleFirst:
            ledger.expire_due(customer_id, now)  # settles the debt (and writes off what expired by now)
    raise Busy("busy")


def _refund(
    account: Account, redemption: StoredRedemption, at: datetime, transaction_id: str
) -> AccountChange:
    """The `refund` credit of a redemption's points into the lots they came from, then an `expire`
    entry for each of those lots that has expired by `at` (its points are not put back)."""
    assert redemption.lots is not None
    stored = repository.lots_by_key(account.customer_id, (lot.key for lot in redemption.lots))
    back: list[Lot] = []
    topped_up: list[Lot] = []
    expired: list[SpentLot] = []
    for spent in redemption.lots:
        if spent.expires_at <= at:
            expired.append(spent)
        elif spent.key in stored:
            lot = stored[spent.key]
            topped_up.append(replace(lot, remaining=lot.remaining + spent.points))
        else:
            back.append(Lot(spent.key, spent.points, spent.earned_at, spent.expires_at, spent.transaction_id))
    change = ledger.credit(
        account,
        redemption.points_spent,
        "refund",
        f"cancelled redemption of {redemption.item_id}",
        Source("redemption", redemption.redemption_id),
        at,
        transaction_id,
        restored=(back, topped_up),
    )
    for spent in expired:
        after = change.after
        entry = ledger.new_entry(
            after.seq + 1,
            "expire",
            -spent.points,
            after.balance - spent.points,
            "points expired",
            Source("lot", spent.transaction_id),
            at,
        )
        change.entries.append(entry)
        change.after = replace(after, balance=entry.balance_after, seq=entry.seq)
    change.cancellation = Cancellation(redemption.redemption_id, at, change.entries[0].transaction_id)
    return change
