"""GET /customers/{customerId}/security/events: the security event log, newest first, paginated."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.schemas import Cursor, Limit
from customer_id.security.events import listing
from customer_id.security.schemas.events import SecurityEventPage

app = build_resolver()


@app.get("/customers/<customerId>/security/events")
def list_events(
    customerId: str, limit: Annotated[Limit, Query()] = 20, cursor: Annotated[Cursor | None, Query()] = None
) -> SecurityEventPage:
    return listing.list_events(customerId, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
