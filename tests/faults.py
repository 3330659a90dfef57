"""Fault injection, step by step, for the fault matrix (tests/integration/test_fault_matrix.py).

A *step* is one write of the service's own data: a DynamoDB `TransactWriteItems` (a unit of work,
with its outbox items and its operation's outcome) or a single-item write, but not the idempotency
record Powertools keeps for a request or a message. Faults are injected at the botocore client, so
every layer above (the unit of work, the error mapping, Powertools, the batch processor) meets them
as it would meet DynamoDB's or SQS's own:

- `write_fails(k)`: the k-th write is refused (`InternalServerError`); nothing of it is written.
- `crash_after(k)`: the k-th write is done, then the process fails (an exception): a request answers
  500, a queue record is reported failed, a job stops.
- `timeout_after(k)`: the k-th write is done, then the invocation is cut short as a Lambda timeout
  cuts it (`LambdaTimeout`, a BaseException that no handler catches): an idempotency record stays
  "in progress" until it expires (`expire_in_progress`).
- `send_fails(n)`: the first n SQS sends fail (the relay's, when the outbox is relayed).
- `sent_twice()`: every SQS send is made twice (a duplicate delivery).

`Pipeline` delivers everything: the outbox relayed (the relay function on the outbox stream), the two
consumers run on their queues, a failed message made visible again at once (its visibility timeout
passed), until nothing moves; `reverse=True` hands each queue's messages over in reverse order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from customer_id.settings import settings
from local_stack.queues import QueuePoller
from local_stack.streams import StreamPoller
from local_stack.template import Template
from tests.harness import queue_poller

WRITES = frozenset({"TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"})


class LambdaTimeout(BaseException):
    """The invocation ran out of time: nothing after this point runs, no handler catches it."""


class InjectedCrash(RuntimeError):
    """The process failed right after a write."""


@dataclass
class Counter:
    writes: int = 0
    sends: int = 0
    struck: int = 0


def _is_step(client: BaseClient, operation: str, params: dict[str, Any]) -> bool:
    if client.meta.service_model.service_name != "dynamodb" or operation not in WRITES:
        return False
    # Powertools' own records (a request's or a message's idempotency) are not the service's data
    return operation == "TransactWriteItems" or params.get("TableName") != settings().idempotency_table


# What a fault counts and strikes: every step while it is set (None), or only those made while the
# named consumer runs (`Pipeline.running`): a consumer's fault is armed for that consumer alone.
ARMED_FOR: list[str | None] = [None]


@contextmanager
def armed_for(logical_id: str) -> Iterator[None]:
    ARMED_FOR.append(logical_id)
    try:
        yield
    finally:
        ARMED_FOR.pop()


RUNNING: list[str] = []


def _armed() -> bool:
    target = ARMED_FOR[-1]
    return target is None or (bool(RUNNING) and RUNNING[-1] == target)


@contextmanager
def _patched(monkeypatch: pytest.MonkeyPatch, call: Any) -> Iterator[Counter]:
    counter = Counter()
    original = BaseClient._make_api_call

    def make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if not _armed():
            return original(client, operation, params)
        return call(counter, original, client, operation, params)

    with monkeypatch.context() as patch:
        patch.setattr(BaseClient, "_make_api_call", make_api_call)
        yield counter


def count_writes(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Counts the steps while the block runs (`counter.writes`)."""

    def call(
        counter: Counter, original: Any, client: BaseClient, operation: str, params: dict[str, Any]
    ) -> Any:
        if _is_step(client, operation, params):
            counter.writes += 1
        return original(client, operation, params)

    return _patched(monkeypatch, call)


def write_fails(monkeypatch: pytest.MonkeyPatch, step: int) -> Any:
    def call(
        counter: Counter, original: Any, client: BaseClient, operation: str, params: dict[str, Any]
    ) -> Any:
        if _is_step(client, operation, params):
            counter.writes += 1
            if counter.writes == step:
                counter.struck += 1
                raise ClientError(
                    {"Error": {"Code": "InternalServerError", "Message": "injected: write refused"}},
                    operation,
                )
        return original(client, operation, params)

    return _patched(monkeypatch, call)


def _after(monkeypatch: pytest.MonkeyPatch, step: int, fault: type[BaseException]) -> Any:
    def call(
        counter: Counter, original: Any, client: BaseClient, operation: str, params: dict[str, Any]
    ) -> Any:
        result = original(client, operation, params)
        if _is_step(client, operation, params):
            counter.writes += 1
            if counter.writes == step:
                counter.struck += 1
                raise fault(f"injected after write {step} ({operation})")
        return result

    return _patched(monkeypatch, call)


def crash_after(monkeypatch: pytest.MonkeyPatch, step: int) -> Any:
    return _after(monkeypatch, step, InjectedCrash)


def timeout_after(monkeypatch: pytest.MonkeyPatch, step: int) -> Any:
    return _after(monkeypatch, step, LambdaTimeout)


def _is_send(client: BaseClient, operation: str, params: dict[str, Any]) -> bool:
    return (
        client.meta.service_model.service_name == "sqs"
        and operation == "SendMessage"
        and "DeadLetter" not in str(params.get("QueueUrl"))
    )


def send_fails(monkeypatch: pytest.MonkeyPatch, times: int) -> Any:
    def call(
        counter: Counter, original: Any, client: BaseClient, operation: str, params: dict[str, Any]
    ) -> Any:
        # a send to a dead-letter queue is Lambda's own (an on-failure destination), not the function's
        if _is_send(client, operation, params):
            counter.sends += 1
            if counter.sends <= times:
                counter.struck += 1
                raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "injected"}}, operation)
        return original(client, operation, params)

    return _patched(monkeypatch, call)


def sent_twice(monkeypatch: pytest.MonkeyPatch) -> Any:
    def call(
        counter: Counter, original: Any, client: BaseClient, operation: str, params: dict[str, Any]
    ) -> Any:
        if _is_send(client, operation, params):
            counter.sends += 1
            counter.struck += 1
            original(client, operation, params)
        return original(client, operation, params)

    return _patched(monkeypatch, call)


def expire_in_progress() -> int:
    """Let every "in progress" idempotency record expire, as it does once the Lambda that wrote it
    timed out; the number expired."""
    table = boto3.resource("dynamodb", region_name=os.environ["AWS_REGION"]).Table(
        settings().idempotency_table
    )
    expired = 0
    for item in table.scan()["Items"]:
        if item.get("status") == "INPROGRESS":
            table.update_item(
                Key={"id": item["id"]},
                UpdateExpression="SET in_progress_expiration = :past",
                ExpressionAttributeValues={":past": 0},
            )
            expired += 1
    return expired


# ---- delivery ---------------------------------------------------------------------------------


class RedeliveringPoller(QueuePoller):
    """A consumer's poller whose failed messages come back at once (their visibility timeout
    passed), optionally handing a queue's messages over newest first."""

    reverse = False

    def _collect(self) -> list[dict[str, Any]]:
        # no long polling: an empty queue answers at once (moto waits out WaitTimeSeconds for real)
        limit = 10_000 if self.reverse else self.source.batch_size
        messages: list[dict[str, Any]] = []
        while len(messages) < limit and (
            received := self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(10, limit - len(messages)),
                WaitTimeSeconds=0,
                AttributeNames=["All"],
            ).get("Messages", [])
        ):
            messages.extend(received)
        return messages[::-1] if self.reverse else messages

    on_redelivery: Callable[[], None] | None = None

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        super()._deliver(messages)
        waiting = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"]["ApproximateNumberOfMessagesNotVisible"]
        if int(waiting) and self.on_redelivery is not None:
            self.on_redelivery()  # the visibility timeout passes (a frozen clock moves on)
        for message in messages:  # done ones are deleted; the rest come back now
            with suppress(ClientError):  # deleted: it was done
                self.sqs.change_message_visibility(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )


JOBS = ("PointsExpiry", "RewardsIssuance", "SegmentRefresh")
CONSUMERS = (
    "FraudScorerFunction",
    "NotificationDispatcherFunction",
    "PointsExpiryWorkerFunction",
    "SpecialDateRewardsWorkerFunction",
    "SegmentRefreshWorkerFunction",
)
QUEUES = ("FraudQueue", "NotificationsQueue", *(f"{job}JobsQueue" for job in JOBS))
DEAD_LETTER_QUEUES = (
    "FraudDeadLetterQueue",
    "NotificationsDeadLetterQueue",
    "OutboxDeadLetterQueue",
    *(f"{job}JobsDeadLetterQueue" for job in JOBS),
)


def _running(logical_id: str, handle: Any) -> Any:
    def run(event: dict[str, Any], context: Any) -> Any:
        RUNNING.append(logical_id)
        try:
            return handle(event, context)
        finally:
            RUNNING.pop()

    return run


class Pipeline:
    def __init__(
        self,
        stack: Template,
        relay: StreamPoller,
        reverse: bool = False,
        on_redelivery: Callable[[], None] | None = None,
    ) -> None:
        self.stack = stack
        self.relay = relay
        self.pollers = []
        for logical_id in CONSUMERS:
            poller = queue_poller(stack, logical_id, RedeliveringPoller)
            poller.reverse = reverse
            poller.on_redelivery = on_redelivery
            poller.handler = _running(logical_id, poller.handler)
            self.pollers.append(poller)

    def deliver(self, rounds: int = 20, only: str | None = None) -> int:
        """Relay and consume (all consumers, or `only` one) until nothing moves; the messages
        handed to consumers."""
        delivered = 0
        for _ in range(rounds):
            moved = self.relay.drain()
            for poller in self.pollers:
                if only is not None and poller.function.logical_id != only:
                    continue
                while (batch := poller.poll_once()) > 0:
                    moved += batch
                    delivered += batch
            if moved == 0:
                return delivered
        raise AssertionError(f"still moving after {rounds} rounds")

    def depths(self) -> dict[str, int]:
        """Messages left on each queue and dead-letter queue (waiting or in flight)."""
        sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
        found = {}
        for logical_id in (*QUEUES, *DEAD_LETTER_QUEUES):
            attributes = sqs.get_queue_attributes(
                QueueUrl=self.stack.names[logical_id],
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            found[logical_id] = int(attributes["ApproximateNumberOfMessages"]) + int(
                attributes["ApproximateNumberOfMessagesNotVisible"]
            )
        return found
