"""The security event log (`EVENT#<occurredAt>#<eventId>`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute

from customer_id.security.models import SecurityTableModel


@dataclass(frozen=True)
class SecurityEvent:
    event_id: str
    type: str
    ip_address: str
    device_id: str
    country: str
    user_agent: str | None
    occurred_at: datetime


class SecurityEventRecord(SecurityTableModel):
    event_id = UnicodeAttribute()
    type = UnicodeAttribute()
    ip_address = UnicodeAttribute()
    device_id = UnicodeAttribute()
    country = UnicodeAttribute()
    user_agent = UnicodeAttribute(null=True)
    occurred_at = UTCDateTimeAttribute()
