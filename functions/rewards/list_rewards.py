"""GET /customers/{customerId}/rewards: the customer's special-date rewards, newest first."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.rewards import listing
from customer_id.rewards.models import RewardStatus
from customer_id.rewards.schemas.rewards import RewardList

app = build_resolver()


@app.get("/customers/<customerId>/rewards")
def list_rewards(customerId: str, status: Annotated[RewardStatus | None, Query()] = None) -> RewardList:
    return listing.list_rewards(customerId, status)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
