"""POST /customers/{customerId}/referrals: the referee applies a referral code."""

from aws_lambda_powertools.event_handler import Response

from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint
from customer_id.referrals import service
from customer_id.referrals.schemas import ReferralApplied, ReferralInput

app = build_resolver()


@app.post("/customers/<customerId>/referrals")
def apply_referral(customerId: str, referral: ReferralInput) -> Response[ReferralApplied]:
    return created(service.apply(customerId, referral.code))


lambda_handler = entrypoint(app, Access.SELF)
