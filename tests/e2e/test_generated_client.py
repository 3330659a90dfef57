"""A Python client generated from openapi.json by openapi-python-client calls every operation of the
document on the local stack, each once with valid input by its rightful caller, and parses each
success into the model the document declares. The steps run in order: a step may use what an
earlier one returned (an offer, a ticket, a chat, a reward, an alert, a referral code)."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from types import ModuleType
from typing import Any

import pytest

from local_stack.openapi import OUTPUT
from tests.e2e.conftest import Stack
from tests.unit.test_openapi_valid import generate_client, snake_case

pytestmark = pytest.mark.e2e

SPEC: dict[str, Any] = json.loads(OUTPUT.read_text())
PACKAGE = "customer_id_generated_client"
TODAY = datetime.now(UTC).date()
PROFILE = {"displayName": "Layla Hassan", "email": "layla@example.com", "language": "en", "timezone": "UTC"}
TICKET = {
    "subject": "My order arrived damaged",
    "description": "The box was crushed.",
    "categoryId": "orders",
    "priority": "high",
}
FAQ = {
    "categoryId": "returns",
    "question": {"en": "Can I exchange an item?", "ar": "هل يمكنني استبدال منتج؟"},
    "answer": {"en": "Yes, within 14 days.", "ar": "نعم، خلال 14 يومًا."},
}


@dataclass
class World:
    """Who calls (customer, referred customer, admin, agent, nobody) and the ids steps hand on."""

    stack: Stack
    tokens: dict[str, str]
    customer: str
    referred: str
    ids: dict[str, Any] = field(default_factory=dict)


def _offer(world: World) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "title": {"en": "Weekend deal", "ar": "عرض نهاية الأسبوع"},
        "description": {"en": "Save 10%", "ar": "وفّر 10%"},
        "discountType": "percent",
        "discountValue": "10",
        "validFrom": (now - timedelta(hours=1)).isoformat(timespec="seconds"),
        "validUntil": (now + timedelta(days=30)).isoformat(timespec="seconds"),
        "totalLimit": 5,
    }


def _queue_notification(world: World) -> None:
    """The dispatcher delivers a queued notification into the customer's inbox (as the relay would)."""
    sqs = world.stack.aws("sqs")
    message = {
        "messageId": "generated-client-1",
        "customerId": world.customer,
        "category": "rewards",
        "template": "referral_payout",
        "params": {"points": 500},
    }
    queue = sqs.get_queue_url(QueueName="NotificationsQueue")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(message))


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    caller: str  # a key of World.tokens; "anonymous" for no token
    params: Callable[[World], dict[str, Any]] = lambda world: {}  # path and query, by the client's names
    body: Any = None  # a JSON value, or a function of the World
    keep: Callable[[World, dict[str, Any]], None] = lambda world, answer: None  # ids for later steps
    before: Callable[[World], None] = lambda world: None
    until: Callable[[dict[str, Any]], bool] | None = None  # asynchronous: call again until it holds


def _self(world: World) -> dict[str, Any]:
    return {"customer_id": world.customer}


def _keep(name: str, key: str) -> Callable[[World, dict[str, Any]], None]:
    def keep(world: World, answer: dict[str, Any]) -> None:
        world.ids[name] = answer[key]

    return keep


def _keep_all(name: str) -> Callable[[World, dict[str, Any]], None]:
    def keep(world: World, answer: dict[str, Any]) -> None:
        world.ids[name] = answer

    return keep


def _keep_first(name: str, key: str) -> Callable[[World, dict[str, Any]], None]:
    def keep(world: World, answer: dict[str, Any]) -> None:
        world.ids[name] = answer["items"][0][key]

    return keep


STEPS = [
    # public
    Step("GET", "/loyalty/tiers", "anonymous"),
    Step("GET", "/loyalty/catalog", "anonymous"),
    Step("GET", "/support/categories", "anonymous"),
    Step("GET", "/support/faq", "anonymous", lambda world: {"category_id": "returns"}),
    Step("GET", "/support/faq/search", "anonymous", lambda world: {"q": "refund"}),
    # profile and notification preferences
    Step("PUT", "/customers/{customerId}/profile", "customer", _self, PROFILE),
    Step("GET", "/customers/{customerId}/profile", "customer", _self),
    Step(
        "GET",
        "/customers/{customerId}/notification-preferences",
        "customer",
        _self,
        keep=_keep_all("preferences"),
    ),
    Step(
        "PUT",
        "/customers/{customerId}/notification-preferences",
        "customer",
        _self,
        lambda world: {
            **world.ids["preferences"],
            "categories": {**world.ids["preferences"]["categories"], "marketing": True},
            "quietHours": {"start": "22:00", "end": "07:00"},
        },
    ),
    # loyalty
    Step(
        "POST",
        "/customers/{customerId}/loyalty/adjustments",
        "admin",
        _self,
        {"points": 1000, "reason": "welcome"},
    ),
    Step("GET", "/customers/{customerId}/loyalty", "customer", _self),
    Step("GET", "/customers/{customerId}/loyalty/transactions", "customer", _self),
    Step(
        "POST",
        "/customers/{customerId}/loyalty/redemptions",
        "customer",
        _self,
        {"itemId": "coffee-voucher"},
        keep=_keep("redemption", "redemptionId"),
    ),
    Step(
        "POST",
        "/customers/{customerId}/loyalty/redemptions/{redemptionId}/cancellation",
        "customer",
        lambda world: {**_self(world), "redemption_id": world.ids["redemption"]},
        {},
    ),
    # analytics
    Step(
        "POST",
        "/customers/{customerId}/purchases",
        "admin",
        _self,
        {"orderId": "ORD-1", "amount": "149.90", "currency": "SAR", "category": "books", "channel": "web"},
        keep=_keep("purchase", "purchaseId"),
    ),
    Step(
        "POST",
        "/customers/{customerId}/purchases/{purchaseId}/returns",
        "admin",
        lambda world: {**_self(world), "purchase_id": world.ids["purchase"]},
        {"returnId": "RET-1", "amount": "49.90", "reason": "wrong size"},
    ),
    Step(
        "GET",
        "/customers/{customerId}/purchases/{purchaseId}",
        "customer",
        lambda world: {**_self(world), "purchase_id": world.ids["purchase"]},
    ),
    Step("GET", "/customers/{customerId}/purchases", "customer", _self),
    Step("GET", "/customers/{customerId}/analytics/summary", "customer", _self),
    Step("GET", "/customers/{customerId}/analytics/spending", "customer", _self),
    # segments
    Step("POST", "/customers/{customerId}/segment/recalculation", "admin", _self, {}),
    Step("GET", "/customers/{customerId}/segment", "customer", _self),
    Step("GET", "/customers/{customerId}/segment/benefits", "customer", _self),
    Step("GET", "/segments", "admin"),
    Step("GET", "/segments/{segmentId}/stats", "admin", lambda world: {"segment_id": "champions"}),
    # offers
    Step("POST", "/offers", "admin", body=_offer, keep=_keep("offer", "offerId")),
    Step("GET", "/customers/{customerId}/offers", "customer", _self),
    Step(
        "GET",
        "/customers/{customerId}/offers/{offerId}",
        "customer",
        lambda world: {**_self(world), "offer_id": world.ids["offer"]},
    ),
    Step(
        "POST",
        "/customers/{customerId}/offers/{offerId}/applications",
        "customer",
        lambda world: {**_self(world), "offer_id": world.ids["offer"]},
        {"orderId": "ORD-2", "orderAmount": {"amount": "249.00", "currency": "SAR"}},
    ),
    # referrals: the customer refers the second customer
    Step("POST", "/customers/{customerId}/referral-code", "customer", _self, {}, keep=_keep("code", "code")),
    Step("GET", "/referrals/{code}", "anonymous", lambda world: {"code": world.ids["code"]}),
    Step(
        "POST",
        "/customers/{customerId}/referrals",
        "referred",
        lambda world: {"customer_id": world.referred},
        lambda world: {"code": world.ids["code"]},
        before=lambda world: world.stack.call(
            "PUT",
            f"/customers/{world.referred}/profile",
            world.tokens["referred"],
            json={**PROFILE, "displayName": "Omar Ali", "email": "omar@example.com"},
        ).raise_for_status(),
    ),
    Step("GET", "/customers/{customerId}/referrals", "customer", _self),
    Step("GET", "/customers/{customerId}/referral-rewards", "customer", _self),
    # special-date rewards: a birthday today (the profile is in UTC), issued, then claimed
    Step(
        "PUT",
        "/customers/{customerId}/special-dates",
        "customer",
        _self,
        {"birthday": {"month": TODAY.month, "day": TODAY.day}},
    ),
    Step("GET", "/customers/{customerId}/special-dates", "customer", _self),
    Step("GET", "/customers/{customerId}/rewards/upcoming", "customer", _self),
    Step("POST", "/rewards/issuance", "admin", body={"date": TODAY.isoformat()}),
    Step("GET", "/customers/{customerId}/rewards", "customer", _self, keep=_keep_first("reward", "rewardId")),
    Step(
        "POST",
        "/customers/{customerId}/rewards/{rewardId}/claims",
        "customer",
        lambda world: {**_self(world), "reward_id": world.ids["reward"]},
        {},
    ),
    # tickets
    Step(
        "POST", "/customers/{customerId}/tickets", "customer", _self, TICKET, keep=_keep("ticket", "ticketId")
    ),
    Step("GET", "/customers/{customerId}/tickets", "customer", _self),
    Step("GET", "/tickets/{ticketId}", "customer", lambda world: {"ticket_id": world.ids["ticket"]}),
    Step(
        "POST",
        "/tickets/{ticketId}/comments",
        "agent",
        lambda world: {"ticket_id": world.ids["ticket"]},
        {"body": "We are sending a new one."},
    ),
    Step(
        "PATCH",
        "/tickets/{ticketId}",
        "customer",
        lambda world: {"ticket_id": world.ids["ticket"]},
        {"status": "closed"},
    ),
    # support chat and FAQ
    Step(
        "POST",
        "/customers/{customerId}/chats",
        "customer",
        _self,
        {"categoryId": "orders", "message": "Hello, where is my order?"},
        keep=_keep("chat", "chatId"),
    ),
    Step("GET", "/customers/{customerId}/chats", "customer", _self),
    Step("GET", "/support/chats", "agent"),
    Step("GET", "/chats/{chatId}", "customer", lambda world: {"chat_id": world.ids["chat"]}),
    Step(
        "POST",
        "/chats/{chatId}/messages",
        "agent",
        lambda world: {"chat_id": world.ids["chat"]},
        {"body": "On it."},
    ),
    Step(
        "POST",
        "/chats/{chatId}/close",
        "customer",
        lambda world: {"chat_id": world.ids["chat"]},
        {"rating": 5, "comment": "Thanks"},
    ),
    Step("POST", "/support/faq", "admin", body=FAQ),
    Step(
        "POST",
        "/support/faq/{faqId}/feedback",
        "customer",
        lambda world: {"faq_id": "faq-returns"},
        {"helpful": True},
    ),
    Step("GET", "/customers/{customerId}/analytics/engagement", "customer", _self),
    # security
    Step(
        "POST",
        "/customers/{customerId}/security/events",
        "admin",
        _self,
        {"type": "login", "ipAddress": "203.0.113.10", "deviceId": "ios-1", "country": "SA"},
    ),
    Step("GET", "/customers/{customerId}/security/events", "customer", _self),
    Step(
        "POST",
        "/customers/{customerId}/security/reports",
        "customer",
        _self,
        {"category": "phishing", "description": "A message asked for my password"},
        keep=_keep("alert", "alertId"),
    ),
    Step("GET", "/customers/{customerId}/security/alerts", "customer", _self),
    Step(
        "POST",
        "/customers/{customerId}/security/alerts/{alertId}/resolution",
        "customer",
        lambda world: {**_self(world), "alert_id": world.ids["alert"]},
        {"resolution": "legitimate"},
    ),
    Step("GET", "/customers/{customerId}/security", "customer", _self),
    Step("POST", "/customers/{customerId}/security/two-factor", "customer", _self, {"action": "enroll"}),
    # notifications: one queued for the dispatcher, read once it is in the inbox
    Step(
        "GET",
        "/customers/{customerId}/notifications",
        "customer",
        _self,
        keep=_keep_first("notification", "notificationId"),
        before=_queue_notification,
        until=lambda answer: bool(answer["items"]),
    ),
    Step(
        "POST",
        "/customers/{customerId}/notifications/{notificationId}/read",
        "customer",
        lambda world: {**_self(world), "notification_id": world.ids["notification"]},
        {},
    ),
    # data rights: everything held, then erasure (last: the customer's routes are 404 after it)
    Step("GET", "/customers/{customerId}/data-export", "customer", _self),
    Step("DELETE", "/customers/{customerId}", "customer", _self),
]


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("client")
    generated = generate_client(folder / PACKAGE)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))


@pytest.fixture(scope="module")
def world(stack: Stack) -> World:
    customer, customer_token = stack.sign_up("generated.customer@example.com")
    referred, referred_token = stack.sign_up("generated.referred@example.com")
    _, admin_token = stack.sign_up("generated.admin@example.com", group="admins")
    _, agent_token = stack.sign_up("generated.agent@example.com", group="agents")
    tokens = {
        "customer": customer_token,
        "referred": referred_token,
        "admin": admin_token,
        "agent": agent_token,
    }
    return World(stack=stack, tokens=tokens, customer=customer, referred=referred)


def _operation(step: Step) -> dict[str, Any]:
    operation: dict[str, Any] = SPEC["paths"][step.path][step.method.lower()]
    return operation


def _function(package: ModuleType, operation: dict[str, Any]) -> ModuleType:
    name = f"{PACKAGE}.api.{operation['tags'][0]}.{snake_case(operation['operationId'])}"
    return importlib.import_module(name)


def _models(package: ModuleType, schema: dict[str, Any]) -> tuple[type, ...]:
    """The generated classes of a schema: its $ref, or each $ref of its anyOf/oneOf."""
    models = importlib.import_module(f"{PACKAGE}.models")
    refs = [schema] if "$ref" in schema else schema.get("anyOf", []) + schema.get("oneOf", [])
    return tuple(getattr(models, ref["$ref"].rsplit("/", 1)[1]) for ref in refs if "$ref" in ref)


def _body(package: ModuleType, operation: dict[str, Any], data: Any) -> Any:
    """The request body as the generated model the data fits (the first of a union that reads it back
    unchanged)."""
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    for model in _models(package, schema):
        try:
            body = model.from_dict(data)  # type: ignore[attr-defined]
        except (KeyError, TypeError, ValueError):
            continue
        if body.to_dict() == data:
            return body
    raise AssertionError(f"no generated model of {schema} reads {data}")


def _call(package: ModuleType, world: World, step: Step) -> Any:
    operation = _operation(step)
    function = _function(package, operation)
    if step.caller == "anonymous":
        client: Any = package.Client(base_url=world.stack.url)
    else:
        client = package.AuthenticatedClient(base_url=world.stack.url, token=world.tokens[step.caller])
    arguments: dict[str, Any] = {"client": client, **step.params(world)}
    if "requestBody" in operation and step.body is not None:
        data = step.body(world) if callable(step.body) else step.body
        arguments["body"] = _body(package, operation, data)
    accepts_body = "body" in inspect.signature(function.sync_detailed).parameters
    assert accepts_body == ("requestBody" in operation), operation["operationId"]
    return function.sync_detailed(**arguments)


def test_the_generated_client_calls_every_operation(client_package: ModuleType, world: World) -> None:
    called: set[str] = set()
    for step in STEPS:
        operation = _operation(step)
        step.before(world)
        response = _call(client_package, world, step)
        deadline = time.monotonic() + 60  # a queued notification: the dispatcher polls the queue
        while step.until is not None and response.status_code == HTTPStatus.OK:
            if step.until(response.parsed.to_dict()) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
            response = _call(client_package, world, step)
        label = f"{step.method} {step.path}"
        successes = {status: answer for status, answer in operation["responses"].items() if status[0] == "2"}
        assert str(int(response.status_code)) in successes, (label, response.status_code, response.content)
        expected = _models(
            client_package, successes[str(int(response.status_code))]["content"]["application/json"]["schema"]
        )
        assert isinstance(response.parsed, expected), (label, response.parsed, response.content)
        answer = response.parsed.to_dict()
        assert answer == json.loads(response.content), label  # parsed whole: nothing dropped
        if step.until is not None:
            assert step.until(answer), (label, answer)
        step.keep(world, answer)
        called.add(operation["operationId"])
    every = {
        operation["operationId"] for operations in SPEC["paths"].values() for operation in operations.values()
    }
    assert called == every
    assert len(STEPS) == len(every)  # each operation once


def test_every_operation_has_a_step() -> None:
    # without the stack: the table names every operation of the document once
    documented = {
        (method.upper(), path) for path, operations in SPEC["paths"].items() for method in operations
    }
    stepped = [(step.method, step.path) for step in STEPS]
    assert sorted(stepped) == sorted(documented)


def test_the_client_package_is_generated_for_this_document(client_package: ModuleType) -> None:
    for path, operations in SPEC["paths"].items():
        for operation in operations.values():
            assert hasattr(_function(client_package, operation), "sync_detailed"), path
