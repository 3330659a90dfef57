"""Security records, keyed by customer (`CUSTOMER#<id>`):

- `SECURITY`: risk (the summed weight of open alerts), open alert count, 2FA state
- `ALERT#<createdAt>#<alertId>` (index `alertsByStatus` on `<status>#<createdAt>#<alertId>`) and
  `ALERTREF#<alertId>` pointing at it
- `EVENT#<occurredAt>#<eventId>`: the security event log
- `DEVICE#<deviceId>`: devices seen; `LAST_LOGIN`: the previous login's time and country
- `WINDOW#<kind>#<at>#<messageId>`: sliding-window entries for the fraud rules, expiring by TTL
- `LATCH#<alertType>`: the periods a window rule has alerted on (`fraud.py`), with a revision
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, LocalSecondaryIndex

from customer_id import db


@dataclass(frozen=True)
class Alert:
    alert_id: str
    customer_id: str
    type: str
    severity: str
    reason: str
    weight: int
    status: str
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    sk: str
    resolved_by: str | None = None  # "customer" or "staff"


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


@dataclass(frozen=True)
class Risk:
    """The customer's risk as read: the summed weight of open alerts, and the revision that every
    change of it moves (0: never changed)."""

    open_weight: int
    open_alerts: int
    revision: int


@dataclass(frozen=True)
class SecurityEvent:
    event_id: str
    type: str
    ip_address: str
    device_id: str
    country: str
    user_agent: str | None
    occurred_at: datetime


class _SecurityModel(db.TableModel):
    Meta = db.meta("security_table")


class SecurityStateRecord(_SecurityModel):
    open_weight = NumberAttribute(default=0)
    open_alerts = NumberAttribute(default=0)
    risk_revision = NumberAttribute(null=True, attr_name="riskRevision")  # moved by every risk change
    last_evaluated_at = UTCDateTimeAttribute(null=True)
    two_factor_enabled = BooleanAttribute(default=False)
    totp_secret = UnicodeAttribute(null=True)
    pending_totp_secret = UnicodeAttribute(null=True)
    totp_last_step = NumberAttribute(default=0)


class AlertsByStatus(LocalSecondaryIndex["AlertRecord"]):
    class Meta:
        index_name = "alertsByStatus"
        projection = AllProjection()

    pk = UnicodeAttribute(hash_key=True)
    status_sk = UnicodeAttribute(range_key=True, attr_name="statusSk")


class AlertRecord(_SecurityModel):
    status_sk = UnicodeAttribute(attr_name="statusSk")
    by_status = AlertsByStatus()
    alert_id = UnicodeAttribute()
    type = UnicodeAttribute()
    severity = UnicodeAttribute()
    reason = UnicodeAttribute()
    weight = NumberAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    resolved_at = UTCDateTimeAttribute(null=True)
    resolution = UnicodeAttribute(null=True)
    resolved_by = UnicodeAttribute(null=True, attr_name="resolvedBy")


class AlertRefRecord(_SecurityModel):
    alert_sk = UnicodeAttribute()


class SecurityEventRecord(_SecurityModel):
    event_id = UnicodeAttribute()
    type = UnicodeAttribute()
    ip_address = UnicodeAttribute()
    device_id = UnicodeAttribute()
    country = UnicodeAttribute()
    user_agent = UnicodeAttribute(null=True)
    occurred_at = UTCDateTimeAttribute()


class DeviceRecord(_SecurityModel):
    first_seen_at = UTCDateTimeAttribute()


class LastLoginRecord(_SecurityModel):
    at = UTCDateTimeAttribute()
    country = UnicodeAttribute()
    device_id = UnicodeAttribute()


class WindowRecord(_SecurityModel):
    at = UTCDateTimeAttribute()
    expires_at = NumberAttribute(attr_name="expiresAt")  # epoch seconds: DynamoDB TTL


class PeriodAttribute(MapAttribute[str, object]):
    start = UTCDateTimeAttribute()
    end = UTCDateTimeAttribute()
    alert_id = UnicodeAttribute(attr_name="alertId")


class LatchRecord(_SecurityModel):
    revision = NumberAttribute()
    periods = ListAttribute(of=PeriodAttribute, default=list)
