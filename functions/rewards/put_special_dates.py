"""PUT /customers/{customerId}/special-dates: the customer sets their birthday once; staff correct it."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.rewards import special_dates
from customer_id.rewards.schemas.special_dates import SpecialDatesInput, SpecialDatesOutput

app = build_resolver()


@app.put("/customers/<customerId>/special-dates")
def put_special_dates(customerId: str, dates: SpecialDatesInput) -> SpecialDatesOutput:
    return special_dates.put_special_dates(customerId, dates, by_staff=request.caller().is_staff)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
