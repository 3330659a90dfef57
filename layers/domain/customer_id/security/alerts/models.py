"""Alert records (`ALERT#<createdAt>#<alertId>`, index `alertsByStatus`, and `ALERTREF#<alertId>`
pointing at it) and the alert and risk as read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, LocalSecondaryIndex

from customer_id.security.models import SecurityTableModel


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
class Risk:
    """The customer's risk as read: the summed weight of open alerts, and the revision that every
    change of it moves (0: never changed)."""

    open_weight: int
    open_alerts: int
    revision: int


class AlertsByStatus(LocalSecondaryIndex["AlertRecord"]):
    class Meta:
        index_name = "alertsByStatus"
        projection = AllProjection()

    pk = UnicodeAttribute(hash_key=True)
    status_sk = UnicodeAttribute(range_key=True, attr_name="statusSk")


class AlertRecord(SecurityTableModel):
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


class AlertRefRecord(SecurityTableModel):
    alert_sk = UnicodeAttribute()
