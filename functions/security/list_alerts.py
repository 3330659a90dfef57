"""GET /customers/{customerId}/security/alerts: newest first, paginated, `status` open|resolved."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import PageCursor, PageSize, build_resolver, entrypoint, language
from customer_id.security.alerts import listing
from customer_id.security.schemas.alert_list import AlertPage, AlertStatus

app = build_resolver()


@app.get("/customers/<customerId>/security/alerts")
def list_alerts(
    customerId: str,
    status: Annotated[AlertStatus | None, Query()] = None,
    limit: PageSize = 20,
    cursor: PageCursor = None,
) -> AlertPage:
    return listing.list_alerts(customerId, status, limit, cursor, language())


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
