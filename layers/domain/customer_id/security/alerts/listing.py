"""GET /customers/{customerId}/security/alerts: newest first, paginated, by status."""

from __future__ import annotations

from customer_id import pagination
from customer_id.i18n import Language
from customer_id.profile.service import require_profile
from customer_id.security.alerts import repository
from customer_id.security.alerts.output import alert_output
from customer_id.security.schemas.alert_list import AlertPage


def list_alerts(
    customer_id: str, status: str | None, limit: int, cursor: str | None, language: Language
) -> AlertPage:
    scope = f"security.alerts|{customer_id}|{status or '*'}"
    alerts, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.alerts_page(customer_id, status, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return AlertPage(items=[alert_output(alert, language) for alert in alerts], next_cursor=next_cursor)
