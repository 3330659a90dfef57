"""The fraud rules' records (devices, the last login, sliding windows, latches): the only code that
reads or writes them. Multi-item writes join the caller's `db.UnitOfWork`, each condition naming
what its failure means; single-item conditional writes catch their failure here and say what it
meant."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from customer_id import clock, db
from customer_id.db import customer_key
from customer_id.security.alerts.repository import RiskMoved
from customer_id.security.fraud.models import (
    DeviceRecord,
    LastLoginRecord,
    Latch,
    LatchRecord,
    Period,
    PeriodAttribute,
    WindowRecord,
)


def _conditional_failure(error: PutError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"


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
