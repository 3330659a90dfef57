"""Alerts and the risk they add up to: the only code that writes alert records and the risk on the
security state record. Multi-item writes join the caller's `db.UnitOfWork`, each condition naming
what its failure means."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition

from customer_id import clock, db
from customer_id.db import customer_key
from customer_id.errors import Conflict
from customer_id.security.alerts.models import Alert, AlertRecord, AlertRefRecord, Risk
from customer_id.security.models import SecurityStateRecord
from customer_id.security.repository import STATE_SK, state


class RiskMoved(Exception):
    """What an alert or a resolution was decided from moved since it was read (the customer's risk,
    the alert's reference, a window rule's latch, a device, the hold): read again and decide again."""


def _alert(customer_id: str, record: AlertRecord) -> Alert:
    return Alert(
        alert_id=record.alert_id,
        customer_id=customer_id,
        type=record.type,
        severity=record.severity,
        reason=record.reason,
        weight=int(record.weight),
        status=record.status,
        created_at=record.created_at,
        resolved_at=record.resolved_at,
        resolution=record.resolution,
        sk=record.sk,
        resolved_by=record.resolved_by,
    )


def risk(customer_id: str) -> Risk:
    record = state(customer_id)
    return Risk(
        open_weight=int(record.open_weight or 0),
        open_alerts=int(record.open_alerts or 0),
        revision=int(record.risk_revision or 0),
    )


def _risk_unchanged(risk: Risk) -> Condition:
    if risk.revision == 0:
        return SecurityStateRecord.risk_revision.does_not_exist()
    return SecurityStateRecord.risk_revision == risk.revision


def raise_alert(work: db.UnitOfWork, alert: Alert, risk: Risk) -> None:
    """Store an open alert and add its weight to the customer's risk as read (`risk`); `RiskMoved`
    when the alert was stored meanwhile or the risk moved."""
    customer = customer_key(alert.customer_id)
    record = AlertRecord(
        pk=customer,
        sk=alert.sk,
        status_sk=f"open#{clock.iso(alert.created_at)}#{alert.alert_id}",
        alert_id=alert.alert_id,
        type=alert.type,
        severity=alert.severity,
        reason=alert.reason,
        weight=alert.weight,
        status="open",
        created_at=alert.created_at,
    )
    work.put(
        AlertRefRecord(pk=customer, sk=f"ALERTREF#{alert.alert_id}", alert_sk=alert.sk),
        AlertRefRecord.sk.does_not_exist(),
        fails_with=RiskMoved(),
    )
    work.put(record, AlertRecord.sk.does_not_exist())  # written with its reference: never fails alone
    work.update(
        SecurityStateRecord(pk=customer, sk=STATE_SK),
        [
            SecurityStateRecord.open_alerts.set(risk.open_alerts + 1),
            SecurityStateRecord.open_weight.set(risk.open_weight + alert.weight),
            SecurityStateRecord.risk_revision.set(risk.revision + 1),
            SecurityStateRecord.last_evaluated_at.set(alert.created_at),
        ],
        _risk_unchanged(risk),
        fails_with=RiskMoved(),
    )


def resolve_alert(
    work: db.UnitOfWork, alert: Alert, resolution: str, resolved_by: str, at: datetime, risk: Risk
) -> None:
    """open -> resolved, once (else 409 `alert_already_resolved`); its weight leaves the risk as
    read (`RiskMoved` when the risk moved meanwhile)."""
    customer = customer_key(alert.customer_id)
    work.update(
        AlertRecord(pk=customer, sk=alert.sk),
        [
            AlertRecord.status.set("resolved"),
            AlertRecord.status_sk.set(f"resolved#{clock.iso(alert.created_at)}#{alert.alert_id}"),
            AlertRecord.resolved_at.set(at),
            AlertRecord.resolution.set(resolution),
            AlertRecord.resolved_by.set(resolved_by),
        ],
        AlertRecord.status == "open",
        fails_with=Conflict("alert_already_resolved"),
    )
    work.update(
        SecurityStateRecord(pk=customer, sk=STATE_SK),
        [
            SecurityStateRecord.open_alerts.set(max(0, risk.open_alerts - 1)),
            SecurityStateRecord.open_weight.set(max(0, risk.open_weight - alert.weight)),
            SecurityStateRecord.risk_revision.set(risk.revision + 1),
            SecurityStateRecord.last_evaluated_at.set(at),
        ],
        _risk_unchanged(risk),
        fails_with=RiskMoved(),
    )


def alert(customer_id: str, alert_id: str) -> Alert | None:
    customer = customer_key(customer_id)
    try:
        reference = AlertRefRecord.get(customer, f"ALERTREF#{alert_id}", consistent_read=True)
        return _alert(customer_id, AlertRecord.get(customer, reference.alert_sk, consistent_read=True))
    except DoesNotExist:
        return None


def alerts_page(
    customer_id: str, status: str | None, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[Alert], dict[str, Any] | None]:
    customer = customer_key(customer_id)
    if status is None:
        records, next_key = db.page(
            AlertRecord.query, customer, AlertRecord.sk.startswith("ALERT#"), limit, start_key, ("pk", "sk")
        )
    else:
        records, next_key = db.page(
            AlertRecord.by_status.query,
            customer,
            AlertRecord.status_sk.startswith(f"{status}#"),
            limit,
            start_key,
            ("pk", "sk", "statusSk"),
        )
    return [_alert(customer_id, record) for record in records], next_key
