"""POST /customers/{customerId}/security/two-factor: enroll, verify (turns TOTP on), disable."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.security import two_factor
from customer_id.security.schemas.two_factor import EnrollInput, Enrolment, TwoFactorState, VerifyInput

app = build_resolver()


@app.post("/customers/<customerId>/security/two-factor")
def change_two_factor(customerId: str, body: EnrollInput | VerifyInput) -> Enrolment | TwoFactorState:
    if isinstance(body, EnrollInput):
        return two_factor.enroll(customerId)
    if body.action == "verify":
        return two_factor.verify(customerId, body.code)
    return two_factor.disable(customerId, body.code)


lambda_handler = entrypoint(app, Access.SELF)
