"""Base models and field types shared by every feature's schemas."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
)

from customer_id.clock import iso


def camel(name: str) -> str:
    """snake_case to camelCase; unlike pydantic's `to_camel`, `spend_12m` stays `spend12m`."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


class ApiModel(BaseModel):
    """camelCase on the wire, unknown fields rejected."""

    model_config = ConfigDict(alias_generator=camel, populate_by_name=True, extra="forbid")


Timestamp = Annotated[datetime, PlainSerializer(iso, return_type=str)]
"""A timezone-aware instant, written as ISO 8601 UTC with `Z`."""


def _iso_8601(value: object) -> object:
    # pydantic would also take a number of seconds since 1970 ("0.5"): the API speaks ISO 8601 only
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise ValueError(
                "must be an ISO 8601 date-time with a time zone, like 2026-11-24T10:00:00Z"
            ) from error
        return value
    if isinstance(value, datetime):
        return value
    raise ValueError("must be an ISO 8601 date-time string")


# Every instant and date the API takes lies in these years: one outside them is a typo or a probe,
# and near the years 1 and 9999 converting it to UTC (`astimezone`) overflows.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
"""The earliest input instant (inclusive)."""
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
"""The end of input instants (exclusive)."""
_OUT_OF_RANGE = "must be from 1970-01-01T00:00:00Z to before 2100-01-01T00:00:00Z"


def _in_range(value: datetime) -> datetime:
    # the year first: a time zone moves an instant by less than a day, and only an instant of a
    # year next to the range is converted, which cannot overflow
    if not EARLIEST.year - 1 <= value.year <= LATEST.year or not EARLIEST <= value < LATEST:
        raise ValueError(_OUT_OF_RANGE)
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_iso_8601), AfterValidator(_in_range)]
"""An input instant: an ISO 8601 string with a time zone (numbers are refused), from 1970 to before
2100 (`EARLIEST`, `LATEST`)."""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_string(value: object) -> object:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def _day_in_range(value: date) -> date:
    if not EARLIEST.date() <= value < LATEST.date():
        raise ValueError("must be from 1970-01-01 to before 2100-01-01")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_string), AfterValidator(_day_in_range)]
"""An input calendar date written `YYYY-MM-DD`, from 1970 to before 2100."""

Limit = Annotated[int, Field(ge=1, le=100, description="Page size, 1-100")]
Cursor = Annotated[str, Field(min_length=1, max_length=2048, description="`nextCursor` of the previous page")]
