"""GET /customers/{customerId}/security: risk, 2FA, hold, open alerts and recommendations."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.security import profile
from customer_id.security.schemas.profile import SecurityProfile

app = build_resolver()


@app.get("/customers/<customerId>/security")
def get_security(customerId: str) -> SecurityProfile:
    return profile.profile(customerId, request.language())


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
