"""GET /customers/{customerId}/security/events."""

from __future__ import annotations

from pydantic import Field

from customer_id.schemas import ApiModel, Timestamp
from customer_id.security.schemas import EventType


class SecurityEventOutput(ApiModel):
    event_id: str
    type: EventType
    ip_address: str
    device_id: str
    country: str
    created_at: Timestamp = Field(description="When it happened (occurredAt)")


class SecurityEventPage(ApiModel):
    items: list[SecurityEventOutput]
    next_cursor: str | None
