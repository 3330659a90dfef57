"""Shortcuts the ticket and customer-support tests share."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import boto3
import pytest

from customer_id import db
from local_stack.streams import StreamPoller
from tests.harness import FRESH, Reply, claims, invoke

AGENT = claims("agent-1", "agents")
OTHER_AGENT = claims("agent-2", "agents")


def notifications(relay: StreamPoller) -> list[dict[str, Any]]:
    """The messages waiting on the notifications queue (bodies, decoded), taken off it, once the
    outbox is relayed (the `relay` fixture)."""
    relay.drain()
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    url = os.environ["NOTIFICATIONS_QUEUE_URL"]
    found: list[dict[str, Any]] = []
    while True:
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        messages = received.get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


# ---- faults: the request fails, and the client tries again with the same Idempotency-Key ----------


@contextmanager
def dying_after_the_commit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every unit of work commits, then the process dies: the change is stored, the answer lost (a
    500, which the idempotency record does not keep, or a timeout)."""
    real = db.UnitOfWork.commit

    def commit_then_die(self: db.UnitOfWork) -> None:
        real(self)
        raise RuntimeError("injected: the process died right after the commit")

    with monkeypatch.context() as patch:
        patch.setattr(db.UnitOfWork, "commit", commit_then_die)
        yield


@contextmanager
def failing_commit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every commit fails before it writes anything (DynamoDB answers with a server error)."""

    def fail(self: db.UnitOfWork) -> None:
        raise RuntimeError("injected: the commit failed")

    with monkeypatch.context() as patch:
        patch.setattr(db.UnitOfWork, "commit", fail)
        yield


Fault = Callable[[pytest.MonkeyPatch], AbstractContextManager[None]]
FAULTS: dict[str, Fault] = {"dies after the commit": dying_after_the_commit, "commit fails": failing_commit}


def engagement(customer_id: str) -> dict[str, Any]:
    reply = invoke("GetEngagementFunction", path={"customerId": customer_id}, caller=claims(customer_id))
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.body
    return body


def open_ticket(
    customer_id: str,
    headers: dict[str, str] | None = None,
    idempotency_key: str | None = FRESH,
    **fields: Any,
) -> Reply:
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
        idempotency_key=idempotency_key,
    )


def get_ticket(ticket_id: str, caller: dict[str, str]) -> Reply:
    return invoke("GetTicketFunction", path={"ticketId": ticket_id}, caller=caller)


def patch_ticket(ticket_id: str, caller: dict[str, str], **body: Any) -> Reply:
    return invoke("UpdateTicketFunction", path={"ticketId": ticket_id}, caller=caller, body=body)


def comment(
    ticket_id: str,
    caller: dict[str, str],
    text: str = "Any news?",
    idempotency_key: str | None = FRESH,
    **fields: Any,
) -> Reply:
    return invoke(
        "AddTicketCommentFunction",
        path={"ticketId": ticket_id},
        caller=caller,
        body={"body": text, **fields},
        idempotency_key=idempotency_key,
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


def post_message(
    chat_id: str, caller: dict[str, str], text: str = "Let me check.", idempotency_key: str | None = FRESH
) -> Reply:
    return invoke(
        "PostChatMessageFunction",
        path={"chatId": chat_id},
        caller=caller,
        body={"body": text},
        idempotency_key=idempotency_key,
    )


def close_chat(chat_id: str, caller: dict[str, str], body: Any = ...) -> Reply:
    return invoke("CloseChatFunction", path={"chatId": chat_id}, caller=caller, body=body)
