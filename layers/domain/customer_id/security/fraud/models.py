"""The fraud rules' records: devices seen (`DEVICE#<deviceId>`), the previous login
(`LAST_LOGIN`), sliding-window entries (`WINDOW#<kind>#<at>#<messageId>`, expiring by TTL) and the
periods a window rule has alerted on (`LATCH#<alertType>`, with a revision; `fraud.scoring`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from customer_id.security.models import SecurityTableModel


@dataclass(frozen=True)
class Period:
    """A run of events that a window rule alerted on: its first and last event, and the alert."""

    start: datetime
    end: datetime
    alert_id: str


@dataclass(frozen=True)
class Latch:
    """The periods a window rule alerted on for a customer, as read (`revision` 0: none yet)."""

    customer_id: str
    alert_type: str
    periods: tuple[Period, ...]
    revision: int


class DeviceRecord(SecurityTableModel):
    first_seen_at = UTCDateTimeAttribute()


class LastLoginRecord(SecurityTableModel):
    at = UTCDateTimeAttribute()
    country = UnicodeAttribute()
    device_id = UnicodeAttribute()


class WindowRecord(SecurityTableModel):
    at = UTCDateTimeAttribute()
    expires_at = NumberAttribute(attr_name="expiresAt")  # epoch seconds: DynamoDB TTL


class PeriodAttribute(MapAttribute[str, object]):
    start = UTCDateTimeAttribute()
    end = UTCDateTimeAttribute()
    alert_id = UnicodeAttribute(attr_name="alertId")


class LatchRecord(SecurityTableModel):
    revision = NumberAttribute()
    periods = ListAttribute(of=PeriodAttribute, default=list)
