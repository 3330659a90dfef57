"""The races of security, forced: the requests or fraud signals all read before any writes
(`race`), or another change commits between one's read and its write (`meanwhile`). Each test names
the guards whose removal it catches (`@pytest.mark.guard`); the guards of security that decide no
race are listed, with the reason, in tests/mutants.py."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pyotp
import pytest

from customer_id import clock
from local_stack.template import Template
from tests.harness import Reply, claims, deliver, invoke
from tests.integration.helpers import create_profile, read
from tests.integration.support_helpers import AGENT, notifications
from tests.races import meanwhile, race

ME = "customer-security-racer"


@pytest.fixture
def patch(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return monkeypatch


@pytest.fixture(autouse=True)
def profile() -> None:
    create_profile(ME)


def _problem(reply: Reply) -> tuple[int, str]:
    return reply.status, reply.body["type"]


def _alerts(**query: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = read("ListSecurityAlertsFunction", ME, **query)["items"]
    return items


def _security() -> dict[str, Any]:
    body: dict[str, Any] = read("GetSecurityProfileFunction", ME)
    return body


# ---- fraud signals --------------------------------------------------------------------------------


def _signal(message_id: str, kind: str, at: datetime, **data: Any) -> str:
    return json.dumps(
        {"messageId": message_id, "kind": kind, "customerId": ME, "occurredAt": clock.iso(at), "data": data}
    )


def _login(message_id: str, at: datetime, device: str, country: str, kind: str = "login") -> str:
    return _signal(
        message_id,
        "security_event",
        at,
        type=kind,
        eventId=message_id,
        ipAddress="192.0.2.1",
        deviceId=device,
        country=country,
    )


def _score(body: str) -> Any:
    """The fraud scorer on a batch of one SQS record: its answer (the records that failed)."""
    return deliver("FraudScorerFunction", body)


NOTHING_FAILED: dict[str, list[Any]] = {"batchItemFailures": []}


def _large_purchase(name: str = "big") -> str:
    return _signal(f"purchase:{name}", "purchase", clock.now(), amount="9000.00", averageBefore="800.00")


def _report(category: str) -> Reply:
    return invoke(
        "ReportSecurityIssueFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"category": category, "description": "Someone signed in from abroad"},
    )


def _sent(aws: Template, relay: Any) -> list[str]:
    return sorted(message["template"] for message in notifications(relay))


@pytest.mark.guard(
    "security.alerts.repository:raise_alert#1", backs_up=("security.alerts.repository:raise_alert#3",)
)
def test_a_signal_delivered_twice_at_once_raises_one_alert(
    patch: pytest.MonkeyPatch, aws: Template, relay: Any
) -> None:
    signal = _large_purchase()
    assert race(patch, lambda: _score(signal), lambda: _score(signal)) == [NOTHING_FAILED] * 2
    assert [alert["type"] for alert in _alerts()] == ["large_purchase"]
    security = _security()
    assert (security["riskScore"], security["openAlerts"]) == (35, 1)
    assert _sent(aws, relay) == ["security_alert"]


@pytest.mark.guard("security.alerts.repository:raise_alert#3")
def test_two_alerts_at_once_add_up_to_a_hold(patch: pytest.MonkeyPatch) -> None:
    # 40 and 60: neither alone is critical; each read the risk before the other's alert
    replies = race(patch, lambda: _report("unrecognized_transaction"), lambda: _report("account_takeover"))
    assert [reply.status for reply in replies] == [201, 201]
    security = _security()
    assert (security["riskScore"], security["openAlerts"], security["redemptionHold"]) == (100, 2, True)


@pytest.mark.guard("security.alerts.repository:raise_alert#3")
def test_an_alert_decided_on_a_risk_lowered_meanwhile_puts_no_hold(patch: pytest.MonkeyPatch) -> None:
    reported = _report("account_takeover")  # 60: with the large purchase's 35, critical
    resolved: list[Reply] = []
    reply = meanwhile(
        patch,
        lambda: _score(_large_purchase()),
        lambda: resolved.append(_resolve(reported.body["alertId"], claims(ME))),
    )
    assert reply == NOTHING_FAILED
    assert [answer.status for answer in resolved] == [200]
    security = _security()
    assert (security["riskScore"], security["openAlerts"], security["redemptionHold"]) == (35, 1, False)


@pytest.mark.guard("security.alerts.repository:resolve_alert#2")
def test_a_resolution_decided_on_a_risk_raised_meanwhile_keeps_the_new_alert(
    patch: pytest.MonkeyPatch,
) -> None:
    reported = _report("unrecognized_transaction")  # 40
    scored: list[Any] = []
    reply = meanwhile(
        patch,
        lambda: _resolve(reported.body["alertId"], claims(ME)),
        lambda: scored.append(_score(_large_purchase())),  # 35 more
    )
    assert reply.status == 200
    assert scored == [NOTHING_FAILED]
    security = _security()
    assert (security["riskScore"], security["openAlerts"]) == (35, 1)


@pytest.mark.guard("loyalty.account:stage_redemption_hold")
def test_a_hold_put_meanwhile_is_not_put_or_announced_again(
    patch: pytest.MonkeyPatch, aws: Template, relay: Any
) -> None:
    from customer_id.loyalty import repository as loyalty

    assert _report("account_takeover").status == 201  # 60
    assert _sent(aws, relay) == ["security_alert"]
    reply = meanwhile(patch, lambda: _score(_large_purchase()), lambda: loyalty.set_redemption_hold(ME, True))
    assert reply == NOTHING_FAILED
    assert _security()["redemptionHold"] is True
    assert _sent(aws, relay) == ["security_alert"]  # the large purchase's; the hold was not this alert's


def _redemption(index: int, at: datetime) -> str:
    return _signal(f"redemption:r-{index}", "redemption", at, redemptionId=f"r-{index}")


@pytest.mark.guard("security.fraud.repository:save_latch")
def test_two_runs_of_one_burst_found_at_once_raise_one_alert(patch: pytest.MonkeyPatch) -> None:
    from customer_id.queues import FraudSignal
    from customer_id.security.fraud import repository, scoring

    start = clock.now() - timedelta(minutes=30)
    burst = [_redemption(index, start + timedelta(minutes=index)) for index in range(7)]
    for body in burst[1:6]:
        assert _score(body) == NOTHING_FAILED
    # the first redemption of the burst is scored while the last one's run is being decided: the
    # two find different runs (minutes 0-5 and 1-6) of one burst
    signal = json.loads(burst[0])
    repository.add_to_window(
        ME, "redemption", datetime.fromisoformat(signal["occurredAt"]), signal["messageId"], 3600
    )
    read_latch = repository.latch
    injected: list[list[str]] = []

    def latch_then_the_first(customer_id: str, alert_type: str) -> Any:
        latch = read_latch(customer_id, alert_type)
        if not injected:
            injected.append([])
            injected[0] = scoring.score(FraudSignal.model_validate_json(burst[0]))
        return latch

    patch.setattr(repository, "latch", latch_then_the_first)
    assert _score(burst[6]) == NOTHING_FAILED
    assert injected == [["redemption_burst"]]
    assert [alert["type"] for alert in _alerts()] == ["redemption_burst"]
    assert _security()["riskScore"] == 50


@pytest.mark.guard(
    "security.fraud.repository:remember_device", backs_up=("security.alerts.repository:raise_alert#3",)
)
def test_two_signals_of_one_new_device_at_once_raise_one_alert(patch: pytest.MonkeyPatch) -> None:
    start = clock.now() - timedelta(hours=1)
    assert _score(_login("login-home", start, "phone-1", "SA")) == NOTHING_FAILED
    # the app reports the new device and its login together: both read "not seen yet"
    replies = race(
        patch,
        lambda: _score(_login("device-new", start + timedelta(minutes=20), "laptop-9", "EG", "device_added")),
        lambda: _score(_login("login-new", start + timedelta(minutes=21), "laptop-9", "EG")),
    )
    assert replies == [NOTHING_FAILED] * 2
    assert [alert["type"] for alert in _alerts()] == ["new_device_foreign_country"]
    security = _security()
    assert (security["riskScore"], security["openAlerts"], security["redemptionHold"]) == (50, 1, False)


@pytest.mark.guard("security.fraud.repository:set_last_login")
def test_an_older_login_scored_late_leaves_the_last_login(patch: pytest.MonkeyPatch) -> None:
    from customer_id.security.fraud import repository

    start = (clock.now() - timedelta(hours=2)).replace(microsecond=0)  # as a signal carries it
    older = _login("login-older", start, "phone-1", "SA")
    newer = _login("login-newer", start + timedelta(minutes=30), "phone-1", "AE")
    scored: list[Any] = []
    assert meanwhile(patch, lambda: _score(older), lambda: scored.append(_score(newer))) == NOTHING_FAILED
    assert scored == [NOTHING_FAILED]
    last = repository.last_login(ME)
    assert last is not None
    assert (last.at, last.country) == (start + timedelta(minutes=30), "AE")
    # a new device 10 minutes after the last login, in its country: nothing to alert on (against
    # the older login, SA 40 minutes before, it would be a new device in another country)
    assert _score(_login("login-laptop", start + timedelta(minutes=40), "laptop-9", "AE")) == NOTHING_FAILED
    assert _alerts() == []


# ---- alerts ---------------------------------------------------------------------------------------


def _resolve(alert_id: str, caller: dict[str, str]) -> Reply:
    return invoke(
        "ResolveSecurityAlertFunction",
        path={"customerId": ME, "alertId": alert_id},
        caller=caller,
        body={"resolution": "legitimate"},
    )


@pytest.mark.guard(
    "security.alerts.repository:resolve_alert#1", backs_up=("security.alerts.repository:resolve_alert#2",)
)
@pytest.mark.guard(
    "security.alerts.repository:resolve_alert#2", backs_up=("security.alerts.repository:resolve_alert#1",)
)
def test_an_alert_resolved_twice_at_once_is_resolved_once(patch: pytest.MonkeyPatch) -> None:
    reported = invoke(
        "ReportSecurityIssueFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"category": "unrecognized_transaction", "description": "A purchase I did not make"},
    )
    assert reported.status == 201, reported.body
    assert _security()["riskScore"] == 40
    alert_id = reported.body["alertId"]
    replies = race(patch, lambda: _resolve(alert_id, claims(ME)), lambda: _resolve(alert_id, AGENT))
    assert sorted(reply.status for reply in replies) == [200, 409]
    assert [_problem(reply) for reply in replies if reply.status == 409] == [
        (409, "/problems/alert-already-resolved")
    ]
    assert [alert["alertId"] for alert in _alerts(status="resolved")] == [alert_id]
    security = _security()
    assert (security["riskScore"], security["openAlerts"]) == (0, 0)


# ---- two-factor -----------------------------------------------------------------------------------


def _two_factor(action: str, code: str | None = None) -> Reply:
    body = {"action": action} if code is None else {"action": action, "code": code}
    return invoke("TwoFactorFunction", path={"customerId": ME}, caller=claims(ME), body=body)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The clock stopped, so that every request sees the same TOTP step."""
    now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: now)
    return now


def _enroll() -> pyotp.TOTP:
    enrolled = _two_factor("enroll")
    assert enrolled.status == 200, enrolled.body
    return pyotp.TOTP(enrolled.body["secret"])


@pytest.mark.guard("security.repository:switch_two_factor")
def test_a_code_sent_twice_at_once_is_accepted_once(patch: pytest.MonkeyPatch, frozen: datetime) -> None:
    code = _enroll().at(frozen)
    replies = race(patch, lambda: _two_factor("verify", code), lambda: _two_factor("verify", code))
    assert sorted(reply.status for reply in replies) == [200, 400]
    assert [_problem(reply) for reply in replies if reply.status == 400] == [(400, "/problems/invalid-code")]
    assert _security()["twoFactorEnabled"] is True


@pytest.mark.guard("security.repository:switch_two_factor")
def test_a_disabling_code_sent_twice_at_once_is_accepted_once(patch: pytest.MonkeyPatch) -> None:
    now = clock.now()
    patch.setattr(clock, "now", lambda: now)
    totp = _enroll()
    assert _two_factor("verify", totp.at(now)).status == 200
    later = now + timedelta(seconds=60)  # a code of a later step: the first one is used
    patch.setattr(clock, "now", lambda: later)
    code = totp.at(later)
    replies = race(patch, lambda: _two_factor("disable", code), lambda: _two_factor("disable", code))
    assert sorted(reply.status for reply in replies) == [200, 400]
    assert [_problem(reply) for reply in replies if reply.status == 400] == [(400, "/problems/invalid-code")]
    assert _security()["twoFactorEnabled"] is False


@pytest.mark.guard("security.repository:switch_two_factor")
def test_a_code_of_a_secret_replaced_meanwhile_turns_nothing_on(
    patch: pytest.MonkeyPatch, frozen: datetime
) -> None:
    old = _enroll()
    again: list[Reply] = []
    reply = meanwhile(
        patch, lambda: _two_factor("verify", old.at(frozen)), lambda: again.append(_two_factor("enroll"))
    )
    assert [enrolled.status for enrolled in again] == [200]
    assert _problem(reply) == (400, "/problems/invalid-code")
    assert _security()["twoFactorEnabled"] is False
    new = pyotp.TOTP(again[0].body["secret"])
    assert _two_factor("verify", new.at(frozen)).status == 200
    assert _security()["twoFactorEnabled"] is True
