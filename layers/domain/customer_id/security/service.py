"""Security rules: alerts raise the customer's risk by their weight, a critical risk puts a
redemption hold; customers and staff resolve alerts (only staff lift a hold); reports raise alerts;
the event log; the device and IP overlap check that referrals use.

One fact, one alert: an alert's id derives from the fact it is about and its type
(`alert_id_for`), whatever path reports the fact (the scorer or a feature's own rule). The alert,
the risk it adds, the hold when the risk becomes critical and the notifications are one unit of
work (`stage_alert`): all of them are stored, and the notifications queued, or none. Every change
of the risk is conditioned on the risk as read (`RiskMoved`: read again and decide again), so the
hold is decided on the risk that is committed."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

from customer_id import clock, db, operations, pagination, queues
from customer_id.auth import Caller
from customer_id.errors import Conflict, FieldError, InvalidInput, NotFound
from customer_id.i18n import Language, text
from customer_id.loyalty import repository as loyalty_repository
from customer_id.loyalty.ledger import require_account
from customer_id.profile.service import require_profile
from customer_id.security import repository
from customer_id.security.models import Alert, SecurityEvent
from customer_id.security.repository import RiskMoved as RiskMoved  # for callers' `retry_on`
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


def alert_id_for(fact: str, alert_type: str) -> str:
    """Deterministic per fact (a referral, a purchase, a report, a window rule's run) and type:
    raising it twice stores it once, whichever path raises it."""
    return hashlib.sha256(f"{fact}|{alert_type}".encode()).hexdigest()[:24]


def stage_alert(
    work: db.UnitOfWork, customer_id: str, alert_type: str, weight: int, fact: str, **params: object
) -> Alert | None:
    """Add to `work` the open alert of `fact`, its weight added to the customer's risk, its
    notification, and, when the risk becomes critical, the redemption hold and its notification.
    None, and nothing added, when the alert of this fact exists already. The commit fails with
    `RiskMoved` when what this read moved meanwhile: pass it in `retry_on`."""
    alert_id = alert_id_for(fact, alert_type)
    if repository.alert(customer_id, alert_id) is not None:
        return None
    risk = repository.risk(customer_id)
    now = clock.now()
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
    repository.raise_alert(work, alert, risk)
    queues.notify(
        work,
        f"alert:{alert_id}",
        customer_id,
        "security",
        "security_alert",
        alertType=alert_type,
        severity=alert.severity,
    )
    if risk.open_weight + weight >= CRITICAL:
        _stage_hold(work, customer_id, f"alert:{alert_id}")
    return alert


def _reason_key(alert_type: str, params: dict[str, object]) -> str:
    # stored as the catalogue key and its parameters, rendered in the reader's language
    values = "&".join(f"{key}={value}" for key, value in sorted(params.items()))
    return f"alert.{alert_type}?{values}" if values else f"alert.{alert_type}"


def _render_reason(reason: str, language: Language) -> str:
    key, _, query = reason.partition("?")
    params = dict(pair.split("=", 1) for pair in query.split("&") if pair)
    return text(key, language, **params)


def _stage_hold(work: db.UnitOfWork, customer_id: str, origin: str) -> None:
    """Put the redemption hold, and tell the customer, unless it is on already (or there is no
    loyalty account to hold)."""
    account = loyalty_repository.get_account(customer_id)
    if account is None or account.redemption_hold:
        return
    loyalty_repository.stage_redemption_hold(work, customer_id, True, moved=RiskMoved())
    queues.notify(work, f"hold:{origin}", customer_id, "security", "redemption_hold")


def _stage_lift(work: db.UnitOfWork, customer_id: str) -> None:
    account = loyalty_repository.get_account(customer_id)
    if account is not None and account.redemption_hold:
        loyalty_repository.stage_redemption_hold(work, customer_id, False, moved=RiskMoved())


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
    """`fraud` puts a redemption hold; `legitimate` resolves the alert, and only staff's lifts a
    hold. The resolution, its effect on the risk, the hold and its notification are one unit of
    work, done once per operation (`Idempotency-Key`). A customer's own `legitimate` on a window
    rule's alert is remembered: the rule's next trip while its activity goes on counts this
    alert's weight again (`fraud.py`)."""
    require_profile(customer_id)
    resolved_by = "staff" if caller.is_staff else "customer"

    def attempt(work: db.UnitOfWork) -> AlertOutput:
        alert = repository.alert(customer_id, alert_id)
        if alert is None:
            raise NotFound("alert_not_found", alertId=alert_id)
        if alert.status != "open":
            raise Conflict("alert_already_resolved")
        now = clock.now()
        repository.resolve_alert(work, alert, resolution, resolved_by, now, repository.risk(customer_id))
        if resolution == "fraud":
            _stage_hold(work, customer_id, f"resolution:{alert_id}")
        elif caller.is_staff:
            _stage_lift(work, customer_id)
        resolved = replace(
            alert, status="resolved", resolved_at=now, resolution=resolution, resolved_by=resolved_by
        )
        return _alert_output(resolved, language)

    return operations.retry(attempt, answer=AlertOutput, retry_on=(RiskMoved,), attempts=10)


def report(customer_id: str, data: ReportInput, language: Language) -> AlertOutput:
    """The report's alert, once per operation: its fact derives from the operation."""
    require_profile(customer_id)
    fact = f"report:{operations.derive('report')}"
    alert_type = f"customer_report_{data.category}"

    def attempt(work: db.UnitOfWork) -> AlertOutput:
        alert = stage_alert(work, customer_id, alert_type, REPORT_WEIGHTS[data.category], fact)
        if alert is None:  # stored by an execution that lost its answer: answer with it
            alert = repository.alert(customer_id, alert_id_for(fact, alert_type))
            assert alert is not None
        return _alert_output(alert, language)

    return operations.retry(attempt, answer=AlertOutput, retry_on=(RiskMoved,), attempts=10)


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
