"""POST /customers/{customerId}/security/events."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, IPvAnyAddress, StringConstraints

from customer_id.schemas import ApiModel, Instant
from customer_id.security.schemas import EventType, Identifier


class SecurityEventInput(ApiModel):
    type: EventType
    ip_address: IPvAnyAddress
    device_id: Identifier
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        description="ISO 3166-1 alpha-2"
    )
    user_agent: Annotated[str, StringConstraints(max_length=512)] | None = None
    occurred_at: Instant | None = None


class SecurityEventAccepted(ApiModel):
    event_id: str
    status: Literal["queued"]
