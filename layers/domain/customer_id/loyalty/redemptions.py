"""POST /customers/{customerId}/loyalty/redemptions: spend points on a catalog item (the lots they
came from recorded, so that a cancellation can put them back: see `ledger`)."""

from __future__ import annotations

from customer_id import clock, codes, db, operations, queues
from customer_id.errors import Conflict, Forbidden, NotFound
from customer_id.loyalty import ledger, repository, tiers
from customer_id.loyalty.models import Account, Source
from customer_id.loyalty.repository import AccountChange, Redemption, StaleAccount
from customer_id.loyalty.schemas.redemptions import RedemptionOutput


def redeem(customer_id: str, item_id: str) -> RedemptionOutput:
    """Spend points on a catalogue item. With `Idempotency-Key` the redemption, its entry and its
    voucher derive from the operation, and a re-execution answers with the first redemption."""
    now = clock.now()
    ledger.require_account(customer_id)
    item = repository.catalog_item(item_id)
    if item is None:
        raise NotFound("catalog_item_not_found", itemId=item_id)
    redemption = Redemption(
        redemption_id=operations.derive("redemption"), item_id=item.item_id, voucher_code=_voucher_code()
    )
    transaction_id = operations.derive("transaction")

    def decide(account: Account) -> AccountChange:
        if account.redemption_hold:
            raise Forbidden("redemption_hold")
        if tiers.rank(account.tier_id) < tiers.rank(item.min_tier):
            raise Conflict("tier_too_low", minTier=item.min_tier)
        change = ledger.debit(
            account,
            item.points_cost,
            "redeem",
            f"redeemed {item.item_id}",
            Source("redemption", redemption.redemption_id),
            now,
            transaction_id,
            lot_writes=ledger.REDEMPTION_LOT_WRITES,
            trace=True,
        )
        change.redemption = redemption
        return change

    def attempt(work: db.UnitOfWork) -> RedemptionOutput:
        change = decide(ledger.require_account(customer_id))
        ledger.stage(work, change)
        entry = change.entries[-1]
        queues.signal_fraud(
            work,
            f"redemption:{redemption.redemption_id}",
            "redemption",
            customer_id,
            entry.created_at,
            redemptionId=redemption.redemption_id,
            itemId=item.item_id,
            pointsSpent=-entry.points,
        )
        return RedemptionOutput(
            redemption_id=redemption.redemption_id,
            transaction_id=entry.transaction_id,
            points_spent=-entry.points,
            balance_after=entry.balance_after,
            voucher_code=redemption.voucher_code,
        )

    return ledger.debiting(
        customer_id,
        now,
        lambda: operations.retry(
            attempt, answer=RedemptionOutput, retry_on=(StaleAccount,), attempts=ledger.MAX_ATTEMPTS
        ),
    )


def _voucher_code() -> str:
    code = codes.random_code(12)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
