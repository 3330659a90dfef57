"""The local stack over HTTP: real tokens from the local user pool, the Cognito authorizer's checks,
the loyalty endpoints, and a clean shutdown."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack, start_stack, stop_stack

PROFILE = {
    "displayName": "Layla Hassan",
    "email": "layla@example.com",
    "language": "en",
    "timezone": "Asia/Riyadh",
}


def test_outputs_describe_the_stack(stack: Stack) -> None:
    assert set(stack.outputs) == {
        "ApiUrl",
        "AwsEndpointUrl",
        "DynamoDbEndpointUrl",
        "Region",
        "UserPoolId",
        "UserPoolClientId",
    }
    assert stack.outputs["ApiUrl"].startswith("http://127.0.0.1:")


def test_a_signed_in_customer_uses_the_loyalty_endpoints(stack: Stack) -> None:
    customer, token = stack.sign_up("layla@example.com")
    admin, admin_token = stack.sign_up("ops@example.com", group="admins")

    profile = stack.call("PUT", f"/customers/{customer}/profile", token, json=PROFILE)
    assert profile.status_code == 200, profile.text
    assert profile.json()["customerId"] == customer

    credit = stack.call(
        "POST",
        f"/customers/{customer}/loyalty/adjustments",
        admin_token,
        json={"points": 800, "reason": "welcome"},
    )
    assert credit.status_code == 201, credit.text
    assert credit.json()["source"] == {"kind": "admin", "id": admin}

    key = {"Idempotency-Key": "e2e-redeem-1"}
    redeemed = stack.call(
        "POST",
        f"/customers/{customer}/loyalty/redemptions",
        token,
        json={"itemId": "coffee-voucher"},
        headers=key,
    )
    replay = stack.call(
        "POST",
        f"/customers/{customer}/loyalty/redemptions",
        token,
        json={"itemId": "coffee-voucher"},
        headers=key,
    )
    assert (redeemed.status_code, replay.status_code) == (201, 201)
    assert replay.json() == redeemed.json()

    account = stack.call("GET", f"/customers/{customer}/loyalty", token).json()
    assert (account["pointsBalance"], account["tier"]) == (500, "bronze")
    ledger = stack.call(
        "GET", f"/customers/{customer}/loyalty/transactions", token, params={"limit": 1}
    ).json()
    assert [entry["type"] for entry in ledger["items"]] == ["redeem"]
    rest = stack.call(
        "GET",
        f"/customers/{customer}/loyalty/transactions",
        token,
        params={"limit": 1, "cursor": ledger["nextCursor"]},
    ).json()
    assert [entry["type"] for entry in rest["items"]] == ["adjust"]

    other, other_token = stack.call, stack.sign_up("someone@example.com")[1]
    forbidden = other("GET", f"/customers/{customer}/loyalty", other_token)
    assert forbidden.status_code == 403
    assert forbidden.headers["Content-Type"] == "application/problem+json"


def test_public_routes_need_no_token(stack: Stack) -> None:
    tiers = stack.call("GET", "/loyalty/tiers", headers={"Accept-Language": "ar-SA"})
    assert tiers.status_code == 200
    assert tiers.json()["items"][0]["name"] == "برونزي"
    catalog = stack.call("GET", "/loyalty/catalog").json()["items"]
    assert {"silver", "gold", "platinum"} <= {item["minTier"] for item in catalog}


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz"],
)
def test_missing_or_malformed_tokens_are_401(stack: Stack, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    reply = stack.call("GET", "/customers/anyone/loyalty", headers=headers)
    assert reply.status_code == 401
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.json()["status"] == 401


def test_a_forged_token_is_401(stack: Stack) -> None:
    customer, token = stack.sign_up("forger@example.com")
    header, payload, signature = token.split(".")
    forged_signature = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert (
        stack.call(
            "GET", f"/customers/{customer}/loyalty", f"{header}.{payload}.{forged_signature}"
        ).status_code
        == 401
    )
    # a payload swapped for another customer's, keeping the original signature
    _, other_token = stack.sign_up("victim@example.com")
    other_payload = other_token.split(".")[1]
    assert (
        stack.call(
            "GET", f"/customers/{customer}/loyalty", f"{header}.{other_payload}.{signature}"
        ).status_code
        == 401
    )


def test_a_token_of_another_pool_is_401(stack: Stack) -> None:
    cognito = stack.cognito()
    pool = cognito.create_user_pool(PoolName="someone-elses", UsernameAttributes=["email"])["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="theirs", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pool, Username="mallory@example.com", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(
        UserPoolId=pool, Username="mallory@example.com", Password="Other-Passw0rd-1", Permanent=True
    )
    token = cognito.initiate_auth(
        ClientId=client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "mallory@example.com", "PASSWORD": "Other-Passw0rd-1"},
    )["AuthenticationResult"]["IdToken"]
    assert stack.call("GET", "/loyalty/tiers", token).status_code == 200  # public: token ignored
    assert stack.call("GET", "/customers/anyone/loyalty", token).status_code == 401


def test_an_access_token_is_not_an_id_token(stack: Stack) -> None:
    cognito = stack.cognito()
    stack.sign_up("access@example.com")
    access = cognito.initiate_auth(
        ClientId=stack.outputs["UserPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "access@example.com", "PASSWORD": "E2e-Passw0rd-123"},
    )["AuthenticationResult"]["AccessToken"]
    assert stack.call("GET", "/customers/anyone/loyalty", access).status_code == 401


def test_unknown_route_is_a_problem(stack: Stack) -> None:
    reply = stack.call("GET", "/no/such/route")
    assert reply.status_code == 404
    assert reply.headers["Content-Type"] == "application/problem+json"


def test_ctrl_c_stops_everything_and_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    running = start_stack(tmp_path / "one")
    api_port = int(running.outputs["ApiUrl"].rsplit(":", 1)[1])
    busy = _run_on_busy_port(tmp_path / "two", api_port)
    assert busy[0] == 2
    assert f"port {api_port}" in busy[1]
    assert stop_stack(running) == 0
    aws_port = int(running.outputs["AwsEndpointUrl"].rsplit(":", 1)[1])
    dynamodb_port = int(running.outputs["DynamoDbEndpointUrl"].rsplit(":", 1)[1])
    for port in (api_port, aws_port, dynamodb_port):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))  # every port is free again (no listener; TIME_WAIT may linger)
    assert not (tmp_path / "one" / "outputs.json").exists()


def _run_on_busy_port(state_dir: Path, port: int) -> tuple[int, str]:
    import subprocess
    import sys

    from local_stack.template import ROOT

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "local_stack", "--state-dir", str(state_dir), "serve", "--port", str(port)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stderr


def test_a_purchase_moves_points_analytics_segment_and_is_scored(stack: Stack) -> None:
    import time

    customer, token = stack.sign_up("shopper@example.com")
    _, admin_token = stack.sign_up("orders@example.com", group="admins")
    assert stack.call("PUT", f"/customers/{customer}/profile", token, json=PROFILE).status_code == 200
    for order_id, amount in (("WEB-1", "100.00"), ("WEB-2", "100.00")):
        body = {
            "orderId": order_id,
            "amount": amount,
            "currency": "SAR",
            "channel": "web",
            "category": "books",
        }
        assert (
            stack.call("POST", f"/customers/{customer}/purchases", admin_token, json=body).status_code == 201
        )
    large = {
        "orderId": "WEB-3",
        "amount": "1200.00",
        "currency": "SAR",
        "category": "electronics",
        "channel": "web",
    }
    recorded = stack.call("POST", f"/customers/{customer}/purchases", admin_token, json=large)
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["pointsEarned"], recorded.json()["tier"]) == (1200, "silver")
    assert stack.call("POST", f"/customers/{customer}/purchases", admin_token, json=large).status_code == 409

    summary = stack.call("GET", f"/customers/{customer}/analytics/summary", token).json()
    assert (summary["purchaseCount"], summary["lifetimeSpend"]["amount"]) == (3, "1400.00")
    assert summary["favoriteCategory"] == "electronics"
    segment = stack.call(
        "GET", f"/customers/{customer}/segment", token, headers={"Accept-Language": "ar"}
    ).json()
    assert (segment["segmentId"], segment["name"]) == ("potential_loyalist", "أوفياء محتملون")

    # the fraud queue is consumed by the scorer: the large purchase raises its alert within seconds
    deadline = time.monotonic() + 30
    types: list[str] = []
    while time.monotonic() < deadline and "large_purchase" not in types:
        alerts = stack.call("GET", f"/customers/{customer}/security/alerts", token).json()["items"]
        types = [alert["type"] for alert in alerts]
        time.sleep(0.5)
    assert types == ["large_purchase"]


def test_concurrent_redemptions_never_overdraw_on_dynamodb_local(stack: Stack) -> None:
    """DynamoDB Local serves requests concurrently (no serialization as on moto): the account's
    conditioned transactions alone keep twelve racing redemptions from overdrawing."""
    from concurrent.futures import ThreadPoolExecutor

    customer, token = stack.sign_up("racer@example.com")
    _, admin_token = stack.sign_up("race-ops@example.com", group="admins")
    assert stack.call("PUT", f"/customers/{customer}/profile", token, json=PROFILE).status_code == 200
    credit = stack.call(
        "POST",
        f"/customers/{customer}/loyalty/adjustments",
        admin_token,
        json={"points": 900, "reason": "race"},
    )
    assert credit.status_code == 201, credit.text  # affords exactly 3 coffee vouchers

    def redeem(_: int) -> tuple[int, str]:
        reply = stack.call(
            "POST", f"/customers/{customer}/loyalty/redemptions", token, json={"itemId": "coffee-voucher"}
        )
        return reply.status_code, reply.json().get("type", "")

    with ThreadPoolExecutor(12) as pool:
        replies = list(pool.map(redeem, range(12)))
    assert sorted(status for status, _ in replies) == [201] * 3 + [409] * 9, replies
    assert {kind for status, kind in replies if status == 409} == {"/problems/insufficient-points"}
    ledger = stack.call(
        "GET", f"/customers/{customer}/loyalty/transactions", token, params={"limit": "50"}
    ).json()["items"]
    balance = stack.call("GET", f"/customers/{customer}/loyalty", token).json()["pointsBalance"]
    assert sum(entry["points"] for entry in ledger) == balance == 0
    assert sorted(entry["balanceAfter"] for entry in ledger) == [0, 300, 600, 900]
