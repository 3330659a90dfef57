"""Fraud scoring: each signal from the fraud queue is checked against the rules below; a rule that
fires raises an alert of its weight (the risk score is the summed weight of open alerts, at most
100; at 85 the account's redemptions are put on hold). Windows are kept in DynamoDB, never in
memory.

| rule                       | fires when                                                        | weight |
| redemption_burst           | more than 5 redemptions within 10 minutes (6 in any 10 minutes)   | 50 (*) |
| large_purchase             | a purchase over 1 000 and over 5x the customer's average order    | 35     |
| new_device_foreign_country | a new device, another country, within 1 h of the last login       | 50     |
| failed_logins              | 5 failed logins within 15 minutes (any 15 minutes)                | 30 (*) |
| referral_shared_device     | referee and referrer share a device id or IP (last 90 days)       | 45     |
| customer_report_<category> | the customer reports it (`POST .../security/reports`)             | 10-60  |
| return_abuse               | 2 full returns within 30 days, each of a purchase that raised the | 40 (*) |
|                            | tier, returned within 30 days of that purchase                    |        |

(*) plus the weight carried from the rule's previous alert, see "Resolving as legitimate".

One fact, one alert. An alert's id derives from the fact and the alert type only
(`alerts.staging.alert_id_for`): a purchase (`purchase:<id>`), a login (`security_event:<id>`), a referral
(`referral:<referralId>`, whether the scorer or the referral's qualification finds the shared
device first), a report (`report:<id derived from the operation>`), a window rule's run
(`window:<customer>:<rule>:<first event's time>`). The alert, the risk it adds, the hold when the
risk becomes critical and the notifications commit in one transaction (`alerts.staging.stage_alert`), so
a signal scored twice, at once or after a failure half way, stores one alert with its hold and
notifications.

Window rules trip on `>=`, out of order too. Each scored event adds itself to the rule's window,
then looks for a *run* around it: that many consecutive events (in time order) spanning at most
the window, the event among them, both ends included. Standard SQS does not keep order, so the
event that completes a run may be any of its events; whichever is scored last sees the whole run.
A run that overlaps a period the rule already alerted on is part of that burst and raises
nothing; otherwise it raises one alert and its period (first and last event) is recorded on the
rule's *latch* (`LATCH#<rule>`, one item per customer and rule, written with the alert on the
condition that it is unchanged since read). So a burst trips once however its events are ordered
or interleaved, and activity that goes on trips again only with a run of new events after the
alerted period.

Resolving as legitimate. A customer's own `legitimate` resolution of a window rule's alert takes
its weight off the score, but not off the rule: when the same rule trips again within its window
after the resolved alert's period (the activity went on), the new alert carries the resolved
alert's weight as well as its own (at most 100). So resolving each burst as it comes cannot keep
the score below critical: the next burst reaches it, and puts the hold. Staff's `legitimate`
(which also lifts a hold) and a `fraud` resolution (which puts one) carry nothing over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from customer_id import clock, db
from customer_id.queues import FraudSignal
from customer_id.security.alerts import repository as alerts
from customer_id.security.alerts.repository import RiskMoved
from customer_id.security.alerts.staging import stage_alert
from customer_id.security.events.repository import shares_device_or_ip
from customer_id.security.fraud import repository
from customer_id.security.fraud.models import Period

WEIGHTS = {
    "redemption_burst": 50,
    "large_purchase": 35,
    "new_device_foreign_country": 50,
    "failed_logins": 30,
    "referral_shared_device": 45,
    "return_abuse": 40,
}
MAX_WEIGHT = 100
REDEMPTION_WINDOW = timedelta(minutes=10)
MAX_REDEMPTIONS = 5
FAILED_LOGIN_WINDOW = timedelta(minutes=15)
FAILED_LOGINS = 5
LARGE_PURCHASE = Decimal(1000)
LARGE_PURCHASE_FACTOR = 5
TRAVEL_WINDOW = timedelta(hours=1)
REFERRAL_LOOKBACK = timedelta(days=90)
RETURN_WINDOW = timedelta(days=30)  # return abuse: full returns of tier-raising purchases
TIER_RETURNS = 2
WINDOW_KEEP_SECONDS = 3600  # window entries expire (TTL) an hour after the event
LATCH_KEEP = timedelta(days=1)  # alerted periods are forgotten a day after they ended
ATTEMPTS = 10


@dataclass(frozen=True)
class WindowRule:
    alert_type: str
    kind: str  # the window's entries
    span: timedelta
    events: int  # this many within `span` (both ends included) trip it

    def keep_seconds(self) -> int:
        """How long a window entry is kept (TTL): an hour, or the span if that is longer."""
        return max(WINDOW_KEEP_SECONDS, int(self.span.total_seconds()))

    def latch_keep(self) -> timedelta:
        """How long an alerted period is remembered after it ended: a day, or the span if longer."""
        return max(LATCH_KEEP, self.span)


REDEMPTION_BURST = WindowRule("redemption_burst", "redemption", REDEMPTION_WINDOW, MAX_REDEMPTIONS + 1)
FAILED_LOGIN_RUN = WindowRule("failed_logins", "login_failed", FAILED_LOGIN_WINDOW, FAILED_LOGINS)
TIER_RETURN_RUN = WindowRule("return_abuse", "tier_return", RETURN_WINDOW, TIER_RETURNS)


def score(signal: FraudSignal) -> list[str]:
    """Apply the rules to one signal; the alert types it raised."""
    rule = _RULES.get(signal.kind)
    return rule(signal) if rule else []


def _raise(customer_id: str, alert_type: str, fact: str, **params: object) -> list[str]:
    def attempt(work: db.UnitOfWork) -> bool:
        return stage_alert(work, customer_id, alert_type, WEIGHTS[alert_type], fact, **params) is not None

    return [alert_type] if db.retry(attempt, retry_on=(RiskMoved,), attempts=ATTEMPTS) else []


# ---- window rules -----------------------------------------------------------------------------


def _window_rule(rule: WindowRule, signal: FraudSignal, customer_id: str) -> list[str]:
    at = signal.occurred_at
    repository.add_to_window(customer_id, rule.kind, at, signal.message_id, keep_seconds=rule.keep_seconds())

    def attempt(work: db.UnitOfWork) -> bool:
        events = sorted(repository.window(customer_id, rule.kind, at - rule.span, at + rule.span))
        latch = repository.latch(customer_id, rule.alert_type)
        run = _uncovered_run(rule, events, signal.message_id, latch.periods)
        if run is None:
            return False
        start, end = run
        weight = min(MAX_WEIGHT, WEIGHTS[rule.alert_type] + _carried(customer_id, rule, latch.periods, start))
        fact = f"window:{customer_id}:{rule.alert_type}:{clock.iso(start)}"
        alert = stage_alert(work, customer_id, rule.alert_type, weight, fact, count=rule.events)
        if alert is None:  # its period was forgotten (LATCH_KEEP): it was alerted on all the same
            return False
        kept = [period for period in latch.periods if period.end >= clock.now() - rule.latch_keep()]
        repository.save_latch(work, latch, [*kept, Period(start, end, alert.alert_id)])
        return True

    return [rule.alert_type] if db.retry(attempt, retry_on=(RiskMoved,), attempts=ATTEMPTS) else []


def _uncovered_run(
    rule: WindowRule, events: list[tuple[datetime, str]], message_id: str, periods: tuple[Period, ...]
) -> tuple[datetime, datetime] | None:
    """The earliest run of `rule.events` consecutive events within `rule.span` that holds this
    event and overlaps no alerted period: its first and last event's times."""
    ids = [event_id for _, event_id in events]
    if message_id not in ids:
        return None
    me = ids.index(message_id)
    for first in range(max(0, me - rule.events + 1), min(me, len(events) - rule.events) + 1):
        start, end = events[first][0], events[first + rule.events - 1][0]
        if end - start > rule.span:
            continue
        if any(period.start <= end and start <= period.end for period in periods):
            continue
        return start, end
    return None


def _carried(customer_id: str, rule: WindowRule, periods: tuple[Period, ...], start: datetime) -> int:
    """The weight of the rule's previous alert, if the customer resolved it as legitimate and its
    period ended within the window before this run (the activity went on)."""
    before = [period for period in periods if period.end < start and start - period.end <= rule.span]
    if not before:
        return 0
    previous = alerts.alert(customer_id, max(before, key=lambda period: period.end).alert_id)
    if (
        previous is not None
        and previous.status == "resolved"
        and previous.resolution == "legitimate"
        and previous.resolved_by == "customer"
    ):
        return previous.weight
    return 0


# ---- the rules --------------------------------------------------------------------------------


def _redemption(signal: FraudSignal) -> list[str]:
    return _window_rule(REDEMPTION_BURST, signal, signal.customer_id)


def _purchase(signal: FraudSignal) -> list[str]:
    # the average is the one before this purchase, taken when it was recorded: scoring is
    # asynchronous, and the aggregates may already include later purchases
    amount = Decimal(str(signal.data["amount"]))
    average = signal.data.get("averageBefore")
    if amount <= LARGE_PURCHASE or average is None:
        return []
    if amount > LARGE_PURCHASE_FACTOR * Decimal(str(average)):
        return _raise(signal.customer_id, "large_purchase", signal.message_id, amount=f"{amount:.2f}")
    return []


def _security_event(signal: FraudSignal) -> list[str]:
    data: dict[str, Any] = signal.data
    at: datetime = signal.occurred_at
    customer_id = signal.customer_id
    if data["type"] == "login_failed":
        return _window_rule(FAILED_LOGIN_RUN, signal, customer_id)
    if data["type"] not in ("login", "device_added"):
        return []

    def attempt(work: db.UnitOfWork) -> bool:
        # the new device and its alert commit together: a signal scored again after a failure
        # finds the device still new
        if repository.knows_device(customer_id, data["deviceId"]):
            return False
        previous = repository.last_login(customer_id)
        repository.remember_device(work, customer_id, data["deviceId"], at)
        if (
            previous is not None
            and previous.country != data["country"]
            and timedelta(0) <= at - previous.at <= TRAVEL_WINDOW
        ):
            alert_type = "new_device_foreign_country"
            weight = WEIGHTS[alert_type]
            return (
                stage_alert(work, customer_id, alert_type, weight, signal.message_id, country=data["country"])
                is not None
            )
        return False

    raised = db.retry(attempt, retry_on=(RiskMoved,), attempts=ATTEMPTS)
    if data["type"] == "login":
        repository.set_last_login(customer_id, at, data["country"], data["deviceId"])
    return ["new_device_foreign_country"] if raised else []


def _return(signal: FraudSignal) -> list[str]:
    """Return abuse: a full return of a purchase that raised the tier, within `RETURN_WINDOW` of that
    purchase (benefits taken, then the order sent back), joins the rule's window; `TIER_RETURNS` of
    them within `RETURN_WINDOW` trip it. Other returns are scored by nothing yet."""
    data: dict[str, Any] = signal.data
    purchased_at = datetime.fromisoformat(str(data["purchaseOccurredAt"]))
    if not (data["fullReturn"] and data["liftedTier"]) or signal.occurred_at - purchased_at > RETURN_WINDOW:
        return []
    return _window_rule(TIER_RETURN_RUN, signal, signal.customer_id)


def _referral(signal: FraudSignal) -> list[str]:
    referrer = str(signal.data["referrerId"])
    if shares_device_or_ip(signal.customer_id, referrer, clock.now() - REFERRAL_LOOKBACK):
        # the fact is the referral, as the referral's qualification reports it: one alert
        return _raise(referrer, "referral_shared_device", f"referral:{signal.data['referralId']}")
    return []


_RULES = {
    "redemption": _redemption,
    "purchase": _purchase,
    "security_event": _security_event,
    "referral": _referral,
    "return": _return,
}
