"""GET /customers/{customerId}/profile."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.profile import api
from customer_id.profile.schemas import ProfileOutput

app = build_resolver()


@app.get("/customers/<customerId>/profile")
def get_profile(customerId: str) -> ProfileOutput:
    return api.get_profile(customerId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
