"""Who is calling (Cognito claims) and the access rules: token 401, then access 403/404."""

from __future__ import annotations

from typing import Any

import pytest

from customer_id.auth import (
    Access,
    Caller,
    Owned,
    caller_from_event,
    check_access,
    check_owner,
    ensure_may_see,
)
from customer_id.errors import Forbidden, NotFound, Unauthorized


def event_with(claims: dict[str, Any] | None) -> dict[str, Any]:
    context: dict[str, Any] = {"requestId": "r1"}
    if claims is not None:
        context["authorizer"] = {"claims": claims}
    return {"httpMethod": "GET", "requestContext": context}


CUSTOMER = Caller("cust-1", frozenset())
AGENT = Caller("agent-1", frozenset({"agents"}))
ADMIN = Caller("admin-1", frozenset({"admins"}))


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        ("admins,agents", {"admins", "agents"}),
        ("[agents]", {"agents"}),
        ("[admins agents]", {"admins", "agents"}),
        (["agents", "admins"], {"agents", "admins"}),
        ("", set()),
        (None, set()),
    ],
)
def test_caller_from_claims(groups: object, roles: set[str]) -> None:
    claims: dict[str, Any] = {"sub": "cust-1", "email": "a@example.com"}
    if groups is not None:
        claims["cognito:groups"] = groups

    caller = caller_from_event(event_with(claims))

    assert caller == Caller("cust-1", frozenset(roles))


def test_caller_roles_decide_staff_and_admin() -> None:
    agent = caller_from_event(event_with({"sub": "a", "cognito:groups": "[agents]"}))
    admin = caller_from_event(event_with({"sub": "b", "cognito:groups": "admins"}))
    other = caller_from_event(event_with({"sub": "c", "cognito:groups": "marketing"}))
    assert agent is not None
    assert admin is not None
    assert other is not None
    assert (agent.is_staff, agent.is_admin) == (True, False)
    assert (admin.is_staff, admin.is_admin) == (True, True)
    assert (other.is_staff, other.is_admin) == (False, False)


@pytest.mark.parametrize(
    "event",
    [
        {"httpMethod": "GET"},
        {"requestContext": None},
        event_with(None),
        event_with({}),
        event_with({"sub": ""}),
        event_with({"sub": 42}),
        event_with({"email": "a@example.com", "cognito:groups": "admins"}),
    ],
)
def test_no_subject_means_no_caller(event: dict[str, Any]) -> None:
    assert caller_from_event(event) is None


def test_public_lets_anyone_in() -> None:
    check_access(Access.PUBLIC, None, None)
    check_access(Access.PUBLIC, CUSTOMER, "someone-else")


@pytest.mark.parametrize("access", [Access.SELF, Access.STAFF, Access.ADMINS, Access.SIGNED_IN, Access.OWNER])
def test_no_caller_is_unauthorized(access: Access) -> None:
    with pytest.raises(Unauthorized) as raised:
        check_access(access, None, "cust-1")
    assert (raised.value.status, raised.value.code) == (401, "unauthenticated")


def test_self_may_reach_own_path() -> None:
    check_access(Access.SELF, CUSTOMER, "cust-1")


def test_self_on_someone_elses_path_is_forbidden() -> None:
    with pytest.raises(Forbidden) as raised:
        check_access(Access.SELF, CUSTOMER, "cust-2")
    assert (raised.value.status, raised.value.code) == (403, "forbidden")


def test_self_without_a_path_customer_is_forbidden() -> None:
    with pytest.raises(Forbidden):
        check_access(Access.SELF, CUSTOMER, None)


@pytest.mark.parametrize("caller", [AGENT, ADMIN])
def test_self_or_staff_lets_staff_see_any_customer(caller: Caller) -> None:
    check_access(Access.SELF | Access.STAFF, caller, "cust-1")


def test_self_or_staff_still_forbids_another_customer() -> None:
    with pytest.raises(Forbidden, match="forbidden"):
        check_access(Access.SELF | Access.STAFF, CUSTOMER, "cust-2")


def test_admins_only_refuses_agents_and_customers() -> None:
    with pytest.raises(Forbidden) as raised:
        check_access(Access.ADMINS, AGENT, "cust-1")
    assert raised.value.code == "admins_only"
    with pytest.raises(Forbidden) as raised:
        check_access(Access.ADMINS, Caller("cust-1", frozenset()), "cust-1")  # not even on one's own path
    assert raised.value.code == "admins_only"
    check_access(Access.ADMINS, ADMIN, "cust-1")


def test_staff_only_refuses_customers() -> None:
    with pytest.raises(Forbidden) as raised:
        check_access(Access.STAFF, CUSTOMER, None)
    assert raised.value.code == "staff_only"
    check_access(Access.STAFF, AGENT, None)


def test_signed_in_and_owner_accept_any_caller() -> None:
    check_access(Access.SIGNED_IN, CUSTOMER, None)
    check_access(Access.OWNER | Access.STAFF, CUSTOMER, None)


def test_ensure_may_see() -> None:
    ensure_may_see(CUSTOMER, "cust-1")
    ensure_may_see(AGENT, "cust-1")
    ensure_may_see(ADMIN, "cust-1")
    with pytest.raises(NotFound) as raised:
        ensure_may_see(CUSTOMER, "cust-2")
    assert (raised.value.status, raised.value.code) == (404, "not_found")


def test_check_owner() -> None:
    owners = {"chat-1": "cust-1"}
    looked_up: list[str] = []

    def owner_of(chat_id: str) -> str | None:
        looked_up.append(chat_id)
        return owners.get(chat_id)

    owned = Owned("chatId", owner_of, missing="chat_not_found")
    check_owner(owned, CUSTOMER, {"chatId": "chat-1"})
    check_owner(owned, AGENT, {"chatId": "chat-1"})
    check_owner(owned, ADMIN, {"chatId": "chat-unknown"})  # staff: the route says whether it exists
    assert looked_up == ["chat-1"]
    for path in ({"chatId": "chat-unknown"}, {}):
        with pytest.raises(NotFound) as raised:
            check_owner(owned, CUSTOMER, path)
        assert (raised.value.status, raised.value.code) == (404, "chat_not_found")
    with pytest.raises(NotFound):
        check_owner(owned, Caller("cust-2", frozenset()), {"chatId": "chat-1"})
