"""An alert as the API shows it, its reason rendered in the reader's language."""

from __future__ import annotations

from customer_id.i18n import Language, text
from customer_id.security.alerts.models import Alert
from customer_id.security.schemas.alerts import AlertOutput


def _render_reason(reason: str, language: Language) -> str:
    key, _, query = reason.partition("?")
    params = dict(pair.split("=", 1) for pair in query.split("&") if pair)
    return text(key, language, **params)


def alert_output(alert: Alert, language: Language) -> AlertOutput:
    return AlertOutput(
        alert_id=alert.alert_id,
        type=alert.type,
        severity=alert.severity,
        reason=_render_reason(alert.reason, language),
        status=alert.status,
        created_at=alert.created_at,
        resolved_at=alert.resolved_at,
    )
