"""POST /customers/{customerId}/loyalty/adjustments (admins): credit or debit points by hand."""

from __future__ import annotations

from customer_id import clock, db, operations
from customer_id.loyalty import ledger
from customer_id.loyalty.models import Source
from customer_id.loyalty.repository import StaleAccount
from customer_id.loyalty.schemas.transactions import TransactionOutput
from customer_id.loyalty.transactions import transaction_output


def adjust(customer_id: str, points: int, reason: str, admin_id: str) -> TransactionOutput:
    """An admin's credit or debit. With `Idempotency-Key` its entry's id derives from the operation,
    and a re-execution answers with the first entry, writing nothing."""
    now = clock.now()
    source = Source("admin", admin_id)
    transaction_id = operations.derive("transaction")

    def attempt(work: db.UnitOfWork) -> TransactionOutput:
        account = ledger.require_account(customer_id)
        if points > 0:
            change = ledger.credit(account, points, "adjust", reason, source, now, transaction_id)
        else:
            change = ledger.debit(account, -points, "adjust", reason, source, now, transaction_id)
        ledger.stage(work, change)
        return transaction_output(change.entries[-1])

    return ledger.debiting(
        customer_id,
        now,
        lambda: operations.retry(
            attempt, answer=TransactionOutput, retry_on=(StaleAccount,), attempts=ledger.MAX_ATTEMPTS
        ),
    )
