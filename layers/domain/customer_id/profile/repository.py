"""The profile table: the only code that reads or writes profile records."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from customer_id import db
from customer_id.db import customer_key
from customer_id.i18n import LANGUAGES, Language
from customer_id.profile.models import PROFILE_SK, Profile, ProfileRecord


class ProfileExists(Exception):
    """A first write found the profile already there: another PUT created it meanwhile."""


class ProfileMissing(Exception):
    """A replacement found no profile to replace."""


def _to_profile(record: ProfileRecord) -> Profile:
    return Profile(
        customer_id=record.customer_id,
        display_name=record.display_name,
        email=record.email,
        phone=record.phone,
        language=record.language,  # type: ignore[arg-type]
        timezone=record.timezone,
        country=record.country,
        joined_at=record.joined_at,
    )


def _record(profile: Profile, updated_at: datetime) -> ProfileRecord:
    return ProfileRecord(
        pk=customer_key(profile.customer_id),
        sk=PROFILE_SK,
        customer_id=profile.customer_id,
        display_name=profile.display_name,
        email=profile.email,
        phone=profile.phone,
        language=profile.language,
        timezone=profile.timezone,
        country=profile.country,
        joined_at=profile.joined_at,
        updated_at=updated_at,
    )


def get(customer_id: str) -> Profile | None:
    try:
        return _to_profile(ProfileRecord.get(customer_key(customer_id), PROFILE_SK))
    except DoesNotExist:
        return None


def find_language(customer_id: str) -> Language | None:
    try:
        record = ProfileRecord.get(customer_key(customer_id), PROFILE_SK, attributes_to_get=["language"])
    except DoesNotExist:
        return None
    return record.language if record.language in LANGUAGES else None


def create(work: db.UnitOfWork, profile: Profile) -> None:
    """Add a new profile to `work`; its commit raises `ProfileExists` if the profile exists already."""
    work.put(
        _record(profile, profile.joined_at),
        ProfileRecord.pk.does_not_exist(),
        fails_with=ProfileExists(),
    )


def replace(work: db.UnitOfWork, profile: Profile, updated_at: datetime) -> None:
    """Add the overwrite of an existing profile (its `joined_at` included as given) to `work`; its
    commit raises `ProfileMissing` if the profile does not exist."""
    work.put(_record(profile, updated_at), ProfileRecord.pk.exists(), fails_with=ProfileMissing())
