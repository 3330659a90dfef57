from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.harness import claims, invoke
from tests.integration.helpers import PROFILE, account, create_profile, problem

ME = "customer-profile"


def _put(body: Any, customer_id: str = ME, **options: Any) -> Any:
    return invoke(
        "PutProfileFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body=body,
        **options,
    )


def _get(customer_id: str = ME, caller: dict[str, str] | None = None, **options: Any) -> Any:
    return invoke(
        "GetProfileFunction",
        path={"customerId": customer_id},
        caller=caller or claims(customer_id),
        **options,
    )


def test_first_put_creates_the_profile_and_opens_the_loyalty_account() -> None:
    reply = _put({**PROFILE, "phone": "+966501234567", "country": "sa"})
    assert reply.status == 200
    assert reply.body == {
        "customerId": ME,
        "displayName": "Layla Hassan",
        "email": "layla@example.com",
        "phone": "+966501234567",
        "language": "en",
        "timezone": "Asia/Riyadh",
        "country": "SA",
        "joinedAt": reply.body["joinedAt"],
    }
    assert reply.body["joinedAt"].endswith("Z")
    assert _get().body == reply.body
    opened = account(ME)
    assert (opened["tier"], opened["pointsBalance"], opened["lifetimePoints"]) == ("bronze", 0, 0)


def test_update_keeps_joined_at_and_optional_fields_left_out_are_null() -> None:
    first = _put({**PROFILE, "phone": "+966501234567"}).body
    second = _put({**PROFILE, "displayName": "Layla H", "language": "ar"})
    assert second.status == 200
    assert second.body["joinedAt"] == first["joinedAt"]
    assert second.body["displayName"] == "Layla H"
    assert second.body["phone"] is None
    assert _get().body["language"] == "ar"


def test_profile_is_404_before_the_first_put() -> None:
    assert problem(_get()) == (404, "/problems/profile-not-found")
    loyalty = invoke("GetLoyaltyAccountFunction", path={"customerId": ME}, caller=claims(ME))
    assert problem(loyalty) == (404, "/problems/profile-not-found")


def test_staff_read_any_profile() -> None:
    create_profile(ME)
    assert _get(caller=claims("agent-7", "agents")).body["customerId"] == ME


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"displayName": ""}, "displayName"),
        ({"displayName": "x" * 101}, "displayName"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "0501234567"}, "phone"),
        ({"language": "fr"}, "language"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"country": "XX"}, "country"),
        ({"nickname": "lulu"}, "nickname"),
        ({"displayName": 42}, "displayName"),
    ],
)
def test_invalid_input_is_400_and_writes_nothing(change: dict[str, Any], field: str) -> None:
    reply = _put({**PROFILE, **change})
    assert problem(reply) == (400, "/problems/invalid-input")
    assert field in [error["field"] for error in reply.body["errors"]]
    assert problem(_get()) == (404, "/problems/profile-not-found")


def test_missing_fields_are_400() -> None:
    reply = _put({"displayName": "Layla"})
    assert problem(reply) == (400, "/problems/invalid-input")
    assert {"email", "language", "timezone"} <= {error["field"] for error in reply.body["errors"]}


def test_malformed_json_is_400() -> None:
    reply = _put(None, raw_body='{"displayName": ')
    assert problem(reply) == (400, "/problems/malformed-json")
    assert problem(_get()) == (404, "/problems/profile-not-found")


def test_body_over_64_kib_is_413() -> None:
    reply = _put(None, raw_body='{"displayName": "' + "x" * 70_000 + '"}')
    assert problem(reply) == (413, "/problems/payload-too-large")


def test_errors_come_in_the_request_language_else_the_profile_language() -> None:
    missing = _get(headers={"Accept-Language": "ar-SA,en;q=0.5"})
    assert (problem(missing), missing.body["title"]) == ((404, "/problems/profile-not-found"), "غير موجود")
    create_profile(ME, language="ar")
    reply = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"type": "gift"},
        headers={"Accept-Language": ""},
    )
    assert (problem(reply), reply.body["title"]) == ((400, "/problems/invalid-input"), "طلب غير صالح")
    english = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"type": "gift"},
        headers={"Accept-Language": "en-GB"},
    )
    assert english.body["title"] == "Invalid request"


def test_concurrent_first_puts_make_one_profile_and_one_account() -> None:
    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(lambda _: _put(PROFILE), range(6)))
    assert [reply.status for reply in replies] == [200] * 6
    assert len({reply.body["joinedAt"] for reply in replies}) == 1
    assert account(ME)["pointsBalance"] == 0
