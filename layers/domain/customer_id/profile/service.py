"""Profile rules: the lookup every customer route starts with, and the customer's calendar.

The PUT that writes a profile is the onboarding workflow's (`customer_id.workflows.onboarding`):
the first one opens the customer in other features too."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from customer_id import clock
from customer_id.errors import NotFound
from customer_id.profile import repository
from customer_id.profile.models import Profile
from customer_id.profile.schemas import ProfileOutput


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


def require_profile(customer_id: str) -> Profile:
    """The customer's profile; every `/customers/{id}/…` route is 404 before the first PUT."""
    profile = repository.get(customer_id)
    if profile is None:
        raise NotFound("profile_not_found", customerId=customer_id)
    return profile


# ---- the customer's calendar -----------------------------------------------------------------


def local_date(profile: Profile, moment: datetime) -> date:
    """The calendar day of `moment` in the customer's timezone."""
    return moment.astimezone(ZoneInfo(profile.timezone)).date()


def today_of(profile: Profile, now: datetime | None = None) -> date:
    """Today (or the day of `now`) in the customer's timezone."""
    return local_date(profile, now or clock.now())
