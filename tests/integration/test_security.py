from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pyotp
import pytest

from customer_id import clock
from local_stack.runtime import LambdaContext
from tests.harness import claims, handler, invoke
from tests.integration.helpers import ADMIN, adjust, create_profile, problem, purchase, read

ME = "customer-secure"
AGENT = claims("agent-1", "agents")


def _event(customer_id: str, **fields: Any) -> Any:
    body = {"type": "login", "ipAddress": "203.0.113.10", "deviceId": "phone-1", "country": "SA", **fields}
    return invoke("RecordSecurityEventFunction", path={"customerId": customer_id}, caller=ADMIN, body=body)


def _redeem(customer_id: str = ME) -> Any:
    return invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"itemId": "coffee-voucher"},
    )


def _alerts(customer_id: str = ME, **query: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = read("ListSecurityAlertsFunction", customer_id, **query)["items"]
    return items


def _types(customer_id: str = ME) -> list[str]:
    return sorted(alert["type"] for alert in _alerts(customer_id))


# ---- the profile and the event log -----------------------------------------------------------


def test_a_new_customer_is_low_risk_and_advised_to_enable_two_factor() -> None:
    create_profile(ME)
    security = read("GetSecurityProfileFunction", ME)
    assert security["riskScore"] == 0
    assert security["riskLevel"] == "low"
    assert (security["twoFactorEnabled"], security["redemptionHold"], security["openAlerts"]) == (
        False,
        False,
        0,
    )
    assert security["recommendations"] == ["Turn on two-factor authentication."]


def test_recorded_events_are_logged_at_once_and_queued(fraud_signals: Any) -> None:
    create_profile(ME)
    accepted = _event(ME, userAgent="CustomerApp/5.2")
    assert accepted.status == 202
    logged = read("ListSecurityEventsFunction", ME)["items"]
    assert [(event["eventId"], event["deviceId"], event["country"]) for event in logged] == [
        (accepted.body["eventId"], "phone-1", "SA")
    ]
    assert [signal["kind"] for signal in fraud_signals()] == ["security_event"]


@pytest.mark.parametrize(
    "change",
    [{"type": "logout"}, {"ipAddress": "not-an-ip"}, {"country": "sa"}, {"deviceId": ""}, {"extra": 1}],
)
def test_invalid_events_are_400_and_not_logged(change: dict[str, Any]) -> None:
    create_profile(ME)
    assert problem(_event(ME, **change)) == (400, "/problems/invalid-input")
    assert read("ListSecurityEventsFunction", ME)["items"] == []


# ---- the fraud rules, each on its own --------------------------------------------------------


def test_a_redemption_burst_raises_an_alert(consume: Any) -> None:
    create_profile(ME)
    adjust(ME, 3000)
    for _ in range(5):
        assert _redeem().status == 201
    consume("FraudScorerFunction")
    assert _types() == []
    assert _redeem().status == 201
    consume("FraudScorerFunction")
    assert _types() == ["redemption_burst"]
    security = read("GetSecurityProfileFunction", ME)
    assert (security["riskScore"], security["riskLevel"], security["openAlerts"]) == (50, "medium", 1)


def test_a_large_purchase_raises_an_alert(consume: Any) -> None:
    create_profile(ME)
    purchase(ME, "first", "1500")  # no average yet: nothing to compare with
    purchase(ME, "second", "100")
    consume("FraudScorerFunction")
    assert _types() == []
    purchase(ME, "third", "9000")  # over 1 000 and over 5x the average of 800 before it
    consume("FraudScorerFunction")
    assert _types() == ["large_purchase"]


def test_a_new_device_in_another_country_soon_after_a_login(
    consume: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_profile(ME)
    start = clock.now() - timedelta(hours=3)
    _event(ME, occurredAt=clock.iso(start))
    _event(
        ME, occurredAt=clock.iso(start + timedelta(minutes=20)), deviceId="phone-1", country="AE"
    )  # known device
    consume("FraudScorerFunction")
    assert _types() == []
    _event(ME, occurredAt=clock.iso(start + timedelta(minutes=40)), deviceId="laptop-9", country="EG")
    consume("FraudScorerFunction")
    assert _types() == ["new_device_foreign_country"]
    assert "EG" in _alerts()[0]["reason"]


def test_five_failed_logins_in_fifteen_minutes(consume: Any) -> None:
    create_profile(ME)
    start = clock.now() - timedelta(minutes=30)
    for minute in (0, 2, 4, 6, 16):  # five, but the first is out of the 15 minutes before the fifth
        _event(ME, type="login_failed", occurredAt=clock.iso(start + timedelta(minutes=minute)))
    consume("FraudScorerFunction")
    assert _types() == []
    _event(ME, type="login_failed", occurredAt=clock.iso(start + timedelta(minutes=17)))  # 2, 4, 6, 16, 17
    consume("FraudScorerFunction")
    assert _types() == ["failed_logins"]


def test_a_referral_sharing_a_device_is_rejected_and_alerts_the_referrer(consume: Any) -> None:
    create_profile("referrer")
    create_profile(ME)
    _event("referrer", deviceId="shared-tablet", ipAddress="198.51.100.7")
    _event(ME, deviceId="shared-tablet", ipAddress="192.0.2.1")
    code = invoke(
        "CreateReferralCodeFunction", path={"customerId": "referrer"}, caller=claims("referrer")
    ).body["code"]
    applied = invoke("ApplyReferralFunction", path={"customerId": ME}, caller=claims(ME), body={"code": code})
    assert applied.status == 201
    consume("FraudScorerFunction")
    assert _types("referrer") == ["referral_shared_device"]
    assert purchase(ME, "qualifying", "80").status == 201
    listing = read("ListReferralsFunction", "referrer")
    assert listing["items"][0]["status"] == "rejected"
    assert listing["stats"]["rejected"] == 1
    assert read("GetLoyaltyAccountFunction", "referrer")["pointsBalance"] == 0
    assert read("GetLoyaltyAccountFunction", ME)["pointsBalance"] == 80  # no referee bonus either


# ---- the scorer as a queue consumer ----------------------------------------------------------


def _batch(*bodies: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m-{index}",
                "receiptHandle": f"r-{index}",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:FraudQueue",
                "awsRegion": "us-east-1",
            }
            for index, body in enumerate(bodies)
        ]
    }


def _signal(message_id: str, count: int) -> str:
    return json.dumps(
        {
            "messageId": message_id,
            "kind": "security_event",
            "customerId": ME,
            "occurredAt": clock.iso(clock.now() - timedelta(minutes=10 - count)),
            "data": {
                "type": "login_failed",
                "eventId": message_id,
                "ipAddress": "192.0.2.1",
                "deviceId": "d",
                "country": "SA",
            },
        }
    )


def test_a_duplicate_delivery_changes_nothing_and_a_poison_message_fails_alone() -> None:
    create_profile(ME)
    score = handler("FraudScorerFunction")
    signals = [_signal(f"failed-{count}", count) for count in range(5)]
    first = score(_batch(*signals), LambdaContext(function_name="FraudScorerFunction"))
    assert first == {"batchItemFailures": []}
    again = score(_batch(*signals, "{not json"), LambdaContext(function_name="FraudScorerFunction"))
    assert again == {"batchItemFailures": [{"itemIdentifier": "m-5"}]}
    assert _types() == ["failed_logins"]
    assert read("GetSecurityProfileFunction", ME)["riskScore"] == 30


# ---- resolution, reports, holds --------------------------------------------------------------


def _burst(consume: Any, customer_id: str = ME) -> None:
    adjust(customer_id, 3000)
    for _ in range(6):
        _redeem(customer_id)
    consume("FraudScorerFunction")


def test_a_critical_risk_holds_redemptions(consume: Any) -> None:
    create_profile(ME)
    purchase(ME, "a", "100")
    purchase(ME, "b", "100")
    purchase(ME, "c", "2000")  # large purchase: 35
    _burst(consume)  # redemption burst: 50 -> 85, critical
    security = read("GetSecurityProfileFunction", ME)
    assert (security["riskScore"], security["riskLevel"], security["redemptionHold"]) == (
        85,
        "critical",
        True,
    )
    blocked = _redeem()
    assert problem(blocked) == (403, "/problems/redemption-hold")


def test_resolutions(consume: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    _burst(consume)
    [alert] = _alerts(status="open")
    resolved_at = clock.now().replace(microsecond=0) + timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: resolved_at)
    path = {"customerId": ME, "alertId": alert["alertId"]}
    fraud = invoke("ResolveSecurityAlertFunction", path=path, caller=claims(ME), body={"resolution": "fraud"})
    assert (fraud.status, fraud.body["status"]) == (200, "resolved")
    assert fraud.body["resolvedAt"] == clock.iso(resolved_at)
    assert read("GetSecurityProfileFunction", ME)["redemptionHold"] is True  # fraud puts a hold
    again = invoke(
        "ResolveSecurityAlertFunction", path=path, caller=claims(ME), body={"resolution": "legitimate"}
    )
    assert problem(again) == (409, "/problems/alert-already-resolved")
    assert _alerts(status="open") == []
    assert len(_alerts(status="resolved")) == 1

    report = invoke(
        "ReportSecurityIssueFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"category": "phishing", "description": "A fake SMS asked for my code"},
    )
    assert (report.status, report.body["type"], report.body["status"]) == (
        201,
        "customer_report_phishing",
        "open",
    )
    report_path = {"customerId": ME, "alertId": report.body["alertId"]}
    own = invoke(
        "ResolveSecurityAlertFunction", path=report_path, caller=claims(ME), body={"resolution": "legitimate"}
    )
    assert own.status == 200
    assert read("GetSecurityProfileFunction", ME)["redemptionHold"] is True  # a customer cannot lift a hold

    report2 = invoke(
        "ReportSecurityIssueFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"category": "other", "description": "x"},
    )
    path2 = {"customerId": ME, "alertId": report2.body["alertId"]}
    staff = invoke(
        "ResolveSecurityAlertFunction", path=path2, caller=AGENT, body={"resolution": "legitimate"}
    )
    assert staff.status == 200
    assert read("GetSecurityProfileFunction", ME)["redemptionHold"] is False  # staff's legitimate lifts it
    unknown = invoke(
        "ResolveSecurityAlertFunction",
        path={"customerId": ME, "alertId": "nope"},
        caller=claims(ME),
        body={"resolution": "fraud"},
    )
    assert problem(unknown) == (404, "/problems/alert-not-found")
    maybe = invoke(
        "ResolveSecurityAlertFunction", path=path2, caller=claims(ME), body={"resolution": "maybe"}
    )
    assert problem(maybe) == (400, "/problems/invalid-input")


def test_alert_reasons_are_localized(consume: Any) -> None:
    create_profile(ME)
    _burst(consume)
    arabic = invoke(
        "ListSecurityAlertsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        headers={"Accept-Language": "ar"},
    )
    assert "استبدال" in arabic.body["items"][0]["reason"]


# ---- two-factor ------------------------------------------------------------------------------


def _two_factor(body: dict[str, Any]) -> Any:
    return invoke("TwoFactorFunction", path={"customerId": ME}, caller=claims(ME), body=body)


def test_two_factor_enroll_verify_disable(monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    enrolled = _two_factor({"action": "enroll"})
    assert enrolled.status == 200
    secret = enrolled.body["secret"]
    assert enrolled.body["otpauthUri"].startswith("otpauth://totp/Customer%20ID:layla%40example.com?secret=")
    totp = pyotp.TOTP(secret)
    accepted_now = {totp.at(clock.now() + timedelta(seconds=offset)) for offset in (-30, 0, 30)}
    wrong = next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted_now)
    assert problem(_two_factor({"action": "verify", "code": wrong})) == (400, "/problems/invalid-code")
    code = totp.at(clock.now())
    turned_on = _two_factor({"action": "verify", "code": code})
    assert (turned_on.status, turned_on.body) == (200, {"twoFactorEnabled": True})
    assert read("GetSecurityProfileFunction", ME)["twoFactorEnabled"] is True
    assert "secret" not in json.dumps(read("GetSecurityProfileFunction", ME))
    assert problem(_two_factor({"action": "enroll"})) == (409, "/problems/two-factor-already-enabled")
    replay = _two_factor({"action": "disable", "code": code})
    assert problem(replay) == (400, "/problems/invalid-code")  # a code is accepted once
    later = clock.now() + timedelta(seconds=60)
    monkeypatch.setattr(clock, "now", lambda: later)
    turned_off = _two_factor({"action": "disable", "code": totp.at(later)})
    assert (turned_off.status, turned_off.body) == (200, {"twoFactorEnabled": False})


@pytest.mark.parametrize(
    "body",
    [
        {"action": "verify"},
        {"action": "verify", "code": "12345"},
        {"action": "reset"},
        {},
        {"action": "enroll", "x": 1},
    ],
)
def test_invalid_two_factor_requests_are_400(body: dict[str, Any]) -> None:
    create_profile(ME)
    assert problem(_two_factor(body)) == (400, "/problems/invalid-input")
