"""Shortcuts the ticket and customer-support tests share."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

from local_stack.template import Template
from tests.harness import Reply, claims, invoke

AGENT = claims("agent-1", "agents")
OTHER_AGENT = claims("agent-2", "agents")


def notifications(stack: Template) -> list[dict[str, Any]]:
    """The messages waiting on the notifications queue (bodies, decoded), taken off it."""
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    url = stack.names["NotificationsQueue"]
    found = []
    while True:
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        messages = received.get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def engagement(customer_id: str) -> dict[str, Any]:
    reply = invoke("GetEngagementFunction", path={"customerId": customer_id}, caller=claims(customer_id))
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.body
    return body


def open_ticket(customer_id: str, headers: dict[str, str] | None = None, **fields: Any) -> Reply:
    body = {
        "subject": "My order arrived damaged",
        "description": "The box was crushed and the mug inside is broken.",
        "categoryId": "orders",
        "priority": "normal",
        **fields,
    }
    return invoke(
        "CreateTicketFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body=body,
        headers=headers,
    )


def get_ticket(ticket_id: str, caller: dict[str, str]) -> Reply:
    return invoke("GetTicketFunction", path={"ticketId": ticket_id}, caller=caller)


def patch_ticket(ticket_id: str, caller: dict[str, str], **body: Any) -> Reply:
    return invoke("UpdateTicketFunction", path={"ticketId": ticket_id}, caller=caller, body=body)


def comment(ticket_id: str, caller: dict[str, str], text: str = "Any news?", **fields: Any) -> Reply:
    return invoke(
        "AddTicketCommentFunction", path={"ticketId": ticket_id}, caller=caller, body={"body": text, **fields}
    )


def start_chat(customer_id: str, message: str = "Hello, where is my order?", **options: Any) -> Reply:
    return invoke(
        "StartChatFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"categoryId": "orders", "message": message},
        **options,
    )


def get_chat(chat_id: str, caller: dict[str, str], **query: str) -> Reply:
    return invoke("GetChatFunction", path={"chatId": chat_id}, caller=caller, query=query)


def post_message(chat_id: str, caller: dict[str, str], text: str = "Let me check.") -> Reply:
    return invoke("PostChatMessageFunction", path={"chatId": chat_id}, caller=caller, body={"body": text})


def close_chat(chat_id: str, caller: dict[str, str], body: Any = ...) -> Reply:
    return invoke("CloseChatFunction", path={"chatId": chat_id}, caller=caller, body=body)
