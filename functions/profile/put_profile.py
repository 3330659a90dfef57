"""PUT /customers/{customerId}/profile: create or update one's own profile."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.profile.schemas import ProfileInput, ProfileOutput
from customer_id.workflows import onboarding

app = build_resolver()


@app.put("/customers/<customerId>/profile")
def put_profile(customerId: str, profile: ProfileInput) -> ProfileOutput:
    return onboarding.put_profile(customerId, profile)


lambda_handler = entrypoint(app, Access.SELF)
