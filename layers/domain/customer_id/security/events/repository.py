"""The security event log: the only code that reads or writes event records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from customer_id import clock, db
from customer_id.db import customer_key
from customer_id.security.events.models import SecurityEvent, SecurityEventRecord


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


def shares_device_or_ip(first: str, second: str, since: datetime) -> bool:
    """Whether two customers' security events since `since` share a device id or an IP address."""
    events = events_since(first, since)
    devices = {event.device_id for event in events}
    addresses = {event.ip_address for event in events}
    return any(
        event.device_id in devices or event.ip_address in addresses for event in events_since(second, since)
    )
