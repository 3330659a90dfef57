"""GET /customers/{customerId}/purchases: newest first, paginated, `from` (inclusive) / `to` (exclusive)."""

from customer_id.analytics import purchases
from customer_id.analytics.schemas.purchases import PurchasePage
from customer_id.auth import Access
from customer_id.http import PageCursor, PageSize, RangeFrom, RangeTo, build_resolver, entrypoint

app = build_resolver()


@app.get("/customers/<customerId>/purchases")
def list_purchases(
    customerId: str,
    since: RangeFrom = None,
    until: RangeTo = None,
    limit: PageSize = 20,
    cursor: PageCursor = None,
) -> PurchasePage:
    return purchases.list_purchases(customerId, since, until, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
