"""GET /customers/{customerId}/referral-rewards: points granted through referrals, newest first."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.referrals import reward_list
from customer_id.referrals.schemas.reward_list import ReferralRewardPage
from customer_id.schemas import Cursor, Limit

app = build_resolver()


@app.get("/customers/<customerId>/referral-rewards")
def list_rewards(
    customerId: str, limit: Annotated[Limit, Query()] = 20, cursor: Annotated[Cursor | None, Query()] = None
) -> ReferralRewardPage:
    return reward_list.list_rewards(customerId, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
