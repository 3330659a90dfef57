"""GET /customers/{customerId}/analytics/summary: lifetime and recent spend, from aggregates."""

from customer_id.analytics import summary
from customer_id.analytics.schemas.summary import AnalyticsSummary
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint

app = build_resolver()


@app.get("/customers/<customerId>/analytics/summary")
def get_summary(customerId: str) -> AnalyticsSummary:
    return summary.summary(customerId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
