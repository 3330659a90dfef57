"""Shortcuts the integration tests share."""

from __future__ import annotations

from typing import Any

from tests.harness import Reply, claims, invoke

ADMIN = claims("admin-1", "admins")

# API.md's notification preferences for a customer who never set any
DEFAULT_PREFERENCES: dict[str, Any] = {
    "channels": {"email": True, "sms": False, "push": True, "inApp": True},
    "categories": {
        "loyalty": True,
        "offers": True,
        "rewards": True,
        "security": True,
        "support": True,
        "marketing": False,
    },
    "quietHours": None,
}

PROFILE = {
    "displayName": "Layla Hassan",
    "email": "layla@example.com",
    "language": "en",
    "timezone": "Asia/Riyadh",
}


def create_profile(customer_id: str, **fields: Any) -> Reply:
    reply = invoke(
        "PutProfileFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={**PROFILE, **fields},
    )
    assert reply.status == 200, reply.body
    return reply


def adjust(customer_id: str, points: int, reason: str = "test credit") -> Reply:
    return invoke(
        "CreateLoyaltyAdjustmentFunction",
        path={"customerId": customer_id},
        caller=ADMIN,
        body={"points": points, "reason": reason},
    )


def account(customer_id: str) -> dict[str, Any]:
    reply = invoke("GetLoyaltyAccountFunction", path={"customerId": customer_id}, caller=claims(customer_id))
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.body
    return body


def ledger(customer_id: str, **query: str) -> list[dict[str, Any]]:
    reply = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        query={"limit": "100", **query},
    )
    assert reply.status == 200, reply.body
    items: list[dict[str, Any]] = reply.body["items"]
    return items


def purchase(customer_id: str, order_id: str, amount: str, **fields: Any) -> Reply:
    """Record a purchase through the HTTP handler, as the order service would."""
    return invoke(
        "RecordPurchaseFunction",
        path={"customerId": customer_id},
        caller=ADMIN,
        body={"orderId": order_id, "amount": amount, "currency": "SAR", "channel": "web", **fields},
    )


def read(logical_id: str, customer_id: str, **query: str) -> Any:
    """GET a `/customers/{id}/...` route as the customer; the body of a 200."""
    reply = invoke(
        logical_id, path={"customerId": customer_id}, caller=claims(customer_id), query=query or None
    )
    assert reply.status == 200, reply.body
    return reply.body


def problem(reply: Reply) -> tuple[int, str]:
    """A problem+json reply's status and problem `type`, to compare with the expected pair: a 404
    for a missing item is not a route-not-found 404, a 409 not another conflict."""
    assert reply.content_type == "application/problem+json", (reply.status, reply.body)
    return reply.status, reply.body["type"]
