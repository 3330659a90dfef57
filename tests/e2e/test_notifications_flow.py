"""Notifications end to end: messages put on the local stack's NotificationsQueue are delivered by
the dispatcher (polled with real SQS batch events) into the inbox read over HTTP; a poison message
fails alone and ends in the dead-letter queue."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from tests.e2e.conftest import Stack

PROFILE = {
    "displayName": "Layla Hassan",
    "email": "layla@example.com",
    "language": "ar",
    "timezone": "Asia/Riyadh",
}
# the template's NotificationsQueue: VisibilityTimeout 60 s, maxReceiveCount 5
DEAD_LETTER_WAIT = 5 * 60 + 60


def _aws(stack: Stack, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=stack.outputs["AwsEndpointUrl"],
        region_name=stack.outputs["Region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _wait_for[T](check: Callable[[], T], seconds: float) -> T:
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def _notify(stack: Stack, message_id: str, customer_id: str, template: str, **params: Any) -> None:
    sqs = _aws(stack, "sqs")
    queue = sqs.get_queue_url(QueueName="NotificationsQueue")["QueueUrl"]
    body = {
        "messageId": message_id,
        "customerId": customer_id,
        "category": "rewards",
        "template": template,
        "params": params,
    }
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(body))


def _inbox(stack: Stack, customer: str, token: str, **query: str) -> list[dict[str, Any]]:
    reply = stack.call(
        "GET", f"/customers/{customer}/notifications", token, params=query, headers={"Accept-Language": "en"}
    )
    assert reply.status_code == 200, reply.text
    items: list[dict[str, Any]] = reply.json()["items"]
    return items


def _emails_sent(stack: Stack) -> int:
    return int(_aws(stack, "ses").get_send_quota()["SentLast24Hours"])


@pytest.fixture(scope="module")
def customer(stack: Stack) -> tuple[str, str]:
    customer_id, token = stack.sign_up("notified@example.com")
    reply = stack.call("PUT", f"/customers/{customer_id}/profile", token, json=PROFILE)
    assert reply.status_code == 200, reply.text
    return customer_id, token


def test_a_queued_notification_reaches_the_inbox(stack: Stack, customer: tuple[str, str]) -> None:
    customer_id, token = customer
    preferences = stack.call("GET", f"/customers/{customer_id}/notification-preferences", token)
    assert preferences.status_code == 200, preferences.text
    assert preferences.json()["channels"] == {"email": True, "sms": False, "push": True, "inApp": True}
    emails_before = _emails_sent(stack)

    _notify(stack, "e2e-payout-1", customer_id, "referral_payout", points=500)
    # the inbox item is written first, then the email is sent and its channel recorded: wait for both
    items = _wait_for(
        lambda: [item for item in _inbox(stack, customer_id, token) if len(item["channels"]) > 1], seconds=30
    )
    assert [item["title"] for item in items] == ["Referral reward"]
    assert items[0]["channels"] == ["email", "inApp"]
    assert _emails_sent(stack) == emails_before + 1
    arabic = stack.call("GET", f"/customers/{customer_id}/notifications", token).json()["items"]
    assert arabic[0]["title"] == "مكافأة الإحالة"  # no Accept-Language: the profile's language

    notification_id = items[0]["notificationId"]
    read = stack.call(
        "POST", f"/customers/{customer_id}/notifications/{notification_id}/read", token, json={}
    )
    assert read.status_code == 200, read.text
    assert read.json()["notificationId"] == notification_id
    assert _inbox(stack, customer_id, token, unreadOnly="true") == []
