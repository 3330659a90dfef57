"""Fraud scoring: each signal from the fraud queue is checked against the rules below; a rule that
fires raises an alert of its weight (the risk score is the summed weight of open alerts, at most
100; at 85 the account's redemptions are put on hold). Windows are kept in DynamoDB, never in
memory; every alert's id derives from the signal's message id, so a signal scored twice changes
nothing.

| rule                       | fires when                                                        | weight |
| redemption_burst           | more than 5 redemptions within 10 minutes                         | 50     |
| large_purchase             | a purchase over 1 000 and over 5x the customer's average order    | 35     |
| new_device_foreign_country | a new device, another country, within 1 h of the last login       | 50     |
| failed_logins              | 5 failed logins within 15 minutes (the 5th raises it)             | 30     |
| referral_shared_device     | referee and referrer share a device id or IP (last 90 days)       | 45     |
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from customer_id import clock
from customer_id.queues import FraudSignal
from customer_id.security import repository
from customer_id.security.service import raise_alert, shares_device_or_ip

WEIGHTS = {
    "redemption_burst": 50,
    "large_purchase": 35,
    "new_device_foreign_country": 50,
    "failed_logins": 30,
    "referral_shared_device": 45,
}
REDEMPTION_WINDOW = timedelta(minutes=10)
MAX_REDEMPTIONS = 5
FAILED_LOGIN_WINDOW = timedelta(minutes=15)
FAILED_LOGINS = 5
LARGE_PURCHASE = Decimal(1000)
LARGE_PURCHASE_FACTOR = 5
TRAVEL_WINDOW = timedelta(hours=1)
REFERRAL_LOOKBACK = timedelta(days=90)


def score(signal: FraudSignal) -> list[str]:
    """Apply the rules to one signal; the alert types it raised."""
    rule = _RULES.get(signal.kind)
    return rule(signal) if rule else []


def _alert(signal: FraudSignal, customer_id: str, alert_type: str, **params: object) -> list[str]:
    raised = raise_alert(
        customer_id, alert_type, WEIGHTS[alert_type], f"signal:{signal.message_id}", **params
    )
    return [alert_type] if raised else []


def _redemption(signal: FraudSignal) -> list[str]:
    at = signal.occurred_at
    repository.add_to_window(signal.customer_id, "redemption", at, signal.message_id, keep_seconds=3600)
    count = repository.window_count(signal.customer_id, "redemption", at - REDEMPTION_WINDOW, at)
    if count > MAX_REDEMPTIONS:
        return _alert(signal, signal.customer_id, "redemption_burst", count=count)
    return []


def _purchase(signal: FraudSignal) -> list[str]:
    # the average is the one before this purchase, taken when it was recorded: scoring is
    # asynchronous, and the aggregates may already include later purchases
    amount = Decimal(str(signal.data["amount"]))
    average = signal.data.get("averageBefore")
    if amount <= LARGE_PURCHASE or average is None:
        return []
    if amount > LARGE_PURCHASE_FACTOR * Decimal(str(average)):
        return _alert(signal, signal.customer_id, "large_purchase", amount=f"{amount:.2f}")
    return []


def _security_event(signal: FraudSignal) -> list[str]:
    data: dict[str, Any] = signal.data
    at: datetime = signal.occurred_at
    customer_id = signal.customer_id
    if data["type"] == "login_failed":
        repository.add_to_window(customer_id, "login_failed", at, signal.message_id, keep_seconds=3600)
        if (
            repository.window_count(customer_id, "login_failed", at - FAILED_LOGIN_WINDOW, at)
            == FAILED_LOGINS
        ):
            return _alert(signal, customer_id, "failed_logins", count=FAILED_LOGINS)
        return []
    if data["type"] not in ("login", "device_added"):
        return []
    previous = repository.last_login(customer_id)
    is_new_device = repository.remember_device(customer_id, data["deviceId"], at)
    raised: list[str] = []
    if (
        is_new_device
        and previous is not None
        and previous.country != data["country"]
        and timedelta(0) <= at - previous.at <= TRAVEL_WINDOW
    ):
        raised = _alert(signal, customer_id, "new_device_foreign_country", country=data["country"])
    if data["type"] == "login":
        repository.set_last_login(customer_id, at, data["country"], data["deviceId"])
    return raised


def _referral(signal: FraudSignal) -> list[str]:
    referrer = str(signal.data["referrerId"])
    if shares_device_or_ip(signal.customer_id, referrer, clock.now() - REFERRAL_LOOKBACK):
        return _alert(signal, referrer, "referral_shared_device")
    return []


_RULES = {
    "redemption": _redemption,
    "purchase": _purchase,
    "security_event": _security_event,
    "referral": _referral,
}
