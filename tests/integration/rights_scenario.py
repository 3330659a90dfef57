"""A customer who used every feature of the service, for the data-rights tests (export, erasure)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import boto3

from tests.harness import claims, invoke
from tests.integration.helpers import ADMIN, create_profile, purchase
from tests.integration.support_helpers import AGENT

# What the customer is, wrote and used: none of it may be readable after the erasure.
NAME = "Zainab Qureshi"
EMAIL = "zainab.qureshi@example.org"
PHONE = "+966551230987"
IP = "198.51.100.77"
DEVICE = "android-zq-4411"
USER_AGENT = "ZainabPhone/9.1"
TEXTS = {
    "ticket subject": "Zainab parcel never arrived",
    "ticket description": "Zainab explains the courier lost the parcel",
    "ticket comment": "Zainab adds the tracking screenshot",
    "chat message": "Zainab asks about her refund",
    "chat follow-up": "Zainab says thanks for the help",
    "chat close comment": "Zainab rates the chat",
    "security report": "Zainab did not place this order",
}
INTERNAL_COMMENT = "Internal: agent suspects Zainab of abuse"
# The order service's ids of the customer's returns: a part of ZQ-ORDER-1, the whole of ZQ-ORDER-2.
RETURNS = {"partial": "ZQ-RETURN-1", "whole": "ZQ-RETURN-2"}


@dataclass
class Scenario:
    customer_id: str
    friend_id: str  # referred by the customer, qualified: the friend's payout must stand
    referrer_id: str  # referred the customer
    code: str
    ticket_id: str
    chat_id: str
    offer_id: str
    ids: dict[str, str] = field(default_factory=dict)

    def personal(self) -> list[str]:
        """Every string of the customer's personal data and texts."""
        return [NAME, EMAIL, PHONE, IP, DEVICE, USER_AGENT, *TEXTS.values()]


def _ok(reply: Any, *statuses: int) -> Any:
    assert reply.status in (statuses or (200, 201, 202)), (reply.status, reply.body)
    return reply.body


def build(consume: Any, customer_id: str = "erasable-1") -> Scenario:
    """The customer signs up, is referred, refers a friend, buys, redeems (and cancels a
    redemption), applies offers, sets dates and preferences, returns a part of one order and the
    whole of another (the reversals leave a debt; the whole return releases an offer), gets
    notified, opens a ticket and a chat, reports a problem, enrols in 2FA, signs in from a device:
    every feature holds something of theirs."""
    me = claims(customer_id)
    path = {"customerId": customer_id}
    referrer_id, friend_id = f"{customer_id}-referrer", f"{customer_id}-friend"

    create_profile(referrer_id, displayName="Omar Farouk", email="omar@example.com")
    referrer_code = _ok(
        invoke(
            "CreateReferralCodeFunction",
            path={"customerId": referrer_id},
            caller=claims(referrer_id),
            body={},
        )
    )["code"]
    create_profile(customer_id, displayName=NAME, email=EMAIL, phone=PHONE, country="SA", language="ar")
    _ok(invoke("ApplyReferralFunction", path=path, caller=me, body={"code": referrer_code}))
    code = _ok(invoke("CreateReferralCodeFunction", path=path, caller=me, body={}))["code"]
    create_profile(friend_id, displayName="Huda Saleh", email="huda@example.com")
    _ok(
        invoke(
            "ApplyReferralFunction",
            path={"customerId": friend_id},
            caller=claims(friend_id),
            body={"code": code},
        )
    )

    _ok(
        invoke(
            "RecordSecurityEventFunction",
            path=path,
            caller=ADMIN,
            body={
                "type": "login",
                "ipAddress": IP,
                "deviceId": DEVICE,
                "country": "SA",
                "userAgent": USER_AGENT,
            },
        )
    )
    partly_returned = _ok(purchase(customer_id, "ZQ-ORDER-1", "620.00", category="electronics"))["purchaseId"]
    wholly_returned = _ok(purchase(customer_id, "ZQ-ORDER-2", "80.00", category="books"))["purchaseId"]
    _ok(purchase(friend_id, "HS-ORDER-1", "75.00"))  # qualifies the friend's referral: pays the customer
    _ok(
        invoke(
            "CreateLoyaltyAdjustmentFunction",
            path=path,
            caller=ADMIN,
            body={"points": 300, "reason": "goodwill"},
        )
    )
    _ok(invoke("CreateLoyaltyRedemptionFunction", path=path, caller=me, body={"itemId": "coffee-voucher"}))
    cancelled = _ok(
        invoke("CreateLoyaltyRedemptionFunction", path=path, caller=me, body={"itemId": "coffee-voucher"})
    )
    _ok(
        invoke(
            "CancelLoyaltyRedemptionFunction",
            path={**path, "redemptionId": cancelled["redemptionId"]},
            caller=me,
            body={},
        )
    )

    offer = _ok(
        invoke(
            "CreateOfferFunction",
            caller=ADMIN,
            body={
                "title": {"en": "Five off", "ar": "خصم خمسة"},
                "description": {"en": "For everyone", "ar": "للجميع"},
                "discountType": "fixed",
                "discountValue": "5",
                "validFrom": "2026-01-01T00:00:00Z",
                "validUntil": "2030-01-01T00:00:00Z",
                "perCustomerLimit": 2,
                # the customer's two uses, one of them released by a full return, leave one: the
                # friend sees 1 left, before the erasure and after
                "totalLimit": 2,
            },
        )
    )
    offer_id = offer["offerId"]
    _ok(
        invoke(
            "ApplyOfferFunction",
            path={**path, "offerId": offer_id},
            caller=me,
            body={"orderId": "ZQ-ORDER-3", "orderAmount": {"amount": "40.00", "currency": "SAR"}},
        )
    )
    released = _ok(
        invoke(
            "ApplyOfferFunction",
            path={**path, "offerId": offer_id},
            caller=me,
            body={"orderId": "ZQ-ORDER-2", "orderAmount": {"amount": "80.00", "currency": "SAR"}},
        )
    )["applicationId"]
    _ok(
        invoke(
            "PutSpecialDatesFunction",
            path=path,
            caller=me,
            body={"birthday": {"month": 6, "day": 17, "year": 1990}},
        )
    )
    _ok(invoke("IssueRewardsFunction", caller=ADMIN, body={"date": "2026-06-17"}))
    rewards = _ok(invoke("ListRewardsFunction", path=path, caller=me))["items"]
    _ok(invoke("ClaimRewardFunction", path={**path, "rewardId": rewards[0]["rewardId"]}, caller=me, body={}))
    # the order service sends back part of one order and the whole of another, after an admin took
    # most of the balance: the reversals leave a debt, and the whole return releases the offer
    # applied to its order (the last credits are above: nothing repays the debt)
    balance = _ok(invoke("GetLoyaltyAccountFunction", path=path, caller=me))["pointsBalance"]
    _ok(
        invoke(
            "CreateLoyaltyAdjustmentFunction",
            path=path,
            caller=ADMIN,
            body={"points": 50 - balance, "reason": "correction"},
        )
    )
    _ok(
        invoke(
            "RecordReturnFunction",
            path={**path, "purchaseId": partly_returned},
            caller=ADMIN,
            body={"returnId": RETURNS["partial"], "amount": "200.00", "reason": "damaged in transit"},
        )
    )
    _ok(
        invoke(
            "RecordReturnFunction",
            path={**path, "purchaseId": wholly_returned},
            caller=ADMIN,
            body={"returnId": RETURNS["whole"], "amount": "80.00"},
        )
    )
    _ok(
        invoke(
            "PutNotificationPreferencesFunction",
            path=path,
            caller=me,
            body={
                "channels": {"email": True, "sms": True, "push": True, "inApp": True},
                "categories": {
                    "loyalty": True,
                    "offers": True,
                    "rewards": True,
                    "security": True,
                    "support": True,
                    "marketing": False,
                },
                "quietHours": None,
            },
        )
    )

    ticket = _ok(
        invoke(
            "CreateTicketFunction",
            path=path,
            caller=me,
            body={
                "subject": TEXTS["ticket subject"],
                "description": TEXTS["ticket description"],
                "categoryId": "orders",
                "priority": "high",
            },
        )
    )
    ticket_id = ticket["ticketId"]
    _ok(
        invoke(
            "AddTicketCommentFunction",
            path={"ticketId": ticket_id},
            caller=me,
            body={"body": TEXTS["ticket comment"]},
        )
    )
    _ok(
        invoke(
            "AddTicketCommentFunction",
            path={"ticketId": ticket_id},
            caller=AGENT,
            body={"body": INTERNAL_COMMENT, "internal": True},
        )
    )
    _ok(
        invoke(
            "AddTicketCommentFunction",
            path={"ticketId": ticket_id},
            caller=AGENT,
            body={"body": "We are on it."},
        )
    )
    chat = _ok(
        invoke(
            "StartChatFunction",
            path=path,
            caller=me,
            body={"categoryId": "orders", "message": TEXTS["chat message"]},
        )
    )
    chat_id = chat["chatId"]
    _ok(
        invoke(
            "PostChatMessageFunction", path={"chatId": chat_id}, caller=AGENT, body={"body": "Let me check."}
        )
    )
    _ok(
        invoke(
            "PostChatMessageFunction",
            path={"chatId": chat_id},
            caller=me,
            body={"body": TEXTS["chat follow-up"]},
        )
    )
    _ok(
        invoke(
            "CloseChatFunction",
            path={"chatId": chat_id},
            caller=me,
            body={"rating": 5, "comment": TEXTS["chat close comment"]},
        )
    )
    _ok(
        invoke(
            "ReportSecurityIssueFunction",
            path=path,
            caller=me,
            body={"category": "unrecognized_transaction", "description": TEXTS["security report"]},
        )
    )
    _ok(invoke("TwoFactorFunction", path=path, caller=me, body={"action": "enroll"}))
    _ok(invoke("FaqFeedbackFunction", path={"faqId": _first_faq()}, caller=me, body={"helpful": True}))
    _ok(invoke("RecalculateSegmentFunction", path=path, caller=ADMIN, body={}))

    for consumer in ("FraudScorerFunction", "NotificationDispatcherFunction"):
        consume(consumer)
    notes = _ok(invoke("ListNotificationsFunction", path=path, caller=me))["items"]
    assert notes, "the customer has an inbox"
    _ok(
        invoke(
            "ReadNotificationFunction",
            path={**path, "notificationId": notes[0]["notificationId"]},
            caller=me,
            body={},
        )
    )
    return Scenario(
        customer_id=customer_id,
        friend_id=friend_id,
        referrer_id=referrer_id,
        code=code,
        ticket_id=ticket_id,
        chat_id=chat_id,
        offer_id=offer_id,
        ids={
            "partly returned purchase": partly_returned,
            "wholly returned purchase": wholly_returned,
            "cancelled redemption": cancelled["redemptionId"],
            "cancelled voucher": cancelled["voucherCode"],
            "released application": released,
        },
    )


def _first_faq() -> str:
    items = _ok(invoke("ListFaqFunction", caller={}))["items"]
    return str(items[0]["faqId"])


def scan_tables() -> dict[str, list[dict[str, Any]]]:
    """Every item of every table of the stack, by table, in DynamoDB's attribute-value form."""
    client = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"])
    found: dict[str, list[dict[str, Any]]] = {}
    for table in client.list_tables()["TableNames"]:
        items: list[dict[str, Any]] = []
        for page in client.get_paginator("scan").paginate(TableName=table):
            items.extend(page["Items"])
        found[table] = items
    return found


def cognito_user(email: str = EMAIL) -> str:
    """A user of the stack's pool (as the customer signs up); its `sub`, the customer id."""
    cognito = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"])
    created = cognito.admin_create_user(
        UserPoolId=os.environ["USER_POOL_ID"],
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}],
        MessageAction="SUPPRESS",
    )
    attributes = {attribute["Name"]: attribute["Value"] for attribute in created["User"]["Attributes"]}
    return attributes["sub"]


def cognito_user_exists(customer_id: str) -> bool:
    cognito = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"])
    try:
        cognito.admin_get_user(UserPoolId=os.environ["USER_POOL_ID"], Username=customer_id)
    except cognito.exceptions.UserNotFoundException:
        return False
    return True
