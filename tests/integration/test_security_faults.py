"""Fraud and security under faults (issue 13): one fact, one alert, with its hold and notifications
in the same transaction; window rules that trip once whatever order their events are scored in;
a customer's `legitimate` resolutions that cannot keep a burst below critical; and the security
routes done once per Idempotency-Key, whatever fails after their commit."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from customer_id import clock, db, queues
from local_stack.template import Template
from tests.harness import Reply, claims, deliver, invoke
from tests.integration.helpers import ADMIN, create_profile, problem, read
from tests.integration.support_helpers import AGENT, notifications
from tests.races import race

ME = "customer-faults"
REFERRER = "customer-faults-referrer"
NOTHING_FAILED: dict[str, list[Any]] = {"batchItemFailures": []}


@pytest.fixture(autouse=True)
def profile() -> None:
    create_profile(ME)


@pytest.fixture
def sent(aws: Template, relay: Any) -> Callable[[], list[str]]:
    """The notifications queued since the last call (relayed from the outbox): their templates."""

    def read_sent() -> list[str]:
        return sorted(message["template"] for message in notifications(relay))

    return read_sent


def _signal(message_id: str, kind: str, at: datetime, customer_id: str = ME, **data: Any) -> str:
    return json.dumps(
        {
            "messageId": message_id,
            "kind": kind,
            "customerId": customer_id,
            "occurredAt": clock.iso(at),
            "data": data,
        }
    )


def _score(body: str) -> Any:
    """The fraud scorer on a batch of one SQS record: its answer (the records that failed)."""
    return deliver("FraudScorerFunction", body)


def _fails(body: str) -> None:
    """The scorer fails on the signal (a batch of one: Powertools raises, and SQS redelivers it)."""
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    with pytest.raises(BatchProcessingError):
        _score(body)


def _large_purchase(name: str = "big") -> str:
    return _signal(f"purchase:{name}", "purchase", clock.now(), amount="9000.00", averageBefore="800.00")


def _failed_login(index: int, at: datetime) -> str:
    message_id = f"security_event:failed-{index}"
    return _signal(
        message_id,
        "security_event",
        at,
        type="login_failed",
        eventId=message_id,
        ipAddress="192.0.2.1",
        deviceId="phone-1",
        country="SA",
    )


def _redemption(index: int, at: datetime) -> str:
    return _signal(f"redemption:r-{index}", "redemption", at, redemptionId=f"r-{index}")


def _alerts(customer_id: str = ME, **query: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = read("ListSecurityAlertsFunction", customer_id, **query)["items"]
    return items


def _risk(customer_id: str = ME) -> tuple[int, int, bool]:
    security = read("GetSecurityProfileFunction", customer_id)
    return security["riskScore"], security["openAlerts"], security["redemptionHold"]


def _report(category: str = "account_takeover", key: str | None = None) -> Reply:
    options: dict[str, Any] = {} if key is None else {"idempotency_key": key}
    return invoke(
        "ReportSecurityIssueFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"category": category, "description": "Someone signed in from abroad"},
        **options,
    )


def _resolve(alert_id: str, resolution: str, caller: dict[str, str], key: str | None = None) -> Reply:
    options: dict[str, Any] = {} if key is None else {"idempotency_key": key}
    return invoke(
        "ResolveSecurityAlertFunction",
        path={"customerId": ME, "alertId": alert_id},
        caller=caller,
        body={"resolution": resolution},
        **options,
    )


@pytest.fixture
def dying_commit(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The next commit is stored, then the process dies (the answer is lost); later ones run."""
    real = db.UnitOfWork.commit
    died: list[str] = []

    def commit(self: db.UnitOfWork) -> None:
        real(self)
        if not died and len(self):
            died.append("died")
            raise RuntimeError("the process died right after the commit")

    monkeypatch.setattr(db.UnitOfWork, "commit", commit)
    return died


# ---- 1. one transaction: alert, risk, hold, notifications ------------------------------------


def test_a_signal_redelivered_after_notify_failed_yields_alert_hold_and_notifications(
    monkeypatch: pytest.MonkeyPatch, sent: Callable[[], list[str]]
) -> None:
    assert _report("account_takeover").status == 201  # 60
    assert sent() == ["security_alert"]

    def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the notification could not be queued")

    with monkeypatch.context() as patch:
        patch.setattr(queues, "notify", failing)
        _fails(_large_purchase())  # 35 more: critical
    assert (_risk(), len(_alerts()), sent()) == ((60, 1, False), 1, [])  # nothing half done
    assert _score(_large_purchase()) == NOTHING_FAILED  # SQS delivers it again
    assert _risk() == (95, 2, True)
    assert sorted(alert["type"] for alert in _alerts()) == [
        "customer_report_account_takeover",
        "large_purchase",
    ]
    assert sent() == ["redemption_hold", "security_alert"]
    assert _score(_large_purchase()) == NOTHING_FAILED  # and once more: nothing changes
    assert (_risk(), sent()) == ((95, 2, True), [])


def test_a_signal_redelivered_after_the_scorer_died_past_its_commit_changes_nothing(
    dying_commit: list[str], sent: Callable[[], list[str]]
) -> None:
    _fails(_large_purchase())
    assert dying_commit == ["died"]
    assert _score(_large_purchase()) == NOTHING_FAILED
    assert (_risk(), [alert["type"] for alert in _alerts()], sent()) == (
        (35, 1, False),
        ["large_purchase"],
        ["security_alert"],
    )


# ---- 2. the same fact, the same alert, whatever path reports it -------------------------------


def _shared_device_referral() -> Any:
    from customer_id.referrals import repository as referrals
    from customer_id.referrals.models import Referral

    create_profile(REFERRER)
    for customer_id, address in ((REFERRER, "198.51.100.7"), (ME, "198.51.100.7")):
        logged = invoke(
            "RecordSecurityEventFunction",
            path={"customerId": customer_id},
            caller=ADMIN,
            body={"type": "login", "ipAddress": address, "deviceId": f"{customer_id}-phone", "country": "SA"},
        )
        assert logged.status == 202, logged.body
    now = clock.now()
    referral = Referral(
        referral_id="ref-shared",
        referrer_id=REFERRER,
        referee_id=ME,
        status="pending",
        created_at=now - timedelta(days=1),
        referrer_item=f"REFERRAL#{clock.iso(now - timedelta(days=1))}#ref-shared",
    )
    work = db.UnitOfWork()
    referrals.apply(work, referral, "Layla H.")
    work.commit()
    return referral


def _referral_signal() -> str:
    return _signal(
        "referral:ref-shared",
        "referral",
        clock.now(),
        referralId="ref-shared",
        referrerId=REFERRER,
    )


def _qualify() -> None:
    from customer_id.referrals import qualification as referrals

    referrals.on_purchase(ME, Decimal(80), clock.now())


@pytest.mark.parametrize("scorer_first", [True, False], ids=["scorer-first", "qualification-first"])
def test_a_shared_ip_referral_raises_one_alert_whichever_path_finds_it(scorer_first: bool) -> None:
    _shared_device_referral()
    steps = [lambda: _score(_referral_signal()), _qualify]
    for step in steps if scorer_first else reversed(steps):
        step()
    assert [(alert["type"], alert["status"]) for alert in _alerts(REFERRER)] == [
        ("referral_shared_device", "open")
    ]
    assert _risk(REFERRER) == (45, 1, False)
    assert read("ListReferralsFunction", REFERRER)["items"][0]["status"] == "rejected"


def test_a_rejection_that_failed_to_commit_is_done_whole_on_the_next_purchase(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _shared_device_referral()
    real = db.UnitOfWork.commit

    def failing(self: db.UnitOfWork) -> None:
        raise RuntimeError("DynamoDB is unreachable")

    with monkeypatch.context() as patch:
        patch.setattr(db.UnitOfWork, "commit", failing)
        with pytest.raises(RuntimeError):
            _qualify()
    assert db.UnitOfWork.commit is real
    assert (_alerts(REFERRER), read("ListReferralsFunction", REFERRER)["items"][0]["status"]) == (
        [],
        "pending",
    )
    _qualify()
    assert [alert["type"] for alert in _alerts(REFERRER)] == ["referral_shared_device"]
    assert read("ListReferralsFunction", REFERRER)["items"][0]["status"] == "rejected"


# ---- 3. window rules: >=, once, whatever the order ---------------------------------------------

LOGINS_AT = [0, 3, 7, 11, 15]  # five failed logins, the first and the last 15 minutes apart


def _logins() -> list[str]:
    start = clock.now() - timedelta(minutes=40)
    return [_failed_login(index, start + timedelta(minutes=minute)) for index, minute in enumerate(LOGINS_AT)]


@pytest.mark.parametrize(
    "order",
    [(0, 1, 2, 3, 4), (4, 3, 2, 1, 0), (2, 0, 4, 1, 3), (1, 4, 0, 3, 2)],
    ids=["in-order", "reversed", "shuffled", "shuffled-again"],
)
def test_five_failed_logins_in_fifteen_minutes_trip_once_in_any_order(order: tuple[int, ...]) -> None:
    logins = _logins()
    for index in order:
        assert _score(logins[index]) == NOTHING_FAILED
    for login in logins:  # every one delivered again
        assert _score(login) == NOTHING_FAILED
    assert [alert["type"] for alert in _alerts()] == ["failed_logins"]
    assert _risk() == (30, 1, False)


def test_failed_logins_over_more_than_fifteen_minutes_do_not_trip() -> None:
    start = clock.now() - timedelta(minutes=40)
    for index, minute in enumerate([0, 3, 7, 11, 16]):
        assert _score(_failed_login(index, start + timedelta(minutes=minute))) == NOTHING_FAILED
    assert _alerts() == []


def test_the_last_failed_logins_scored_at_once_trip_once(monkeypatch: pytest.MonkeyPatch) -> None:
    logins = _logins()
    for login in logins[1:4]:
        assert _score(login) == NOTHING_FAILED
    assert race(monkeypatch, lambda: _score(logins[0]), lambda: _score(logins[4])) == [NOTHING_FAILED] * 2
    assert [alert["type"] for alert in _alerts()] == ["failed_logins"]
    assert _risk() == (30, 1, False)


BURST_AT = [0, 1, 2, 3, 4, 5, 6, 8]  # eight redemptions within 10 minutes: one burst


@pytest.mark.parametrize("seed", range(4))
def test_a_redemption_burst_trips_once_in_any_order(seed: int) -> None:
    start = clock.now() - timedelta(minutes=30)
    burst = [_redemption(index, start + timedelta(minutes=minute)) for index, minute in enumerate(BURST_AT)]
    order = list(range(len(burst)))
    random.Random(seed).shuffle(order)  # noqa: S311 - a test's order, not security
    for index in order:
        assert _score(burst[index]) == NOTHING_FAILED
    [alert] = _alerts()
    assert (alert["type"], alert["reason"]) == ("redemption_burst", "6 redemptions within 10 minutes.")
    assert _risk() == (50, 1, False)


def test_five_redemptions_in_ten_minutes_are_no_burst() -> None:
    start = clock.now() - timedelta(minutes=30)
    for index in range(5):
        assert _score(_redemption(index, start + timedelta(minutes=index))) == NOTHING_FAILED
    assert _alerts() == []


def test_redemptions_that_go_on_trip_again_once_per_new_run(sent: Callable[[], list[str]]) -> None:
    start = clock.now() - timedelta(minutes=40)
    for index in range(12):  # one a minute: the first six trip, and the six after them again
        assert _score(_redemption(index, start + timedelta(minutes=index))) == NOTHING_FAILED
    assert [alert["type"] for alert in _alerts()] == ["redemption_burst"] * 2
    assert _risk() == (100, 2, True)
    assert sent() == ["redemption_hold", "security_alert", "security_alert"]


# ---- 4. a customer's `legitimate` cannot keep a burst below critical -------------------------


def _burst(first: int, start: datetime) -> None:
    for index in range(first, first + 6):
        at = start + timedelta(minutes=index - first)
        assert _score(_redemption(index, at)) == NOTHING_FAILED


def test_resolving_each_burst_as_legitimate_does_not_keep_the_score_below_critical() -> None:
    start = clock.now() - timedelta(minutes=40)
    _burst(0, start)
    [first] = _alerts(status="open")
    assert _resolve(first["alertId"], "legitimate", claims(ME)).status == 200
    assert _risk() == (0, 0, False)
    _burst(6, start + timedelta(minutes=8))  # the activity goes on
    [second] = _alerts(status="open")
    assert second["severity"] == "critical"
    assert _risk() == (100, 1, True)
    assert _resolve(second["alertId"], "legitimate", claims(ME)).status == 200
    assert _risk() == (0, 0, True)  # the customer's own resolution does not lift the hold


def test_after_staff_confirm_a_burst_the_next_one_counts_alone() -> None:
    start = clock.now() - timedelta(minutes=40)
    _burst(0, start)
    [first] = _alerts(status="open")
    assert _resolve(first["alertId"], "legitimate", AGENT).status == 200
    _burst(6, start + timedelta(minutes=8))
    assert _risk() == (50, 1, False)


def test_a_burst_long_after_a_resolved_one_counts_alone() -> None:
    start = clock.now() - timedelta(hours=2)
    _burst(0, start)
    [first] = _alerts(status="open")
    assert _resolve(first["alertId"], "legitimate", claims(ME)).status == 200
    _burst(6, start + timedelta(minutes=30))  # 25 minutes of quiet after the first burst
    assert _risk() == (50, 1, False)


# ---- 5. the security routes, once per Idempotency-Key ------------------------------------------


def test_a_report_retried_after_a_crash_past_its_commit_is_one_alert(
    dying_commit: list[str], sent: Callable[[], list[str]]
) -> None:
    first = _report(key="report-1")
    assert first.status == 500
    assert dying_commit == ["died"]
    again = _report(key="report-1")
    assert again.status == 201, again.body
    assert _report(key="report-1").body == again.body
    assert [alert["alertId"] for alert in _alerts()] == [again.body["alertId"]]
    assert _risk() == (60, 1, False)
    assert sent() == ["security_alert"]


def test_two_reports_with_two_keys_are_two_alerts() -> None:
    assert _report(key="report-1").status == 201
    assert _report(key="report-2").status == 201
    assert _risk() == (100, 2, True)


def test_a_security_event_retried_after_a_crash_past_its_commit_is_logged_and_signalled_once(
    dying_commit: list[str], fraud_signals: Any
) -> None:
    def record() -> Reply:
        return invoke(
            "RecordSecurityEventFunction",
            path={"customerId": ME},
            caller=ADMIN,
            body={"type": "login", "ipAddress": "203.0.113.10", "deviceId": "phone-1", "country": "SA"},
            idempotency_key="event-1",
        )

    assert record().status == 500
    again = record()
    assert again.status == 202, again.body
    logged = read("ListSecurityEventsFunction", ME)["items"]
    assert [event["eventId"] for event in logged] == [again.body["eventId"]]
    assert [signal["messageId"] for signal in fraud_signals()] == [f"security_event:{again.body['eventId']}"]


def test_a_resolution_retried_after_a_crash_past_its_commit_answers_the_first(
    monkeypatch: pytest.MonkeyPatch, sent: Callable[[], list[str]]
) -> None:
    reported = _report("phishing")
    assert sent() == ["security_alert"]
    real = db.UnitOfWork.commit
    died: list[str] = []

    def commit(self: db.UnitOfWork) -> None:
        real(self)
        if not died:
            died.append("died")
            raise RuntimeError("the process died right after the commit")

    monkeypatch.setattr(db.UnitOfWork, "commit", commit)
    assert _resolve(reported.body["alertId"], "fraud", claims(ME), key="resolve-1").status == 500
    again = _resolve(reported.body["alertId"], "fraud", claims(ME), key="resolve-1")
    assert (again.status, again.body["status"]) == (200, "resolved")
    assert _risk() == (0, 0, True)
    assert sent() == ["redemption_hold"]
    # without the key it is a new request: the alert is resolved already
    assert problem(_resolve(reported.body["alertId"], "fraud", claims(ME))) == (
        409,
        "/problems/alert-already-resolved",
    )


def test_staff_lifting_a_hold_and_the_resolution_commit_together(monkeypatch: pytest.MonkeyPatch) -> None:
    reported = _report("account_takeover")
    assert _score(_large_purchase()) == NOTHING_FAILED
    assert _risk() == (95, 2, True)
    real = db.UnitOfWork.commit

    def failing(self: db.UnitOfWork) -> None:
        raise RuntimeError("DynamoDB is unreachable")

    with monkeypatch.context() as patch:
        patch.setattr(db.UnitOfWork, "commit", failing)
        assert _resolve(reported.body["alertId"], "legitimate", AGENT).status == 500
    assert db.UnitOfWork.commit is real
    assert _risk() == (95, 2, True)
    assert _resolve(reported.body["alertId"], "legitimate", AGENT).status == 200
    assert _risk() == (35, 1, False)


def test_two_factor_is_not_switched_when_its_notification_cannot_be_queued(
    monkeypatch: pytest.MonkeyPatch, sent: Callable[[], list[str]]
) -> None:
    import pyotp

    now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: now)

    def two_factor(body: dict[str, Any]) -> Reply:
        return invoke("TwoFactorFunction", path={"customerId": ME}, caller=claims(ME), body=body)

    totp = pyotp.TOTP(two_factor({"action": "enroll"}).body["secret"])
    from customer_id import outbox

    def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the outbox item could not be added")

    with monkeypatch.context() as patch:
        patch.setattr(outbox, "emit", failing)
        assert two_factor({"action": "verify", "code": totp.at(now)}).status == 500
    assert read("GetSecurityProfileFunction", ME)["twoFactorEnabled"] is False
    assert two_factor({"action": "verify", "code": totp.at(now)}).status == 200
    assert read("GetSecurityProfileFunction", ME)["twoFactorEnabled"] is True
    assert sent() == ["two_factor_enabled"]
