"""The profile API's answers (`GET /customers/{id}/profile`, and what the PUT answers): apart from
`service`, the lookup every feature imports, so that only the profile's own routes build its
schemas."""

from __future__ import annotations

from customer_id.profile.models import Profile
from customer_id.profile.schemas import ProfileOutput
from customer_id.profile.service import require_profile


def profile_output(profile: Profile) -> ProfileOutput:
    return ProfileOutput(
        customer_id=profile.customer_id,
        display_name=profile.display_name,
        email=profile.email,
        phone=profile.phone,
        language=profile.language,
        timezone=profile.timezone,
        country=profile.country,
        joined_at=profile.joined_at,
    )


def get_profile(customer_id: str) -> ProfileOutput:
    return profile_output(require_profile(customer_id))
