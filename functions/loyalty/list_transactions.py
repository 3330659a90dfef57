"""GET /customers/{customerId}/loyalty/transactions: the points ledger, newest first, paginated."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import PageCursor, PageSize, build_resolver, entrypoint
from customer_id.loyalty import transactions
from customer_id.loyalty.schemas.transactions import TransactionPage, TransactionType

app = build_resolver()


@app.get("/customers/<customerId>/loyalty/transactions")
def list_transactions(
    customerId: str,
    entry_type: Annotated[TransactionType | None, Query(alias="type")] = None,
    limit: PageSize = 20,
    cursor: PageCursor = None,
) -> TransactionPage:
    return transactions.list_transactions(customerId, entry_type, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
