"""GET /customers/{customerId}/rewards/upcoming: the occasions of the next 60 days."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.rewards import upcoming
from customer_id.rewards.schemas.upcoming import UpcomingOccasionList

app = build_resolver()


@app.get("/customers/<customerId>/rewards/upcoming")
def list_upcoming(customerId: str) -> UpcomingOccasionList:
    return upcoming.upcoming(customerId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
