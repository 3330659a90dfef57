"""Security rules: alerts raise the customer's risk by their weight, a critical risk puts a
redemption hold; customers and staff resolve alerts (only staff lift a hold); reports raise alerts;
the event log; the device and IP overlap check that referrals use."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from customer_id import clock, codes, db, pagination, queues
from customer_id.auth import Caller
from customer_id.errors import FieldError, InvalidInput, NotFound
from customer_id.i18n import Language, text
from customer_id.loyalty import repository as loyalty_repository
from customer_id.loyalty.service import require_account
from customer_id.profile.service import require_profile
from customer_id.security import repository
from customer_id.security.models import Alert, SecurityEvent
from customer_id.security.repository import AlertExists
from customer_id.security.schemas import (
    AlertOutput,
    AlertPage,
    ReportInput,
    SecurityEventAccepted,
    SecurityEventInput,
    SecurityEventOutput,
    SecurityEventPage,
    SecurityProfile,
)

CRITICAL = 85
CLOCK_SKEW = timedelta(minutes=5)
REPORT_WEIGHTS = {"account_takeover": 60, "unrecognized_transaction": 40, "phishing": 20, "other": 10}
SEVERITY_BY_WEIGHT = ((60, "critical"), (40, "high"), (25, "medium"), (0, "low"))


def risk_level(score: int) -> str:
    """low < 30 <= medium < 60 <= high < 85 <= critical."""
    if score >= CRITICAL:
        return "critical"
    if score >= 60:
        return "high"
    return "medium" if score >= 30 else "low"


def severity_of(weight: int) -> str:
    return next(severity for floor, severity in SEVERITY_BY_WEIGHT if weight >= floor)


def alert_id_for(origin: str, alert_type: str) -> str:
    """Deterministic per origin (a queue message, a report): raising it twice stores it once."""
    return hashlib.sha256(f"{origin}|{alert_type}".encode()).hexdigest()[:24]


def raise_alert(customer_id: str, alert_type: str, weight: int, origin: str, **params: object) -> bool:
    """Open an alert (once per origin), tell the customer, and put a redemption hold when the risk
    becomes critical. False when this origin had raised it already."""
    now = clock.now()
    alert_id = alert_id_for(origin, alert_type)
    alert = Alert(
        alert_id=alert_id,
        customer_id=customer_id,
        type=alert_type,
        severity=severity_of(weight),
        reason=_reason_key(alert_type, params),
        weight=weight,
        status="open",
        created_at=now,
        resolved_at=None,
        resolution=None,
        sk=f"ALERT#{clock.iso(now)}#{alert_id}",
    )
    try:
        db.retry(lambda work: repository.raise_alert(work, alert))
    except AlertExists:
        return False
    queues.notify(
        f"alert:{alert_id}",
        customer_id,
        "security",
        "security_alert",
        alertType=alert_type,
        severity=alert.severity,
    )
    if int(repository.state(customer_id).open_weight) >= CRITICAL:
        hold(customer_id, f"alert:{alert_id}")
    return True


def _reason_key(alert_type: str, params: dict[str, object]) -> str:
    # stored as the catalogue key and its parameters, rendered in the reader's language
    values = "&".join(f"{key}={value}" for key, value in sorted(params.items()))
    return f"alert.{alert_type}?{values}" if values else f"alert.{alert_type}"


def _render_reason(reason: str, language: Language) -> str:
    key, _, query = reason.partition("?")
    params = dict(pair.split("=", 1) for pair in query.split("&") if pair)
    return text(key, language, **params)


def hold(customer_id: str, origin: str) -> None:
    loyalty_repository.set_redemption_hold(customer_id, True)
    queues.notify(f"hold:{origin}", customer_id, "security", "redemption_hold")


def _alert_output(alert: Alert, language: Language) -> AlertOutput:
    return AlertOutput(
        alert_id=alert.alert_id,
        type=alert.type,
        severity=alert.severity,
        reason=_render_reason(alert.reason, language),
        status=alert.status,
        created_at=alert.created_at,
        resolved_at=alert.resolved_at,
    )


# ---- endpoints -------------------------------------------------------------------------------


def profile(customer_id: str, language: Language) -> SecurityProfile:
    require_profile(customer_id)
    state = repository.state(customer_id)
    account = require_account(customer_id)
    score = min(100, max(0, int(state.open_weight or 0)))
    open_alerts = int(state.open_alerts or 0)
    recommendations = []
    if not state.two_factor_enabled:
        recommendations.append(text("recommendation.enable_two_factor", language))
    if open_alerts:
        recommendations.append(text("recommendation.review_alerts", language, count=open_alerts))
    if account.redemption_hold:
        recommendations.append(text("recommendation.contact_support", language))
    if score >= 30:
        recommendations.append(text("recommendation.change_password", language))
    return SecurityProfile(
        risk_score=score,
        risk_level=risk_level(score),
        two_factor_enabled=bool(state.two_factor_enabled),
        redemption_hold=account.redemption_hold,
        open_alerts=open_alerts,
        last_evaluated_at=state.last_evaluated_at,
        recommendations=recommendations,
    )


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
    return AlertPage(items=[_alert_output(alert, language) for alert in alerts], next_cursor=next_cursor)


def resolve(
    customer_id: str, alert_id: str, resolution: str, caller: Caller, language: Language
) -> AlertOutput:
    """`fraud` puts a redemption hold; `legitimate` resolves the alert, and only staff's lifts a hold."""
    require_profile(customer_id)
    alert = repository.alert(customer_id, alert_id)
    if alert is None:
        raise NotFound("alert_not_found", alertId=alert_id)
    now = clock.now()
    db.retry(lambda work: repository.resolve_alert(work, alert, resolution, now))  # or 409 already resolved
    if resolution == "fraud":
        hold(customer_id, f"resolution:{alert_id}")
    elif caller.is_staff:
        loyalty_repository.set_redemption_hold(customer_id, False)
    resolved = repository.alert(customer_id, alert_id)
    assert resolved is not None
    return _alert_output(resolved, language)


def report(customer_id: str, data: ReportInput, language: Language) -> AlertOutput:
    require_profile(customer_id)
    origin = f"report:{codes.new_id()}"
    alert_type = f"customer_report_{data.category}"
    raise_alert(customer_id, alert_type, REPORT_WEIGHTS[data.category], origin)
    alert = repository.alert(customer_id, alert_id_for(origin, alert_type))
    assert alert is not None
    return _alert_output(alert, language)


def record_event(customer_id: str, data: SecurityEventInput) -> SecurityEventAccepted:
    """Logged now (the log shows it at once), then queued for scoring."""
    require_profile(customer_id)
    now = clock.now()
    occurred_at = data.occurred_at.astimezone(now.tzinfo) if data.occurred_at else now
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput(
            "occurred_in_future", errors=[FieldError("occurredAt", "must not be in the future")]
        )
    event = SecurityEvent(
        event_id=codes.new_id(),
        type=data.type,
        ip_address=str(data.ip_address),
        device_id=data.device_id,
        country=data.country,
        user_agent=data.user_agent,
        occurred_at=occurred_at,
    )
    repository.record_event(customer_id, event)
    queues.signal_fraud(
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


def shares_device_or_ip(first: str, second: str, since: datetime) -> bool:
    """Whether two customers' security events since `since` share a device id or an IP address."""
    events = repository.events_since(first, since)
    devices = {event.device_id for event in events}
    addresses = {event.ip_address for event in events}
    return any(
        event.device_id in devices or event.ip_address in addresses
        for event in repository.events_since(second, since)
    )
