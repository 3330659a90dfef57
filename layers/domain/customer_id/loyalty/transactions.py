"""GET /customers/{customerId}/loyalty/transactions: the points ledger, newest first, paginated; and
a ledger entry as the API shows it (`transaction_output`, also the adjustments' answer)."""

from __future__ import annotations

from customer_id import pagination
from customer_id.loyalty import ledger, repository
from customer_id.loyalty.models import LedgerEntry
from customer_id.loyalty.schemas.transactions import SourceOutput, TransactionOutput, TransactionPage


def transaction_output(entry: LedgerEntry) -> TransactionOutput:
    return TransactionOutput(
        transaction_id=entry.transaction_id,
        type=entry.type,
        points=entry.points,
        balance_after=entry.balance_after,
        reason=entry.reason,
        source=SourceOutput(kind=entry.source.kind, id=entry.source.id),
        created_at=entry.created_at,
    )


def list_transactions(
    customer_id: str, entry_type: str | None, limit: int, cursor: str | None
) -> TransactionPage:
    scope = f"loyalty.transactions|{customer_id}|{entry_type or '*'}"
    entries, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.ledger_page(customer_id, entry_type, limit, start),
        before=lambda: ledger.require_account(customer_id),
    )
    return TransactionPage(items=[transaction_output(entry) for entry in entries], next_cursor=next_cursor)
