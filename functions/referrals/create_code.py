"""POST /customers/{customerId}/referral-code: the customer's one code (201 the first time, 200 after)."""

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint
from customer_id.referrals import service
from customer_id.referrals.schemas import ReferralCodeInput, ReferralCodeOutput

app = build_resolver()
CREATED: OpenAPIResponse = {
    "description": "The code, made now",
    "content": {"application/json": {"model": ReferralCodeOutput}},
}
EXISTING: OpenAPIResponse = {
    "description": "The code the customer already had",
    "content": {"application/json": {"model": ReferralCodeOutput}},
}


@app.post(
    "/customers/<customerId>/referral-code",
    status_code=201,
    responses={201: CREATED, 200: EXISTING},
)
def create_code(customerId: str, body: ReferralCodeInput | None = None) -> Response[ReferralCodeOutput]:
    code, is_new = service.create_code(customerId)
    return created(code, status=201 if is_new else 200)


lambda_handler = entrypoint(app, Access.SELF)
