"""Raising an alert, the core that the scorer, reports and other features (referrals) call: alerts
raise the customer's risk by their weight, a critical risk puts a redemption hold.

One fact, one alert: an alert's id derives from the fact it is about and its type
(`alert_id_for`), whatever path reports the fact (the scorer or a feature's own rule). The alert,
the risk it adds, the hold when the risk becomes critical and the notifications are one unit of
work (`stage_alert`): all of them are stored, and the notifications queued, or none. Every change
of the risk is conditioned on the risk as read (`RiskMoved`: read again and decide again), so the
hold is decided on the risk that is committed."""

from __future__ import annotations

import hashlib

from customer_id import clock, db, queues
from customer_id.loyalty import account as loyalty_account
from customer_id.security.alerts import repository
from customer_id.security.alerts.models import Alert
from customer_id.security.alerts.repository import RiskMoved as RiskMoved  # for callers' `retry_on`
from customer_id.security.levels import CRITICAL, severity_of


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
        stage_hold(work, customer_id, f"alert:{alert_id}")
    return alert


def _reason_key(alert_type: str, params: dict[str, object]) -> str:
    # stored as the catalogue key and its parameters, rendered in the reader's language
    values = "&".join(f"{key}={value}" for key, value in sorted(params.items()))
    return f"alert.{alert_type}?{values}" if values else f"alert.{alert_type}"


def stage_hold(work: db.UnitOfWork, customer_id: str, origin: str) -> None:
    """Put the redemption hold, and tell the customer, unless it is on already (or there is no
    loyalty account to hold)."""
    account = loyalty_account.get_account(customer_id)
    if account is None or account.redemption_hold:
        return
    loyalty_account.stage_redemption_hold(work, customer_id, True, moved=RiskMoved())
    queues.notify(work, f"hold:{origin}", customer_id, "security", "redemption_hold")


def stage_lift(work: db.UnitOfWork, customer_id: str) -> None:
    account = loyalty_account.get_account(customer_id)
    if account is not None and account.redemption_hold:
        loyalty_account.stage_redemption_hold(work, customer_id, False, moved=RiskMoved())
