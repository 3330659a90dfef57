"""The security table: the only code that reads or writes security records. Multi-item writes join
the caller's `db.UnitOfWork`, each condition naming what its failure means; single-item conditional
writes catch their failure here and say what it meant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from customer_id import clock, db
from customer_id.db import customer_key
from customer_id.errors import Conflict
from customer_id.security.models import (
    Alert,
    AlertRecord,
    AlertRefRecord,
    DeviceRecord,
    LastLoginRecord,
    Latch,
    LatchRecord,
    Period,
    PeriodAttribute,
    Risk,
    SecurityEvent,
    SecurityEventRecord,
    SecurityStateRecord,
    WindowRecord,
)

STATE_SK = "SECURITY"


class RiskMoved(Exception):
    """What an alert or a resolution was decided from moved since it was read (the customer's risk,
    the alert's reference, a window rule's latch, a device, the hold): read again and decide again."""


class TwoFactorMoved(Exception):
    """The two-factor state or its last used time step moved since it was read."""


def _conditional_failure(error: PutError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"


def state(customer_id: str) -> SecurityStateRecord:
    try:
        return SecurityStateRecord.get(customer_key(customer_id), STATE_SK, consistent_read=True)
    except DoesNotExist:
        return SecurityStateRecord(pk=customer_key(customer_id), sk=STATE_SK)


# ---- alerts ----------------------------------------------------------------------------------


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


# ---- events, devices, logins -----------------------------------------------------------------


def record_event(work: db.UnitOfWork, customer_id: str, event: SecurityEvent) -> None:
    work.put(
        SecurityEventRecord(
            pk=customer_key(customer_id),
            sk=f"EVENT#{clock.iso(event.occurred_at)}#{event.event_id}",
            event_id=event.event_id,
            type=event.type,
            ip_address=event.ip_address,
            device_id=event.device_id,
            country=event.country,
            user_agent=event.user_agent,
            occurred_at=event.occurred_at,
        )
    )


def _event(record: SecurityEventRecord) -> SecurityEvent:
    return SecurityEvent(
        event_id=record.event_id,
        type=record.type,
        ip_address=record.ip_address,
        device_id=record.device_id,
        country=record.country,
        user_agent=record.user_agent,
        occurred_at=record.occurred_at,
    )


def events_page(
    customer_id: str, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[SecurityEvent], dict[str, Any] | None]:
    records, next_key = db.page(
        SecurityEventRecord.query,
        customer_key(customer_id),
        SecurityEventRecord.sk.startswith("EVENT#"),
        limit,
        start_key,
        ("pk", "sk"),
    )
    return [_event(record) for record in records], next_key


def events_since(customer_id: str, since: datetime) -> list[SecurityEvent]:
    return [
        _event(record)
        for record in SecurityEventRecord.query(
            customer_key(customer_id), SecurityEventRecord.sk.between(f"EVENT#{clock.iso(since)}", "EVENT$")
        )
    ]


def knows_device(customer_id: str, device_id: str) -> bool:
    try:
        DeviceRecord.get(customer_key(customer_id), f"DEVICE#{device_id}", consistent_read=True)
    except DoesNotExist:
        return False
    return True


def remember_device(work: db.UnitOfWork, customer_id: str, device_id: str, at: datetime) -> None:
    """Record a device read as new; `RiskMoved` when another signal recorded it meanwhile."""
    work.put(
        DeviceRecord(pk=customer_key(customer_id), sk=f"DEVICE#{device_id}", first_seen_at=at),
        DeviceRecord.sk.does_not_exist(),
        fails_with=RiskMoved(),
    )


def last_login(customer_id: str) -> LastLoginRecord | None:
    try:
        return LastLoginRecord.get(customer_key(customer_id), "LAST_LOGIN", consistent_read=True)
    except DoesNotExist:
        return None


def set_last_login(customer_id: str, at: datetime, country: str, device_id: str) -> None:
    """Keeps the latest login: an older one arriving late changes nothing."""
    try:
        LastLoginRecord(
            pk=customer_key(customer_id), sk="LAST_LOGIN", at=at, country=country, device_id=device_id
        ).save(condition=LastLoginRecord.sk.does_not_exist() | (LastLoginRecord.at < at))
    except PutError as error:
        if not _conditional_failure(error):
            raise


# ---- sliding windows -------------------------------------------------------------------------


def add_to_window(customer_id: str, kind: str, at: datetime, message_id: str, keep_seconds: int) -> None:
    WindowRecord(
        pk=customer_key(customer_id),
        sk=f"WINDOW#{kind}#{clock.iso(at)}#{message_id}",
        at=at,
        expires_at=int(at.timestamp()) + keep_seconds,
    ).save()


def window(customer_id: str, kind: str, since: datetime, until: datetime) -> list[tuple[datetime, str]]:
    """The entries from `since` to `until` (both included), as (time, message id), in time order."""
    return [
        (record.at, record.sk.rsplit("#", 1)[1])
        for record in WindowRecord.query(
            customer_key(customer_id),
            WindowRecord.sk.between(
                f"WINDOW#{kind}#{clock.iso(since)}", f"WINDOW#{kind}#{clock.iso(until)}#\uffff"
            ),
            consistent_read=True,
        )
    ]


def latch(customer_id: str, alert_type: str) -> Latch:
    try:
        record = LatchRecord.get(customer_key(customer_id), f"LATCH#{alert_type}", consistent_read=True)
    except DoesNotExist:
        return Latch(customer_id, alert_type, (), 0)
    periods = tuple(Period(period.start, period.end, period.alert_id) for period in record.periods)
    return Latch(customer_id, alert_type, periods, int(record.revision))


def save_latch(work: db.UnitOfWork, latch: Latch, periods: list[Period]) -> None:
    """Replace the latch's periods, if it is still as read (else `RiskMoved`)."""
    record = LatchRecord(
        pk=customer_key(latch.customer_id),
        sk=f"LATCH#{latch.alert_type}",
        revision=latch.revision + 1,
        periods=[
            PeriodAttribute(start=period.start, end=period.end, alert_id=period.alert_id)
            for period in periods
        ],
    )
    unchanged = (
        LatchRecord.sk.does_not_exist() if latch.revision == 0 else LatchRecord.revision == latch.revision
    )
    work.put(record, unchanged, fails_with=RiskMoved())


# ---- two-factor ------------------------------------------------------------------------------


def set_pending_secret(customer_id: str, secret: str) -> None:
    SecurityStateRecord(pk=customer_key(customer_id), sk=STATE_SK).update(
        actions=[SecurityStateRecord.pending_totp_secret.set(secret)]
    )


def switch_two_factor(work: db.UnitOfWork, customer_id: str, enabled: bool, secret: str, step: int) -> None:
    """Turn 2FA on (with the verified pending `secret`) or off, recording the time step the code used
    so that it is not accepted again; `TwoFactorMoved` when the state or the step moved meanwhile."""
    condition = SecurityStateRecord.totp_last_step.does_not_exist() | (
        SecurityStateRecord.totp_last_step < step
    )
    actions: list[Action]
    if enabled:
        condition &= SecurityStateRecord.pending_totp_secret == secret
        actions = [
            SecurityStateRecord.two_factor_enabled.set(True),
            SecurityStateRecord.totp_secret.set(secret),
            SecurityStateRecord.pending_totp_secret.remove(),
            SecurityStateRecord.totp_last_step.set(step),
        ]
    else:
        condition &= SecurityStateRecord.two_factor_enabled == True  # noqa: E712 - a DynamoDB condition
        actions = [
            SecurityStateRecord.two_factor_enabled.set(False),
            SecurityStateRecord.totp_secret.remove(),
            SecurityStateRecord.totp_last_step.set(step),
        ]
    work.update(
        SecurityStateRecord(pk=customer_key(customer_id), sk=STATE_SK),
        actions,
        condition,
        fails_with=TwoFactorMoved(),
    )
