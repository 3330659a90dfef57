"""POST /customers/{customerId}/referral-code: the customer's one code (201 the first time, 200 after)."""

from aws_lambda_powertools.event_handler import Response

from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint, responses
from customer_id.referrals import codes
from customer_id.referrals.schemas.codes import ReferralCodeInput, ReferralCodeOutput

app = build_resolver()


@app.post(
    "/customers/<customerId>/referral-code",
    status_code=201,
    responses=responses(
        ReferralCodeOutput, {201: "The code, made now", 200: "The code the customer already had"}
    ),
)
def create_code(customerId: str, body: ReferralCodeInput | None = None) -> Response[ReferralCodeOutput]:
    code, is_new = codes.create_code(customerId)
    return created(code, status=201 if is_new else 200)


lambda_handler = entrypoint(app, Access.SELF)
