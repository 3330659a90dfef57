"""POST /rewards/issuance (admins): issue the rewards of a date's celebrants in every time zone, by the
hourly units' own loop."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.rewards.issuance import issue
from customer_id.rewards.schemas.issuance import RewardIssuanceInput, RewardIssuanceOutput

app = build_resolver()


@app.post("/rewards/issuance")
def issue_rewards(issuance: RewardIssuanceInput) -> RewardIssuanceOutput:
    return issue(issuance.day)


lambda_handler = entrypoint(app, Access.ADMINS)
