"""POST /customers/{customerId}/rewards/{rewardId}/claims: credit a reward's points, once."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.rewards import claims
from customer_id.rewards.schemas.claims import RewardClaimInput, RewardClaimOutput

app = build_resolver()


@app.post("/customers/<customerId>/rewards/<rewardId>/claims", status_code=201)
def claim_reward(customerId: str, rewardId: str, body: RewardClaimInput | None = None) -> RewardClaimOutput:
    return claims.claim(customerId, rewardId)


lambda_handler = entrypoint(app, Access.SELF)
