"""GET /customers/{customerId}/security/events: the security event log, newest first, paginated."""

from __future__ import annotations

from customer_id import pagination
from customer_id.profile.service import require_profile
from customer_id.security.events import repository
from customer_id.security.schemas.events import SecurityEventOutput, SecurityEventPage


def list_events(customer_id: str, limit: int, cursor: str | None) -> SecurityEventPage:
    scope = f"security.events|{customer_id}"
    events, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.events_page(customer_id, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return SecurityEventPage(
        items=[
            SecurityEventOutput(
                event_id=event.event_id,
                type=event.type,
                ip_address=event.ip_address,
                device_id=event.device_id,
                country=event.country,
                created_at=event.occurred_at,
            )
            for event in events
        ],
        next_cursor=next_cursor,
    )
