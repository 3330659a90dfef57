"""`GET`/`PUT /customers/{id}/special-dates`: the birthday (set once by the customer, corrected by
staff) and the joining anniversary."""

from __future__ import annotations

from customer_id import clock, db
from customer_id.errors import Conflict
from customer_id.profile.service import require_profile
from customer_id.rewards import celebrants, repository
from customer_id.rewards.models import Celebrant
from customer_id.rewards.repository import BirthdayAlreadySet
from customer_id.rewards.schemas.special_dates import (
    SpecialDateAnniversary,
    SpecialDateBirthday,
    SpecialDatesInput,
    SpecialDatesOutput,
)


def _special_dates(birthday: Celebrant | None, anniversary: Celebrant) -> SpecialDatesOutput:
    assert anniversary.since is not None
    return SpecialDatesOutput(
        birthday=(
            SpecialDateBirthday(month=birthday.month, day=birthday.day, year=birthday.year)
            if birthday
            else None
        ),
        anniversary=SpecialDateAnniversary(
            month=anniversary.month, day=anniversary.day, since=anniversary.since
        ),
    )


def get_special_dates(customer_id: str) -> SpecialDatesOutput:
    profile = require_profile(customer_id)
    return _special_dates(repository.birthday(customer_id), celebrants.anniversary(profile))


def put_special_dates(customer_id: str, data: SpecialDatesInput, by_staff: bool) -> SpecialDatesOutput:
    """A customer sets their birthday once (repeating the same one changes nothing); staff may
    correct it at any time."""
    profile = require_profile(customer_id)
    given = data.birthday
    birthday = Celebrant(customer_id, "birthday", given.month, given.day, profile.timezone, year=given.year)
    anniversary = celebrants.anniversary(profile)
    now = clock.now()
    try:
        db.retry(
            lambda work: repository.save_special_dates(
                work, birthday, anniversary, now, only_if_new=not by_staff
            )
        )
    except BirthdayAlreadySet:
        kept = repository.birthday(customer_id)
        if kept is None or (kept.month, kept.day, kept.year) != (birthday.month, birthday.day, birthday.year):
            raise Conflict("birthday_already_set") from None
    return _special_dates(birthday, anniversary)
