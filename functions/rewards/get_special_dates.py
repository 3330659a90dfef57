"""GET /customers/{customerId}/special-dates: the birthday (or null) and the joining anniversary."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.rewards import special_dates
from customer_id.rewards.schemas.special_dates import SpecialDatesOutput

app = build_resolver()


@app.get("/customers/<customerId>/special-dates")
def get_special_dates(customerId: str) -> SpecialDatesOutput:
    return special_dates.get_special_dates(customerId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
