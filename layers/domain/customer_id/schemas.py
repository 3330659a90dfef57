"""Base models and field types shared by every feature's schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

from customer_id.clock import iso


class ApiModel(BaseModel):
    """camelCase on the wire, unknown fields rejected."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


Timestamp = Annotated[datetime, PlainSerializer(iso, return_type=str)]
"""A timezone-aware instant, written as ISO 8601 UTC with `Z`."""

Limit = Annotated[int, Field(ge=1, le=100, description="Page size, 1-100")]
Cursor = Annotated[str, Field(min_length=1, max_length=2048, description="`nextCursor` of the previous page")]
