"""GET /customers/{customerId}/special-dates: the birthday (or null) and the joining anniversary."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.rewards import service
from customer_id.rewards.schemas import SpecialDatesOutput

app = build_resolver()


@app.get("/customers/<customerId>/special-dates")
def get_special_dates(customerId: str) -> SpecialDatesOutput:
    return service.get_special_dates(customerId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
