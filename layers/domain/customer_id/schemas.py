"""Base models and field types shared by every feature's schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

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


Instant = Annotated[AwareDatetime, BeforeValidator(_iso_8601)]
"""An input instant: an ISO 8601 string with a time zone (numbers are refused)."""

Limit = Annotated[int, Field(ge=1, le=100, description="Page size, 1-100")]
Cursor = Annotated[str, Field(min_length=1, max_length=2048, description="`nextCursor` of the previous page")]
