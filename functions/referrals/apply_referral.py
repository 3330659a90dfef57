"""POST /customers/{customerId}/referrals: the referee applies a referral code."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.referrals import applications
from customer_id.referrals.schemas.applications import ReferralApplied, ReferralInput

app = build_resolver()


@app.post("/customers/<customerId>/referrals", status_code=201)
def apply_referral(customerId: str, referral: ReferralInput) -> ReferralApplied:
    return applications.apply(customerId, referral.code)


lambda_handler = entrypoint(app, Access.SELF)
