"""GET /customers/{customerId}/purchases: newest first, paginated, `from` (inclusive) / `to` (exclusive)."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.analytics import service
from customer_id.analytics.schemas import PurchasePage
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.schemas import Cursor, Instant, Limit

app = build_resolver()


@app.get("/customers/<customerId>/purchases")
def list_purchases(
    customerId: str,
    since: Annotated[Instant | None, Query(alias="from")] = None,
    until: Annotated[Instant | None, Query(alias="to")] = None,
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> PurchasePage:
    return service.list_purchases(customerId, since, until, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
