from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from customer_id.i18n import Language
from customer_id.profile.service import timezones
from customer_id.schemas import ApiModel, Timestamp

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")  # ASCII digits only; matched whole (no trailing newline)
# ISO 3166-1 alpha-2: the 249 officially assigned codes, as the ISO 3166 Maintenance Agency lists
# them (and pycountry 26.2.16, a dev dependency that tests/unit/test_profile.py compares them with;
# the layer no longer ships its 23 MB of data for this one check). A code ISO assigns later is
# added here. One string, split: a list literal would take a line per code.
COUNTRIES = frozenset(
    (  # noqa: SIM905
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
        "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
        "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
        "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
        "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
        "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
        "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
        "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
    ).split()
)


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
    if value.upper() not in COUNTRIES:
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
