"""Profile rules: the first PUT creates the profile and opens the loyalty account in one step."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from pynamodb.transactions import TransactWrite

from customer_id import clock
from customer_id.errors import NotFound
from customer_id.loyalty import repository as loyalty_repository
from customer_id.profile import repository
from customer_id.profile.models import Profile
from customer_id.profile.schemas import ProfileInput, ProfileOutput


def _output(profile: Profile) -> ProfileOutput:
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
    return _output(require_profile(customer_id))


def require_profile(customer_id: str) -> Profile:
    """The customer's profile; every `/customers/{id}/…` route is 404 before the first PUT."""
    profile = repository.get(customer_id)
    if profile is None:
        raise NotFound("profile_not_found", customerId=customer_id)
    return profile


def _open(transaction: TransactWrite, profile: Profile) -> None:
    """What the first PUT opens with the profile: the loyalty account, the segment assignment and
    the anniversary in the special-date index."""
    from customer_id.rewards import service as rewards  # imported here: rewards reads profiles
    from customer_id.segments import service as segments  # imported here: segments reads profiles

    loyalty_repository.open_account(transaction, profile.customer_id, profile.joined_at)
    segments.open_in(transaction, profile)
    rewards.open_in(transaction, profile)


def put_profile(customer_id: str, data: ProfileInput, now: datetime | None = None) -> ProfileOutput:
    now = now or clock.now()
    # Two attempts: a concurrent first PUT may create the profile between our read and our write.
    for _ in range(2):
        existing = repository.get(customer_id)
        profile = Profile(
            customer_id=customer_id,
            display_name=data.display_name,
            email=data.email,
            phone=data.phone,
            language=data.language,
            timezone=data.timezone,
            country=data.country,
            joined_at=existing.joined_at if existing else now,
        )
        if existing is not None:
            if repository.replace(profile, updated_at=now):
                return _output(profile)
        elif repository.create(profile, also=partial(_open, profile=profile)):
            return _output(profile)
    raise RuntimeError("profile changed twice under a single PUT")  # only on a delete racing the write
