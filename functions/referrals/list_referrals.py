"""GET /customers/{customerId}/referrals: the customer's referrals, newest first, with stats."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.referrals import referral_list
from customer_id.referrals.schemas.referral_list import ReferralPage
from customer_id.schemas import Cursor, Limit

app = build_resolver()


@app.get("/customers/<customerId>/referrals")
def list_referrals(
    customerId: str, limit: Annotated[Limit, Query()] = 20, cursor: Annotated[Cursor | None, Query()] = None
) -> ReferralPage:
    return referral_list.list_referrals(customerId, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
