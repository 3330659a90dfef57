"""The route matrix: every API route of `template.yaml` against the same checks, so that no route is
left out and no check passes trivially.

Routes come from the template (every `Api` event of every function); CASES says, per route, who
may call it (API.md's access column), the data the customer OWNER must own first (so that another
customer asks for ids that exist), a valid request with what its answer must hold, and an invalid
one. The checks, each with the status AND the problem `type`:

- happy: the valid request by its rightful caller: the success status and a body that says it ran;
- staff: agents and admins where API.md lets staff in, refused (403) where it does not;
- other customer: another customer's token on OWNER's path (403) or OWNER's ticket, chat, reward,
  alert or notification id (404, never revealing it); a customer on an admin or staff route (403);
  public and signed-in routes answer the other customer as they answer anyone;
- no token: 401 (public routes: the real answer, not "anything but 401/403");
- invalid input: a 4xx with its type, and the item count of every table unchanged (nothing written);
- every POST: a replay with the same Idempotency-Key answers the first answer and has one effect;
  the same key while the first request is still running is a 409; a 5xx is not recorded, so the
  same key runs again for real.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from customer_id import clock
from customer_id.http import MAX_PATH_PARAMETER
from local_stack import demo
from local_stack.template import Template
from tests.harness import FRESH, NO_CLAIMS, Reply, claims, invoke, template
from tests.integration.helpers import DEFAULT_PREFERENCES

OWNER = "customer-owner"
STRANGER = "customer-stranger"
REFERRER = "customer-referrer"
AGENT = claims("agent-1", "agents")
ADMIN = claims("admin-1", "admins")
LONG_ID = "c" * (MAX_PATH_PARAMETER + 1)  # longer than any id the service issues or accepts
FAQ_ID = "faq-returns"  # demo data
SEGMENT_ID = "champions"
RIYADH = ZoneInfo("Asia/Riyadh")  # OWNER's timezone

# functions with no HTTP route (schedules, queue consumers)
TRIGGERED = {
    "SegmentRefreshFunction",
    "SegmentRefreshWorkerFunction",
    "SpecialDateRewardsScheduleFunction",
    "SpecialDateRewardsWorkerFunction",
    "PointsExpiryScheduleFunction",
    "PointsExpiryWorkerFunction",
    "NotificationDispatcherFunction",
    "FraudScorerFunction",
    "OutboxRelayFunction",
    "ErasureWorkerFunction",
}

PROBLEM = {
    "unauthenticated": "/problems/unauthenticated",
    "forbidden": "/problems/forbidden",
    "admins": "/problems/admins-only",
    "staff": "/problems/staff-only",
    "hidden": "/problems/not-found",
    "invalid": "/problems/invalid-input",
}


# ---- the customer's world: real data owned by OWNER -----------------------------------------------


class World:
    """What one test set up: ids by path parameter name (`ticketId`, `rewardId`, ...)."""

    def __init__(self, stack: Template, consume: Callable[[str], int]) -> None:
        self.stack = stack
        self.consume = consume
        self.ids: dict[str, str] = {"customerId": OWNER, "faqId": FAQ_ID, "segmentId": SEGMENT_ID}
        self.ids["offerId"] = demo.OFFER_EVERYONE

    @cached_property
    def offer(self) -> dict[str, Any]:
        """A valid offer for everyone, valid from an hour ago: one body per test, so a retry sends
        the same body."""
        now = clock.now()
        return {
            "title": {"en": "Weekend deal", "ar": "عرض نهاية الأسبوع"},
            "description": {"en": "Save on everything", "ar": "وفّر على كل شيء"},
            "discountType": "percent",
            "discountValue": "10",
            "validFrom": clock.iso(now - timedelta(hours=1)),
            "validUntil": clock.iso(now + timedelta(days=30)),
        }

    def path(self, route_path: str, customer_id: str = OWNER) -> dict[str, str] | None:
        names = [part[1:-1] for part in route_path.split("/") if part.startswith("{")]
        found = {name: self.ids[name] for name in names}
        if "customerId" in found:
            found["customerId"] = customer_id
        return found or None

    def counts(self) -> dict[str, int]:
        """The number of items in every table of the template."""
        dynamodb = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"])
        found = {}
        for logical_id, arguments in self.stack.tables().items():
            pages = dynamodb.get_paginator("scan").paginate(TableName=arguments["TableName"], Select="COUNT")
            found[logical_id] = sum(page["Count"] for page in pages)
        return found


def _ok(reply: Reply, status: int = 200) -> Any:
    assert reply.status == status, (reply.status, reply.body)
    return reply.body


def profile(world: World, customer_id: str = OWNER) -> None:
    _ok(
        invoke(
            "PutProfileFunction",
            path={"customerId": customer_id},
            caller=claims(customer_id),
            body={
                "displayName": "Layla Hassan",
                "email": f"{customer_id}@example.com",
                "language": "en",
                "timezone": "Asia/Riyadh",
            },
        )
    )


def points(world: World) -> None:
    body = {"points": 1000, "reason": "welcome"}
    _ok(invoke("CreateLoyaltyAdjustmentFunction", path={"customerId": OWNER}, caller=ADMIN, body=body), 201)


def redemption(world: World) -> None:
    body = {"itemId": "coffee-voucher"}
    world.ids["redemptionId"] = _ok(
        invoke(
            "CreateLoyaltyRedemptionFunction", path={"customerId": OWNER}, caller=claims(OWNER), body=body
        ),
        201,
    )["redemptionId"]


def purchase(world: World) -> None:
    body = {
        "orderId": "ORD-SETUP",
        "amount": "120.00",
        "currency": "SAR",
        "category": "books",
        "channel": "web",
    }
    _ok(invoke("RecordPurchaseFunction", path={"customerId": OWNER}, caller=ADMIN, body=body), 201)


def purchased(world: World) -> None:
    """OWNER's purchase of 120.00 (120 points), its id kept."""
    body = {"orderId": "ORD-RETURNED", "amount": "120.00", "currency": "SAR", "channel": "web"}
    world.ids["purchaseId"] = _ok(
        invoke("RecordPurchaseFunction", path={"customerId": OWNER}, caller=ADMIN, body=body), 201
    )["purchaseId"]


def ticket(world: World) -> None:
    world.ids["ticketId"] = _ok(
        invoke("CreateTicketFunction", path={"customerId": OWNER}, caller=claims(OWNER), body=TICKET), 201
    )["ticketId"]


def chat(world: World) -> None:
    world.ids["chatId"] = _ok(
        invoke("StartChatFunction", path={"customerId": OWNER}, caller=claims(OWNER), body=CHAT), 201
    )["chatId"]


def _today() -> str:
    return clock.now().astimezone(RIYADH).date().isoformat()


def birthday_today(world: World) -> None:
    month, day = (int(part) for part in _today().split("-")[1:])
    body = {"birthday": {"month": month, "day": day}}
    _ok(invoke("PutSpecialDatesFunction", path={"customerId": OWNER}, caller=claims(OWNER), body=body))


def reward(world: World) -> None:
    birthday_today(world)
    assert _ok(invoke("IssueRewardsFunction", caller=ADMIN, body={"date": _today()}))["issued"] == 1
    [issued] = _ok(invoke("ListRewardsFunction", path={"customerId": OWNER}, caller=claims(OWNER)))["items"]
    world.ids["rewardId"] = issued["rewardId"]


def alert(world: World) -> None:
    world.ids["alertId"] = _ok(
        invoke("ReportSecurityIssueFunction", path={"customerId": OWNER}, caller=claims(OWNER), body=REPORT),
        201,
    )["alertId"]


def notification(world: World) -> None:
    message = {
        "messageId": "setup-1",
        "customerId": OWNER,
        "category": "rewards",
        "template": "referral_payout",
        "params": {"points": 500},
    }
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    sqs.send_message(QueueUrl=world.stack.names["NotificationsQueue"], MessageBody=json.dumps(message))
    world.consume("NotificationDispatcherFunction")
    [item] = _ok(invoke("ListNotificationsFunction", path={"customerId": OWNER}, caller=claims(OWNER)))[
        "items"
    ]
    world.ids["notificationId"] = item["notificationId"]


def code(world: World) -> None:
    world.ids["code"] = _ok(
        invoke("CreateReferralCodeFunction", path={"customerId": OWNER}, caller=claims(OWNER), body={}), 201
    )["code"]


def referrer_code(world: World) -> None:
    profile(world, REFERRER)
    world.ids["referrerCode"] = _ok(
        invoke("CreateReferralCodeFunction", path={"customerId": REFERRER}, caller=claims(REFERRER), body={}),
        201,
    )["code"]


def enrolled(world: World) -> None:
    _ok(
        invoke(
            "TwoFactorFunction", path={"customerId": OWNER}, caller=claims(OWNER), body={"action": "enroll"}
        )
    )


# ---- requests ---------------------------------------------------------------------------------------

TICKET = {
    "subject": "My order arrived damaged",
    "description": "The box was crushed.",
    "categoryId": "orders",
    "priority": "high",
}
CHAT = {"categoryId": "orders", "message": "Hello, where is my order?"}
REPORT = {"category": "phishing", "description": "A message asked for my password"}
PREFERENCES = {
    **DEFAULT_PREFERENCES,
    "categories": {**DEFAULT_PREFERENCES["categories"], "marketing": True},
    "quietHours": {"start": "22:00", "end": "07:00"},
}
FAQ: dict[str, Any] = {
    "categoryId": "returns",
    "question": {"en": "Can I exchange an item?", "ar": "هل يمكنني استبدال منتج؟"},
    "answer": {"en": "Yes, within 14 days.", "ar": "نعم، خلال 14 يومًا."},
}


# ---- the case table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    body: Any = ...  # a value, or a function of the World
    query: dict[str, str] | None = None
    path: dict[str, str] | None = None  # replaces path parameters
    caller: dict[str, str] | None = None  # replaces the caller (a customer id in the path follows it)

    def send(
        self, world: World, logical_id: str, route_path: str, caller: dict[str, str], key: str | None = FRESH
    ) -> Reply:
        """`caller` unless the request names its own; a customer id in the path is the caller's when
        the request names one, else OWNER's; `key` is the Idempotency-Key (a fresh one by default)."""
        who = self.caller if self.caller is not None else caller
        customer = who.get("sub", OWNER) if self.caller is not None and who else OWNER
        path = world.path(route_path, customer)
        if self.path is not None:
            path = {**(path or {}), **self.path}
        body = self.body(world) if callable(self.body) else self.body
        return invoke(logical_id, path=path, caller=who, body=body, query=self.query, idempotency_key=key)


@dataclass(frozen=True)
class Invalid:
    request: Request
    status: int = 400
    type: str = PROBLEM["invalid"]


@dataclass(frozen=True)
class Case:
    # API.md's "who": self | self, staff | self, admins | owner, staff | admins | staff | public | signed-in
    access: str
    expect: Callable[[Any, World], object]  # what the happy answer must hold
    status: int = 200
    request: Request = field(default_factory=Request)
    needs: tuple[Callable[[World], None], ...] = ()  # beyond OWNER's profile
    invalid: Invalid | None = None
    no_input: str = ""  # why there is no invalid request (a route that takes nothing)
    resource: tuple[str, str] | None = None  # (path parameter, 404 type) for OWNER's own sub-resource
    staff_request: Request | None = None  # staff's valid request, where it differs from the customer's
    staff_expect: Callable[[Any, World], object] | None = None  # what staff's answer holds, if not `expect`


def _items(body: Any) -> list[Any]:
    items: list[Any] = body["items"]
    return items


def _path_too_long(**path: str) -> Invalid:
    """For a route that takes nothing but its path: an id longer than any the service issues (the
    customer's own, or the one in `path`)."""
    if path:
        return Invalid(Request(path=path))
    return Invalid(Request(caller=claims(LONG_ID)))


def _bad_query(**query: str) -> Invalid:
    return Invalid(Request(query=query))


def _bad_body(body: Any) -> Invalid:
    return Invalid(Request(body=body))


UNKNOWN_FIELD = {"unexpected": 1}

CASES: dict[tuple[str, str], Case] = {
    # ---- profile
    ("PUT", "/customers/{customerId}/profile"): Case(
        "self",
        lambda body, world: (body["customerId"], body["email"]) == (OWNER, "layla@example.com"),
        request=Request(
            body={"displayName": "Layla", "email": "layla@example.com", "language": "ar", "timezone": "UTC"}
        ),
        invalid=_bad_body(
            {"displayName": "", "email": "not-an-address", "language": "en", "timezone": "UTC"}
        ),
    ),
    ("GET", "/customers/{customerId}/profile"): Case(
        "self, staff",
        lambda body, world: (body["customerId"], body["displayName"]) == (OWNER, "Layla Hassan"),
        invalid=_path_too_long(),
    ),
    # ---- loyalty
    ("GET", "/loyalty/tiers"): Case(
        "public",
        lambda body, world: (
            [tier["tierId"] for tier in _items(body)] == ["bronze", "silver", "gold", "platinum"]
        ),
        no_input="takes no parameters",
    ),
    ("GET", "/loyalty/catalog"): Case(
        "public",
        lambda body, world: "coffee-voucher" in {item["itemId"] for item in _items(body)},
        no_input="takes no parameters",
    ),
    ("GET", "/customers/{customerId}/loyalty"): Case(
        "self, staff",
        lambda body, world: (body["customerId"], body["pointsBalance"]) == (OWNER, 1000),
        needs=(points,),
        invalid=_path_too_long(),
    ),
    ("GET", "/customers/{customerId}/loyalty/transactions"): Case(
        "self, staff",
        lambda body, world: [(item["type"], item["points"]) for item in _items(body)] == [("adjust", 1000)],
        needs=(points,),
        invalid=_bad_query(type="bogus"),
    ),
    ("POST", "/customers/{customerId}/loyalty/adjustments"): Case(
        "admins",
        lambda body, world: (body["type"], body["points"], body["balanceAfter"]) == ("adjust", 250, 250),
        status=201,
        request=Request(body={"points": 250, "reason": "goodwill"}),
        invalid=_bad_body({"points": 0, "reason": "nothing"}),
    ),
    ("POST", "/customers/{customerId}/loyalty/redemptions"): Case(
        "self",
        lambda body, world: (body["pointsSpent"], body["balanceAfter"]) == (300, 700),
        status=201,
        request=Request(body={"itemId": "coffee-voucher"}),
        needs=(points,),
        invalid=_bad_body({"itemId": ""}),
    ),
    ("POST", "/customers/{customerId}/loyalty/redemptions/{redemptionId}/cancellation"): Case(
        "self, staff",
        lambda body, world: (
            (body["redemptionId"], body["status"], body["pointsRefunded"], body["balanceAfter"])
            == (world.ids["redemptionId"], "cancelled", 300, 1000)
        ),
        request=Request(body={}),
        needs=(points, redemption),
        invalid=_bad_body(UNKNOWN_FIELD),
        resource=("redemptionId", "/problems/redemption-not-found"),
    ),
    # ---- analytics
    ("POST", "/customers/{customerId}/purchases"): Case(
        "admins",
        lambda body, world: (body["pointsEarned"], body["tier"]) == (149, "bronze"),
        status=201,
        request=Request(
            body={
                "orderId": "ORD-1",
                "amount": "149.90",
                "currency": "SAR",
                "category": "books",
                "channel": "web",
            }
        ),
        invalid=_bad_body({"orderId": "ORD-1", "amount": "-1", "currency": "SAR", "channel": "web"}),
    ),
    ("GET", "/customers/{customerId}/purchases"): Case(
        "self, staff",
        lambda body, world: [item["orderId"] for item in _items(body)] == ["ORD-SETUP"],
        needs=(purchase,),
        invalid=_bad_query(limit="0"),
    ),
    ("POST", "/customers/{customerId}/purchases/{purchaseId}/returns"): Case(
        "admins",
        lambda body, world: (
            (body["purchaseId"], body["pointsReversed"], body["balanceAfter"], body["pointsDebt"])
            == (world.ids["purchaseId"], 60, 60, 0)
        ),
        status=201,
        request=Request(body={"returnId": "RET-1", "amount": "60.00", "reason": "damaged"}),
        needs=(purchased,),
        invalid=_bad_body({"returnId": "RET-1", "amount": "0"}),
    ),
    ("GET", "/customers/{customerId}/purchases/{purchaseId}"): Case(
        "self, staff",
        lambda body, world: (
            (body["purchaseId"], body["amount"]["amount"], body["returnedAmount"]["amount"], body["returns"])
            == (world.ids["purchaseId"], "120.00", "0.00", [])
        ),
        needs=(purchased,),
        invalid=_path_too_long(purchaseId=LONG_ID),
        resource=("purchaseId", "/problems/purchase-not-found"),
    ),
    ("GET", "/customers/{customerId}/analytics/summary"): Case(
        "self, staff",
        lambda body, world: (body["purchaseCount"], body["lifetimeSpend"]["amount"]) == (1, "120.00"),
        needs=(purchase,),
        invalid=_path_too_long(),
    ),
    ("GET", "/customers/{customerId}/analytics/spending"): Case(
        "self, staff",
        lambda body, world: (
            [(entry["category"], entry["count"]) for entry in body["byCategory"]] == [("books", 1)]
        ),
        needs=(purchase,),
        invalid=_bad_query(months="0"),
    ),
    ("GET", "/customers/{customerId}/analytics/engagement"): Case(
        "self, staff",
        lambda body, world: (body["ticketsOpened"], body["chatsStarted"]) == (1, 0),
        needs=(ticket,),
        invalid=_path_too_long(),
    ),
    # ---- segments
    ("GET", "/customers/{customerId}/segment"): Case(
        "self, staff",
        lambda body, world: body["segmentId"] == "new" and body["metrics"]["purchases12m"] == 0,
        invalid=_path_too_long(),
    ),
    ("GET", "/customers/{customerId}/segment/benefits"): Case(
        "self, staff",
        lambda body, world: len(_items(body)) > 0 and all(item["title"] for item in _items(body)),
        invalid=_path_too_long(),
    ),
    ("GET", "/segments"): Case(
        "admins",
        lambda body, world: {"champions", "lost", "new"} <= {item["segmentId"] for item in _items(body)},
        no_input="takes no parameters",
    ),
    ("GET", "/segments/{segmentId}/stats"): Case(
        "admins",
        lambda body, world: body["segmentId"] == "champions" and body["customerCount"] >= 0,
        invalid=Invalid(Request(path={"segmentId": "no-such-segment"}), 404, "/problems/segment-not-found"),
    ),
    ("POST", "/customers/{customerId}/segment/recalculation"): Case(
        "admins",
        lambda body, world: (body["segmentId"], body["metrics"]["purchases12m"]) == ("new", 1),
        needs=(purchase,),
        request=Request(body={}),
        invalid=_bad_body(UNKNOWN_FIELD),
    ),
    # ---- offers
    ("POST", "/offers"): Case(
        "admins",
        lambda body, world: body["offerId"] and body["title"] == "Weekend deal",
        status=201,
        request=Request(body=lambda world: world.offer),
        invalid=_bad_body({**FAQ}),
    ),
    ("GET", "/customers/{customerId}/offers"): Case(
        "self, staff",
        lambda body, world: demo.OFFER_EVERYONE in {item["offerId"] for item in _items(body)},
        invalid=_path_too_long(),
    ),
    ("GET", "/customers/{customerId}/offers/{offerId}"): Case(
        "self, staff",
        lambda body, world: (body["offerId"], body["eligibility"]["eligible"]) == (demo.OFFER_EVERYONE, True),
        invalid=_path_too_long(offerId=LONG_ID),
    ),
    ("POST", "/customers/{customerId}/offers/{offerId}/applications"): Case(
        "self",
        lambda body, world: (
            (body["discountAmount"]["amount"], body["finalAmount"]["amount"]) == ("24.90", "224.10")
        ),
        status=201,
        request=Request(body={"orderId": "ORD-2", "orderAmount": {"amount": "249.00", "currency": "SAR"}}),
        invalid=_bad_body({"orderId": "ORD-2", "orderAmount": {"amount": "lots", "currency": "SAR"}}),
    ),
    # ---- referrals
    ("POST", "/customers/{customerId}/referral-code"): Case(
        "self",
        lambda body, world: len(body["code"]) == 8 and body["code"] in body["shareUrl"],
        status=201,
        request=Request(body={}),
        invalid=_bad_body(UNKNOWN_FIELD),
    ),
    ("GET", "/referrals/{code}"): Case(
        "public",
        lambda body, world: (body["code"], body["referrerName"]) == (world.ids["code"], "Layla H."),
        needs=(code,),
        invalid=Invalid(Request(path={"code": "not a code"}), 404, "/problems/referral-code-not-found"),
    ),
    ("POST", "/customers/{customerId}/referrals"): Case(
        "self",
        lambda body, world: body["status"] == "pending" and body["referralId"],
        status=201,
        request=Request(body=lambda world: {"code": world.ids["referrerCode"]}),
        needs=(referrer_code,),
        invalid=_bad_body({"code": ""}),
    ),
    ("GET", "/customers/{customerId}/referrals"): Case(
        "self, staff",
        lambda body, world: body["items"] == [] and body["stats"]["total"] == 0,
        needs=(code,),
        invalid=_bad_query(limit="0"),
    ),
    ("GET", "/customers/{customerId}/referral-rewards"): Case(
        "self, staff",
        lambda body, world: body["items"] == [] and "nextCursor" in body,
        invalid=_bad_query(limit="101"),
    ),
    # ---- special dates and rewards
    ("GET", "/customers/{customerId}/special-dates"): Case(
        "self, staff",
        lambda body, world: (
            body["birthday"]["month"] == int(_today()[5:7]) and body["anniversary"] is not None
        ),
        needs=(birthday_today,),
        invalid=_path_too_long(),
    ),
    ("PUT", "/customers/{customerId}/special-dates"): Case(
        "self, staff",
        lambda body, world: body["birthday"] == {"month": 3, "day": 14, "year": 1994},
        request=Request(body={"birthday": {"month": 3, "day": 14, "year": 1994}}),
        invalid=_bad_body({"birthday": {"month": 4, "day": 31}}),
    ),
    ("GET", "/customers/{customerId}/rewards"): Case(
        "self, staff",
        lambda body, world: (
            [(item["rewardId"], item["status"]) for item in _items(body)]
            == [(world.ids["rewardId"], "available")]
        ),
        needs=(reward,),
        invalid=_bad_query(status="bogus"),
    ),
    ("POST", "/customers/{customerId}/rewards/{rewardId}/claims"): Case(
        "self",
        lambda body, world: (
            (body["rewardId"], body["status"], body["pointsAwarded"])
            == (world.ids["rewardId"], "claimed", 100)
        ),
        status=201,
        request=Request(body={}),
        needs=(reward,),
        invalid=_bad_body(UNKNOWN_FIELD),
        resource=("rewardId", "/problems/reward-not-found"),
    ),
    ("GET", "/customers/{customerId}/rewards/upcoming"): Case(
        "self, staff",
        lambda body, world: "birthday" in {item["occasion"] for item in _items(body)},
        needs=(birthday_today,),
        invalid=_path_too_long(),
    ),
    ("POST", "/rewards/issuance"): Case(
        "admins",
        lambda body, world: (body["date"], body["issued"], body["skipped"]) == (_today(), 1, 0),
        request=Request(body=lambda world: {"date": _today()}),
        needs=(birthday_today,),
        invalid=_bad_body({"date": "2026-02-30"}),
    ),
    # ---- tickets
    ("POST", "/customers/{customerId}/tickets"): Case(
        "self",
        lambda body, world: (body["status"], body["customerId"], body["priority"]) == ("open", OWNER, "high"),
        status=201,
        request=Request(body=TICKET),
        invalid=_bad_body({**TICKET, "priority": "whenever"}),
    ),
    ("GET", "/customers/{customerId}/tickets"): Case(
        "self, staff",
        lambda body, world: [item["ticketId"] for item in _items(body)] == [world.ids["ticketId"]],
        needs=(ticket,),
        invalid=_bad_query(status="bogus"),
    ),
    ("GET", "/tickets/{ticketId}"): Case(
        "owner, staff",
        lambda body, world: (body["ticketId"], body["subject"]) == (world.ids["ticketId"], TICKET["subject"]),
        needs=(ticket,),
        invalid=_path_too_long(ticketId=LONG_ID),
    ),
    ("POST", "/tickets/{ticketId}/comments"): Case(
        "owner, staff",
        lambda body, world: (body["body"], body["internal"]) == ("Any news?", False),
        status=201,
        request=Request(body={"body": "Any news?"}),
        needs=(ticket,),
        invalid=_bad_body({"body": ""}),
    ),
    ("PATCH", "/tickets/{ticketId}"): Case(
        "owner, staff",
        lambda body, world: (body["ticketId"], body["status"]) == (world.ids["ticketId"], "closed"),
        request=Request(body={"status": "closed"}),
        needs=(ticket,),
        invalid=_bad_body({"status": "bogus"}),
    ),
    # ---- support
    ("GET", "/support/categories"): Case(
        "public",
        lambda body, world: {"orders", "returns"} <= {item["categoryId"] for item in _items(body)},
        no_input="takes no parameters",
    ),
    ("GET", "/support/faq"): Case(
        "public",
        lambda body, world: FAQ_ID in {item["faqId"] for item in _items(body)},
        request=Request(query={"categoryId": "returns"}),
        invalid=_bad_query(limit="0"),
    ),
    ("GET", "/support/faq/search"): Case(
        "public",
        lambda body, world: len(_items(body)) > 0 and all(item["score"] > 0 for item in _items(body)),
        request=Request(query={"q": "refund"}),
        invalid=_bad_query(q="x" * 201),
    ),
    ("POST", "/support/faq"): Case(
        "admins",
        lambda body, world: (body["question"], body["helpfulCount"]) == (FAQ["question"]["en"], 0),
        status=201,
        request=Request(body=FAQ),
        invalid=_bad_body({**FAQ, "question": {"en": "only English"}}),
    ),
    ("POST", "/support/faq/{faqId}/feedback"): Case(
        "signed-in",
        lambda body, world: body == {"faqId": FAQ_ID, "helpful": True},
        request=Request(body={"helpful": True}),
        invalid=_bad_body({"helpful": "very"}),
    ),
    ("POST", "/customers/{customerId}/chats"): Case(
        "self",
        lambda body, world: body["status"] == "waiting" and body["chatId"],
        status=201,
        request=Request(body=CHAT),
        invalid=_bad_body({**CHAT, "message": ""}),
    ),
    ("GET", "/support/chats"): Case(
        "staff",
        lambda body, world: [item["chatId"] for item in _items(body)] == [world.ids["chatId"]],
        needs=(chat,),
        invalid=_bad_query(limit="0"),
    ),
    ("GET", "/customers/{customerId}/chats"): Case(
        "self, staff",
        lambda body, world: [item["chatId"] for item in _items(body)] == [world.ids["chatId"]],
        needs=(chat,),
        invalid=_bad_query(limit="0"),
    ),
    ("GET", "/chats/{chatId}"): Case(
        "owner, staff",
        lambda body, world: [message["body"] for message in body["messages"]] == [CHAT["message"]],
        request=Request(query={}),  # the sample's `after` would skip the opening message
        needs=(chat,),
        invalid=_path_too_long(chatId=LONG_ID),
    ),
    ("POST", "/chats/{chatId}/messages"): Case(
        "owner, staff",
        lambda body, world: (body["sender"], body["body"]) == ("customer", "Still there?"),
        status=201,
        request=Request(body={"body": "Still there?"}),
        needs=(chat,),
        invalid=_bad_body({"body": ""}),
        staff_request=Request(body={"body": "Still there?"}),
        staff_expect=lambda body, world: (body["sender"], body["body"]) == ("agent", "Still there?"),
    ),
    ("POST", "/chats/{chatId}/close"): Case(
        "owner, staff",
        lambda body, world: (
            (body["chatId"], body["status"], body["rating"]) == (world.ids["chatId"], "closed", 5)
        ),
        request=Request(body={"rating": 5, "comment": "Thanks"}),
        needs=(chat,),
        invalid=_bad_body({"rating": 6}),
        staff_request=Request(body={"comment": "Solved"}),
        staff_expect=lambda body, world: (
            (body["status"], body["rating"], body["comment"]) == ("closed", None, "Solved")
        ),
    ),
    # ---- notifications
    ("GET", "/customers/{customerId}/notification-preferences"): Case(
        "self",
        lambda body, world: body["categories"]["marketing"] is False and body["channels"]["sms"] is False,
        invalid=_path_too_long(),
    ),
    ("PUT", "/customers/{customerId}/notification-preferences"): Case(
        "self",
        lambda body, world: body == PREFERENCES,
        request=Request(body=PREFERENCES),
        invalid=_bad_body({**PREFERENCES, "quietHours": {"start": "25:00", "end": "07:00"}}),
    ),
    ("GET", "/customers/{customerId}/notifications"): Case(
        "self",
        lambda body, world: (
            [(item["notificationId"], item["readAt"]) for item in _items(body)]
            == [(world.ids["notificationId"], None)]
        ),
        needs=(notification,),
        invalid=_bad_query(unreadOnly="maybe"),
    ),
    ("POST", "/customers/{customerId}/notifications/{notificationId}/read"): Case(
        "self",
        lambda body, world: body["notificationId"] == world.ids["notificationId"] and body["readAt"],
        request=Request(body={}),
        needs=(notification,),
        invalid=_bad_body(UNKNOWN_FIELD),
        resource=("notificationId", "/problems/notification-not-found"),
    ),
    # ---- security
    ("GET", "/customers/{customerId}/security"): Case(
        "self, staff",
        lambda body, world: (body["openAlerts"], body["twoFactorEnabled"]) == (1, False),
        needs=(alert,),
        invalid=_path_too_long(),
    ),
    ("GET", "/customers/{customerId}/security/alerts"): Case(
        "self, staff",
        lambda body, world: (
            [(item["alertId"], item["status"]) for item in _items(body)] == [(world.ids["alertId"], "open")]
        ),
        needs=(alert,),
        invalid=_bad_query(status="bogus"),
    ),
    ("POST", "/customers/{customerId}/security/alerts/{alertId}/resolution"): Case(
        "self, staff",
        lambda body, world: (body["alertId"], body["status"]) == (world.ids["alertId"], "resolved"),
        request=Request(body={"resolution": "legitimate"}),
        needs=(alert,),
        invalid=_bad_body({"resolution": "maybe"}),
        resource=("alertId", "/problems/alert-not-found"),
    ),
    ("POST", "/customers/{customerId}/security/reports"): Case(
        "self",
        lambda body, world: body["status"] == "open" and body["alertId"],
        status=201,
        request=Request(body=REPORT),
        invalid=_bad_body({**REPORT, "category": "bogus"}),
    ),
    ("GET", "/customers/{customerId}/security/events"): Case(
        "self, staff",
        lambda body, world: body["items"] == [] and body["nextCursor"] is None,
        invalid=_bad_query(limit="0"),
    ),
    ("POST", "/customers/{customerId}/security/events"): Case(
        "admins",
        lambda body, world: body["eventId"] and body["status"],
        status=202,
        request=Request(
            body={"type": "login", "ipAddress": "203.0.113.10", "deviceId": "ios-1", "country": "SA"}
        ),
        invalid=_bad_body({"type": "login", "ipAddress": "not-an-ip", "deviceId": "ios-1", "country": "SA"}),
    ),
    ("POST", "/customers/{customerId}/security/two-factor"): Case(
        "self",
        lambda body, world: body["secret"] and body["otpauthUri"].startswith("otpauth://totp/"),
        request=Request(body={"action": "enroll"}),
        invalid=_bad_body({"action": "verify", "code": "12"}),
    ),
    # ---- data rights
    ("GET", "/customers/{customerId}/data-export"): Case(
        "self, staff",
        lambda body, world: (
            (body["profile"]["customerId"], body["loyalty"]["account"]["pointsBalance"]) == (OWNER, 1000)
            and [entry["points"] for entry in body["loyalty"]["transactions"]] == [1000]
        ),
        needs=(points,),
        invalid=_path_too_long(),
    ),
    ("DELETE", "/customers/{customerId}"): Case(
        "self, admins",
        lambda body, world: body == {"customerId": OWNER, "status": "erasing"},
        status=202,
        invalid=_path_too_long(),
        staff_request=Request(path={"customerId": STRANGER}),
        staff_expect=lambda body, world: body == {"customerId": STRANGER, "status": "erasing"},
    ),
}


# ---- which checks apply to which route -----------------------------------------------------------

Route = tuple[str, str, str]  # logical id, method, path


def _routes() -> list[Route]:
    return [
        (function.logical_id, route.method, route.path)
        for function in template().functions()
        for route in function.routes
    ]


ROUTES = _routes()
POSTS = [route for route in ROUTES if route[1] == "POST"]
CHECKS = ("happy", "staff", "other customer", "no token", "invalid input")
POST_CHECKS = ("replay", "in flight", "5xx not recorded")


def _id(route: Route) -> str:
    return f"{route[1]} {route[2]}"


def _case(route: Route) -> Case:
    return CASES[(route[1], route[2])]


def _happy_caller(case: Case) -> dict[str, str]:
    return {"admins": ADMIN, "staff": AGENT}.get(case.access, claims(OWNER))


def _cell(route: Route, check: str) -> str:
    """What the check expects of the route, as the matrix prints it."""
    case = _case(route)
    if check in POST_CHECKS:
        return (
            {"replay": "same answer", "in flight": "409", "5xx not recorded": "runs again"}[check]
            if route[1] == "POST"
            else "-"
        )
    if check == "happy":
        return f"{case.status} {'anyone' if case.access == 'public' else _happy_caller(case)['sub']}"
    if check == "invalid input":
        return f"{case.invalid.status}, no write" if case.invalid else f"n/a ({case.no_input})"
    if check == "no token":
        return "same answer" if case.access == "public" else "401"
    if check == "staff":
        return {
            "self": "403 agent, admin",
            "self, admins": f"403 agent, {case.status} admin",
            "admins": "403 agent",
            "staff": "(happy)",
            "public": "(public)",
        }.get(case.access, f"{case.status} agent")
    # another customer
    if case.access in ("public", "signed-in"):
        return "same answer"
    if case.access in ("admins", "staff"):
        return "403 customer"
    if case.access == "owner, staff":
        return "404 owner's id"
    return "403 path" + (", 404 owner's id" if case.resource else "")


def test_every_route_of_the_template_has_a_case() -> None:
    assert {(method, path) for _, method, path in ROUTES} == set(CASES)
    assert len(ROUTES) == len(CASES)  # one function per route, no route twice
    routed = {logical_id for logical_id, _, _ in ROUTES}
    assert {function.logical_id for function in template().functions()} == routed | TRIGGERED
    assert not routed & TRIGGERED


def test_public_routes_are_exactly_the_public_ones() -> None:
    for function in template().functions():
        for route in function.routes:
            assert route.public == (CASES[(route.method, route.path)].access == "public"), route


def test_the_matrix_has_no_gap(capsys: pytest.CaptureFixture[str]) -> None:
    columns = CHECKS + POST_CHECKS
    rows = {_id(route): [_cell(route, check) for check in columns] for route in ROUTES}
    width = max(len(name) for name in rows)
    with capsys.disabled():
        print("\n" + " " * width + " | " + " | ".join(columns))
        for name, cells in rows.items():
            print(name.ljust(width) + " | " + " | ".join(cells))
    for name, cells in rows.items():
        assert all(cell != "n/a ()" for cell in cells), name  # every exemption says why
    exempt = [name for name, cells in rows.items() if cells[CHECKS.index("invalid input")].startswith("n/a")]
    assert exempt == [
        "GET /loyalty/tiers",
        "GET /loyalty/catalog",
        "GET /segments",
        "GET /support/categories",
    ]
    assert (len(ROUTES), len(POSTS)) == (65, 24)


# ---- the checks ----------------------------------------------------------------------------------


@pytest.fixture
def world(aws: Template, consume: Callable[[str], int]) -> World:
    return World(aws, consume)


def _set_up(world: World, case: Case) -> None:
    profile(world)
    for need in case.needs:
        need(world)


def _problem(reply: Reply, status: int, type_: str) -> None:
    assert (reply.status, reply.content_type) == (status, "application/problem+json"), reply.body
    assert (reply.body["status"], reply.body["type"]) == (status, type_), reply.body


def _happy(world: World, route: Route, reply: Reply) -> None:
    case = _case(route)
    assert reply.status == case.status, reply.body
    assert reply.content_type == "application/json"
    assert case.expect(reply.body, world), reply.body


def _send(world: World, route: Route, caller: dict[str, str], request: Request | None = None) -> Reply:
    logical_id, _, path = route
    return (request or _case(route).request).send(world, logical_id, path, caller)


def _other_customer(world: World, route: Route) -> None:
    case = _case(route)
    if case.access in ("public", "signed-in"):  # anyone may: the same answer as to OWNER
        _happy(world, route, _send(world, route, claims(STRANGER)))
        return
    if case.access == "admins":
        _problem(_send(world, route, claims(OWNER)), 403, PROBLEM["admins"])
        return
    if case.access == "staff":
        _problem(_send(world, route, claims(OWNER)), 403, PROBLEM["staff"])
        return
    if case.access == "owner, staff":  # OWNER's ticket or chat, which exists: hidden
        _problem(_send(world, route, claims(STRANGER)), 404, PROBLEM["hidden"])
        return
    _problem(_send(world, route, claims(STRANGER)), 403, PROBLEM["forbidden"])
    if case.resource is not None:  # OWNER's reward, alert or notification through the stranger's own path
        name, type_ = case.resource
        profile(world, STRANGER)
        request = replace(case.request, caller=claims(STRANGER), path={name: world.ids[name]})
        _problem(_send(world, route, claims(STRANGER), request), 404, type_)


def _staff(world: World, route: Route) -> None:
    case = _case(route)
    if case.access == "self":
        _problem(_send(world, route, AGENT), 403, PROBLEM["forbidden"])
        _problem(_send(world, route, ADMIN), 403, PROBLEM["forbidden"])
    elif case.access == "admins":
        _problem(_send(world, route, AGENT), 403, PROBLEM["admins"])
    elif case.access == "self, admins":  # admins act on another customer: OWNER's is the happy path's
        _problem(_send(world, route, AGENT), 403, PROBLEM["forbidden"])
        profile(world, STRANGER)
        request = case.staff_request or case.request
        reply = _send(world, route, ADMIN, request)
        assert (reply.status, reply.content_type) == (case.status, "application/json"), reply.body
        assert (case.staff_expect or case.expect)(reply.body, world), reply.body
    elif case.access in ("self, staff", "owner, staff", "signed-in"):
        _happy_by_staff(world, route)


def _happy_by_staff(world: World, route: Route) -> None:
    """Agents (and, for a read, admins too) get the answer OWNER gets."""
    case = _case(route)
    for staff in (AGENT, ADMIN) if route[1] == "GET" else (AGENT,):
        reply = _send(world, route, staff, case.staff_request)
        assert (reply.status, reply.content_type) == (case.status, "application/json"), reply.body
        assert (case.staff_expect or case.expect)(reply.body, world), reply.body


def _no_token(world: World, route: Route) -> None:
    reply = _send(world, route, NO_CLAIMS)
    if _case(route).access == "public":
        _happy(world, route, reply)
    else:
        _problem(reply, 401, PROBLEM["unauthenticated"])


def _invalid(world: World, route: Route) -> None:
    """The invalid request (its fields replace the valid one's): a 4xx, and no table changed. It is
    sent with a fresh Idempotency-Key, as clients do, so the idempotency table records the answer
    (API.md: a retry gets the first answer, whatever it was); no other table may change."""
    case = _case(route)
    assert case.invalid is not None
    bad, valid = case.invalid.request, case.request
    request = Request(
        body=bad.body if bad.body is not ... else valid.body,
        query=bad.query if bad.query is not None else valid.query,
        path=bad.path if bad.path is not None else valid.path,
        caller=bad.caller if bad.caller is not None else valid.caller,
    )
    before = world.counts()
    reply = _send(world, route, _happy_caller(case), request)
    _problem(reply, case.invalid.status, case.invalid.type)
    after = world.counts()
    assert after.pop("IdempotencyTable") - before.pop("IdempotencyTable") in (0, 1)
    assert after == before


def _writes(route: Route) -> bool:
    return route[1] != "GET"


@pytest.mark.parametrize("route", ROUTES, ids=_id)
def test_route(route: Route, world: World, subtests: Any) -> None:
    """The checks that must write nothing, then the happy path."""
    case = _case(route)
    _set_up(world, case)
    with subtests.test("no token"):
        _no_token(world, route)
    if case.invalid is not None:
        with subtests.test("invalid input"):
            _invalid(world, route)
    with subtests.test("other customer"):
        _other_customer(world, route)
    if case.access not in ("public", "staff") and not (
        _writes(route) and case.access in ("self, staff", "owner, staff", "signed-in")
    ):
        with subtests.test("staff"):
            _staff(world, route)
    with subtests.test("happy"):
        _happy(world, route, _send(world, route, _happy_caller(case)))


STAFF_WRITES = [
    route
    for route in ROUTES
    if _writes(route) and _case(route).access in ("self, staff", "owner, staff", "signed-in")
]


@pytest.mark.parametrize("route", STAFF_WRITES, ids=_id)
def test_staff_may_write(route: Route, world: World) -> None:
    _set_up(world, _case(route))
    _happy_by_staff(world, route)


def test_access_is_checked_before_input(world: World) -> None:
    profile(world)
    reply = invoke(
        "PutProfileFunction", path={"customerId": OWNER}, caller=claims(STRANGER), raw_body="{nope"
    )
    _problem(reply, 403, PROBLEM["forbidden"])


OWNER_ROUTES = [route for route in ROUTES if _case(route).access == "owner, staff"]
NOT_AN_OBJECT = "[1]"  # a body no route takes: 400 before any route reads it


def _invalid_inputs(route: Route) -> list[tuple[str, dict[str, Any]]]:
    """Invalid requests to an owner route, as `invoke` options: a body that is not an object, and
    the route's own invalid body or query (its invalid path is too long to be anybody's id)."""
    found: list[tuple[str, dict[str, Any]]] = [("not an object", {"raw_body": NOT_AN_OBJECT})]
    invalid = _case(route).invalid
    assert invalid is not None
    if invalid.request.body is not ...:
        found.append(("invalid body", {"body": invalid.request.body}))
    if route[1] == "GET" and "{chatId}" in route[2]:
        found.append(("invalid query", {"query": {"after": "not-a-message-id"}}))
    return found


@pytest.mark.parametrize("route", OWNER_ROUTES, ids=_id)
def test_someone_elses_id_is_404_before_the_input_is_read(route: Route, world: World) -> None:
    """API.md: access (404 for a ticket or chat the caller may not see) before input (400). The
    owner gets the 400 for the same request, so each request is invalid indeed; the stranger's
    404 is the one of a missing resource, and nothing is written, not even an idempotency record."""
    case = _case(route)
    _set_up(world, case)
    logical_id, method, path = route
    inputs = _invalid_inputs(route)
    assert len(inputs) >= (1 if method == "GET" and "{ticketId}" in path else 2)
    for name, options in inputs:
        for caller, expected in (
            (claims(STRANGER), (404, PROBLEM["hidden"])),
            (claims(OWNER), (400, PROBLEM["invalid"])),
        ):
            before = world.counts()
            reply = invoke(logical_id, path=world.path(path), caller=caller, **options)
            assert (reply.status, reply.body["type"]) == expected, (name, caller["sub"], reply.body)
            assert reply.content_type == "application/problem+json"
            if expected[0] == 404:
                assert world.counts() == before, name
    missing = {name: "no-such-id" for name in world.path(path) or {}}
    reply = invoke(logical_id, path=missing, caller=claims(STRANGER), raw_body=NOT_AN_OBJECT)
    assert (reply.status, reply.body["type"]) == (404, PROBLEM["hidden"])  # alike: nothing to tell apart


def test_an_id_longer_than_any_id_is_400_not_500(world: World) -> None:
    # DynamoDB refuses a key over 2 KiB: the write failed with a 500 before the edge bounded path ids
    customer_id = "c" * 3000
    reply = invoke(
        "PutProfileFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"displayName": "Layla", "email": "layla@example.com", "language": "en", "timezone": "UTC"},
    )
    _problem(reply, 400, PROBLEM["invalid"])
    assert reply.body["errors"] == [{"field": "customerId", "message": "at most 128 characters"}]
    assert "c" * (MAX_PATH_PARAMETER + 1) not in json.dumps(reply.body)  # the id is not echoed


PATH_ROUTES = [route for route in ROUTES if "{" in route[2]]


@pytest.mark.parametrize("route", PATH_ROUTES, ids=_id)
def test_every_path_id_longer_than_any_id_is_400_without_echoing_it(route: Route, world: World) -> None:
    """Each path parameter of each route, one at a time, one character too long: a 400 naming the
    parameter, without the id, and nothing written. Checked before any lookup: no resource needed."""
    case = _case(route)
    logical_id, _, path = route
    caller = _happy_caller(case)
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    for name in names:
        too_long = name[0].lower() * (MAX_PATH_PARAMETER + 1)
        given = {other: OWNER if other == "customerId" else "some-id" for other in names} | {name: too_long}
        # a customer's own path: access lets them in, whatever its length
        who = claims(too_long) if name == "customerId" and caller["sub"] == OWNER else caller
        before = world.counts()
        reply = invoke(logical_id, path=given, caller=who, raw_body="{}")
        _problem(reply, 400, PROBLEM["invalid"])
        assert reply.body["errors"] == [{"field": name, "message": "at most 128 characters"}]
        assert too_long not in json.dumps(reply.body)
        assert world.counts() == before, name


def _valid_body(world: World, case: Case) -> Any:
    body = case.request.body
    return body(world) if callable(body) else body


# ---- bodies the edge refuses before anything parses them ---------------------------------------

BODY_ROUTES = [route for route in ROUTES if route[1] != "GET"]
# Python's json recursed into a RecursionError (a 500) or raised a ValueError that is no
# JSONDecodeError (a 500 out of Powertools' parsing)
OVERSIZED_JSON = {
    "30,000 nested arrays": ("[" * 30_000, "nested at most 32 levels deep"),
    "10,000 nested objects": ('{"a":' * 10_000 + "1" + "}" * 10_000, "nested at most 32 levels deep"),
    "a 4,400-digit integer": ('{"amount": ' + "9" * 4_400 + "}", "numbers of at most 100 characters"),
}


@pytest.mark.parametrize("route", BODY_ROUTES, ids=_id)
def test_json_nested_too_deep_or_with_too_long_a_number_is_400_and_writes_nothing(
    route: Route, world: World
) -> None:
    case = _case(route)
    _set_up(world, case)
    logical_id, _, path = route
    for name, (body, message) in OVERSIZED_JSON.items():
        before = world.counts()
        reply = invoke(logical_id, path=world.path(path), caller=_happy_caller(case), raw_body=body)
        _problem(reply, 400, PROBLEM["invalid"])
        assert reply.body["errors"] == [{"field": "body", "message": message}], name
        assert world.counts() == before, name  # refused before the Idempotency-Key is even read


# ---- instants and dates from 1970 to before 2100 ------------------------------------------------

PURCHASES = ("POST", "/customers/{customerId}/purchases")
OUT_OF_RANGE: list[tuple[tuple[str, str], str, dict[str, Any], str]] = [
    # (route, where, change, field): near the years 1 and 9999 `astimezone` overflowed into a 500
    (PURCHASES, "body", {"occurredAt": "0001-01-01T00:00:00+01:00"}, "occurredAt"),
    (PURCHASES, "body", {"occurredAt": "9999-12-31T23:00:00-05:00"}, "occurredAt"),
    (PURCHASES, "body", {"occurredAt": "1969-12-31T23:59:59Z"}, "occurredAt"),
    (("GET", "/customers/{customerId}/purchases"), "query", {"from": "0001-01-01T00:00:00+01:00"}, "from"),
    (("GET", "/customers/{customerId}/purchases"), "query", {"to": "9999-12-31T23:00:00-05:00"}, "to"),
    (("GET", "/customers/{customerId}/purchases"), "query", {"to": "2100-01-01T00:00:00Z"}, "to"),
    (("POST", "/offers"), "body", {"validFrom": "1969-12-31T23:59:59Z"}, "validFrom"),
    (("POST", "/offers"), "body", {"validUntil": "2100-01-01T00:00:00Z"}, "validUntil"),
    (
        ("POST", "/customers/{customerId}/security/events"),
        "body",
        {"occurredAt": "0001-01-01T00:00:00+01:00"},
        "occurredAt",
    ),
    (
        ("POST", "/customers/{customerId}/security/events"),
        "body",
        {"occurredAt": "2100-01-01T00:00:00Z"},
        "occurredAt",
    ),
    (("POST", "/rewards/issuance"), "body", {"date": "9999-12-31"}, "date"),
    (("POST", "/rewards/issuance"), "body", {"date": "0001-01-01"}, "date"),
    (("POST", "/rewards/issuance"), "body", {"date": "1969-12-31"}, "date"),
    (("POST", "/rewards/issuance"), "body", {"date": "2100-01-01"}, "date"),
]


@pytest.mark.parametrize(
    ("key", "where", "change", "field"),
    OUT_OF_RANGE,
    ids=[f"{key[0]} {key[1]} {change}" for key, _, change, _ in OUT_OF_RANGE],
)
def test_an_instant_or_date_outside_1970_to_2100_is_400_naming_it(
    key: tuple[str, str], where: str, change: dict[str, str], field: str, world: World
) -> None:
    [route] = [route for route in ROUTES if route[1:] == key]
    case = _case(route)
    _set_up(world, case)
    logical_id, _, path = route
    body = {**_valid_body(world, case), **change} if where == "body" else _valid_body(world, case)
    query = change if where == "query" else case.request.query
    before = world.counts()
    reply = invoke(
        logical_id,
        path=world.path(path),
        caller=_happy_caller(case),
        body=body,
        query=query,
    )
    _problem(reply, 400, PROBLEM["invalid"])
    assert field in [error["field"] for error in reply.body["errors"]], reply.body
    after = world.counts()
    assert after.pop("IdempotencyTable") - before.pop("IdempotencyTable") in (0, 1)
    assert after == before


# ---- every POST: Idempotency-Key ----------------------------------------------------------------


def _post(world: World, route: Route, key: str) -> Reply:
    """The valid request by its rightful caller, with the Idempotency-Key `key`."""
    logical_id, _, path = route
    case = _case(route)
    return case.request.send(world, logical_id, path, _happy_caller(case), key)


@pytest.mark.parametrize("route", POSTS, ids=_id)
def test_a_replay_answers_the_first_answer_and_has_one_effect(route: Route, world: World) -> None:
    _set_up(world, _case(route))
    first = _post(world, route, "replay-1")
    _happy(world, route, first)
    after_first = world.counts()
    again = _post(world, route, "replay-1")
    assert (again.status, again.body) == (first.status, first.body)
    assert world.counts() == after_first


WRITES = {
    "dynamodb": {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"},
    "sqs": {"SendMessage", "SendMessageBatch"},
}


def _tables_written(operation: str, params: dict[str, Any]) -> set[str]:
    if operation == "TransactWriteItems":
        return {
            request["TableName"]
            for item in params.get("TransactItems", [])
            for request in item.values()
            if isinstance(request, dict) and "TableName" in request
        }
    return {params.get("TableName", "")}


@dataclass
class FirstEffect:
    """Finds the first write of a request to anything but the idempotency table (a domain table or
    a queue), on the thread `thread` if given."""

    thread: int | None = None
    seen: list[str] = field(default_factory=list)

    def matches(self, client: BaseClient, operation: str, params: dict[str, Any]) -> bool:
        if self.seen or (self.thread is not None and threading.get_ident() != self.thread):
            return False
        service = client.meta.service_model.service_name
        if operation not in WRITES.get(service, set()):
            return False
        if service == "dynamodb" and _tables_written(operation, params) <= {os.environ["IDEMPOTENCY_TABLE"]}:
            return False  # Powertools' record alone; an operation's outcome commits with its change
        self.seen.append(f"{service}.{operation}")
        return True


@pytest.fixture
def on_first_effect(monkeypatch: pytest.MonkeyPatch) -> Callable[[FirstEffect, Callable[[], None]], None]:
    """Runs `action` (block, or raise) when a request reaches its first effect."""

    def install(effect: FirstEffect, action: Callable[[], None]) -> None:
        original = BaseClient._make_api_call

        def make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            if effect.matches(client, operation, params):
                action()
            return original(client, operation, params)

        monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)

    return install


@pytest.mark.parametrize("route", POSTS, ids=_id)
def test_the_same_key_while_the_first_request_runs_is_409(
    route: Route, world: World, on_first_effect: Callable[[FirstEffect, Callable[[], None]], None]
) -> None:
    _set_up(world, _case(route))
    reached, release = threading.Event(), threading.Event()
    effect = FirstEffect()
    replies: list[Reply] = []

    def hold() -> None:
        reached.set()
        assert release.wait(timeout=30)

    def first() -> None:
        effect.thread = threading.get_ident()
        replies.append(_post(world, route, "in-flight-1"))

    on_first_effect(effect, hold)
    running = threading.Thread(target=first)
    running.start()
    try:
        assert reached.wait(timeout=30), "the first request made no write"
        _problem(_post(world, route, "in-flight-1"), 409, "/problems/idempotency-in-progress")
    finally:
        release.set()
        running.join(timeout=30)
    [reply] = replies
    _happy(world, route, reply)


@pytest.mark.parametrize("route", POSTS, ids=_id)
def test_a_5xx_is_not_recorded(
    route: Route, world: World, on_first_effect: Callable[[FirstEffect, Callable[[], None]], None]
) -> None:
    _set_up(world, _case(route))
    effect = FirstEffect()

    def fail() -> None:
        raise ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"}}, "write")

    on_first_effect(effect, fail)
    before = world.counts()
    failed = _post(world, route, "fails-once")
    assert effect.seen, "the request made no write"
    _problem(failed, 500, "/problems/internal-error")
    assert world.counts() == before  # the first write failed: nothing was written, no key recorded
    _happy(world, route, _post(world, route, "fails-once"))
