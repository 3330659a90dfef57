"""Profile rules: the lookup every customer route starts with, and the customer's calendar.

Every feature imports this module, so it holds no API schema: the profile's own answers are
`customer_id.profile.api`'s. The PUT that writes a profile is the onboarding workflow's
(`customer_id.workflows.onboarding`): the first one opens the customer in other features too."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from customer_id import clock
from customer_id.errors import NotFound
from customer_id.profile import repository
from customer_id.profile.models import Profile


def require_profile(customer_id: str) -> Profile:
    """The customer's profile; every `/customers/{id}/…` route is 404 before the first PUT."""
    profile = repository.get(customer_id)
    if profile is None:
        raise NotFound("profile_not_found", customerId=customer_id)
    return profile


# ---- the customer's calendar -----------------------------------------------------------------

_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})  # files of the zone database, not zones


@cache
def timezones() -> frozenset[str]:
    """Every time zone a profile may have (the IANA names of the zone database)."""
    return frozenset(available_timezones()) - _NOT_ZONES


def local_date(profile: Profile, moment: datetime) -> date:
    """The calendar day of `moment` in the customer's timezone."""
    return moment.astimezone(ZoneInfo(profile.timezone)).date()


def today_of(profile: Profile, now: datetime | None = None) -> date:
    """Today (or the day of `now`) in the customer's timezone."""
    return local_date(profile, now or clock.now())
