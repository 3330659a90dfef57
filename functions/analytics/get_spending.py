"""GET /customers/{customerId}/analytics/spending: spend per month and per category."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.analytics import spending
from customer_id.analytics.schemas.spending import SpendingOutput
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint

app = build_resolver()


@app.get("/customers/<customerId>/analytics/spending")
def get_spending(
    customerId: str, months: Annotated[int, Query(ge=1, le=24, description="How many months, 1-24")] = 12
) -> SpendingOutput:
    return spending.spending(customerId, months)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
