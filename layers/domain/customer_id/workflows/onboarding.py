"""Onboarding: the profile PUT. The first one creates the profile and, in the same unit of work,
opens the customer in the features that keep something per customer from the start: the loyalty
account, the segment assignment (`new`) and the anniversary in the special-date index. A later
PUT replaces the profile, keeping `joinedAt`; when it changes the time zone, the special dates move
to the new zone in the same unit of work (they are celebrated by the customer's calendar)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from customer_id import clock, db
from customer_id.loyalty import repository as loyalty_repository
from customer_id.profile import repository as profiles
from customer_id.profile.api import profile_output
from customer_id.profile.models import Profile
from customer_id.profile.repository import ProfileExists, ProfileMissing
from customer_id.profile.schemas import ProfileInput, ProfileOutput
from customer_id.rewards import celebrants as rewards
from customer_id.segments import service as segments

# A concurrent first PUT may create the profile between our read and our write: then update it.
ATTEMPTS = 2


def put_profile(customer_id: str, data: ProfileInput, now: datetime | None = None) -> ProfileOutput:
    now = now or clock.now()
    for _ in range(ATTEMPTS):
        existing = profiles.get(customer_id)
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
            try:
                db.retry(partial(_replace, profile=profile, before=existing, now=now))
            except ProfileMissing:
                continue
            return profile_output(profile)
        try:
            db.retry(partial(_open, profile=profile))  # tried again only when contended
        except ProfileExists:
            continue
        return profile_output(profile)
    raise RuntimeError("profile changed twice under a single PUT")  # only on a delete racing the write


def _replace(work: db.UnitOfWork, profile: Profile, before: Profile, now: datetime) -> None:
    """The profile replaced; in a new time zone, with the special dates moved there."""
    profiles.replace(work, profile, updated_at=now)
    if profile.timezone != before.timezone:
        rewards.move_in(work, profile, now)


def _open(work: db.UnitOfWork, profile: Profile) -> None:
    """The new profile, with what it opens in other features."""
    profiles.create(work, profile)
    loyalty_repository.open_account(work, profile.customer_id, profile.joined_at)
    segments.open_in(work, profile)
    rewards.open_in(work, profile)
