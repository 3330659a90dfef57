"""GET /customers/{customerId}/analytics/engagement: engagement counters and score."""

from customer_id.analytics import engagement_score
from customer_id.analytics.schemas.engagement import EngagementOutput
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint

app = build_resolver()


@app.get("/customers/<customerId>/analytics/engagement")
def get_engagement(customerId: str) -> EngagementOutput:
    return engagement_score.engagement(customerId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
