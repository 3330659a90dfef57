from __future__ import annotations

import re
from functools import cache
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field, StringConstraints

from customer_id.i18n import Language
from customer_id.schemas import ApiModel, Timestamp

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")  # ASCII digits only; matched whole (no trailing newline)
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})  # files of the zone database, not zones


@cache
def timezones() -> frozenset[str]:
    """Every time zone a profile may have (the IANA names of the zone database)."""
    return frozenset(available_timezones()) - _NOT_ZONES


def _iana_timezone(value: str) -> str:
    if value not in timezones():
        raise ValueError("must be an IANA time zone name, like Asia/Riyadh")
    return value


def _e164(value: str) -> str:
    if not _E164.fullmatch(value):
        raise ValueError("must be an E.164 number, like +966501234567")
    return value


def _email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email  # loaded on first use, not at import

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"must be a valid email address: {error}") from error


def _alpha2(value: str) -> str:
    import pycountry  # its database loads only when a country is given

    if len(value) != 2 or pycountry.countries.get(alpha_2=value.upper()) is None:
        raise ValueError("must be an ISO 3166-1 alpha-2 code, like SA")
    return value.upper()


DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_e164)]
Timezone = Annotated[str, AfterValidator(_iana_timezone)]
Country = Annotated[str, AfterValidator(_alpha2)]


class ProfileInput(ApiModel):
    display_name: DisplayName
    email: Email
    phone: Phone | None = None
    language: Language
    timezone: Timezone
    country: Country | None = None


class ProfileOutput(ApiModel):
    customer_id: str
    display_name: str
    email: str
    phone: str | None
    language: Language
    timezone: str
    country: str | None
    joined_at: Timestamp = Field(description="Set by the first PUT; never changes")
