"""POST /customers/{customerId}/security/events: log a security event and queue its scoring."""

from __future__ import annotations

from datetime import timedelta

from customer_id import clock, db, operations, queues
from customer_id.errors import FieldError, InvalidInput
from customer_id.profile.service import require_profile
from customer_id.security.events import repository
from customer_id.security.events.models import SecurityEvent
from customer_id.security.schemas.event_input import SecurityEventAccepted, SecurityEventInput

CLOCK_SKEW = timedelta(minutes=5)


def record_event(customer_id: str, data: SecurityEventInput) -> SecurityEventAccepted:
    """Logged now (the log shows it at once) with its fraud signal queued, in one unit of work; the
    event id derives from the operation."""
    require_profile(customer_id)
    now = clock.now()
    occurred_at = data.occurred_at.astimezone(now.tzinfo) if data.occurred_at else now
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput(
            "occurred_in_future", errors=[FieldError("occurredAt", "must not be in the future")]
        )
    event = SecurityEvent(
        event_id=operations.derive("security-event"),
        type=data.type,
        ip_address=str(data.ip_address),
        device_id=data.device_id,
        country=data.country,
        user_agent=data.user_agent,
        occurred_at=occurred_at,
    )

    def attempt(work: db.UnitOfWork) -> SecurityEventAccepted:
        repository.record_event(work, customer_id, event)
        queues.signal_fraud(
            work,
            f"security_event:{event.event_id}",
            "security_event",
            customer_id,
            occurred_at,
            eventId=event.event_id,
            type=event.type,
            ipAddress=event.ip_address,
            deviceId=event.device_id,
            country=event.country,
        )
        return SecurityEventAccepted(event_id=event.event_id, status="queued")

    return operations.retry(attempt, answer=SecurityEventAccepted)
