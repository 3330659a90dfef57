"""A customer's occasions as the other parts and the onboarding workflow see them: the joining
anniversary (the day of `joinedAt` in the customer's own calendar), put in the celebration index
with a new profile and moved with the profile's time zone."""

from __future__ import annotations

from dataclasses import replace as replaced
from datetime import datetime

from customer_id import db
from customer_id.profile.models import Profile
from customer_id.profile.service import local_date
from customer_id.rewards import repository
from customer_id.rewards.models import Celebrant


def anniversary(profile: Profile) -> Celebrant:
    """The joining anniversary: the day of `joinedAt` in the customer's timezone."""
    since = local_date(profile, profile.joined_at)
    return Celebrant(
        profile.customer_id, "anniversary", since.month, since.day, profile.timezone, since=since
    )


def open_in(work: db.UnitOfWork, profile: Profile) -> None:
    """A new customer (the onboarding workflow): their anniversary goes into the index with the profile."""
    repository.index_anniversary(work, anniversary(profile), profile.joined_at)


def move_in(work: db.UnitOfWork, profile: Profile, at: datetime) -> None:
    """The profile's time zone changes (the onboarding workflow, in the profile's unit of work): the
    occasions move to the new zone, the anniversary to its day there (joinedAt's local date)."""
    repository.index_anniversary(work, anniversary(profile), at)
    birthday = repository.birthday(profile.customer_id)
    if birthday is not None:
        repository.move_birthday(work, replaced(birthday, zone=profile.timezone), at)
