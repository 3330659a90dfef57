"""Integration tests: the template's functions invoked in-process on moto, with the tables, queues
and environment of `template.yaml` (provisioned exactly as the local stack does it).

Each test starts from the stack as provisioned with the demo content loaded. It is provisioned once
per process and restored before each test (`tests/integration/moto_state.py`); a test marked
`fresh_aws`, or every test with `--aws-per-test`, gets a stack provisioned for it alone instead."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local_stack.isolation import serialize_dynamodb
from local_stack.streams import StreamPoller
from local_stack.template import Template
from tests import harness
from tests.clock import frozen_clock, pytest_collection_modifyitems  # noqa: F401
from tests.integration.moto_state import SharedStack
from tests.moto_speed import quick_moto


def _per_test(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("aws_per_test"))


@pytest.fixture(scope="session")
def shared_stack() -> SharedStack:
    serialize_dynamodb()
    return SharedStack(os.environ["AWS_REGION"])


@pytest.fixture(scope="session", autouse=True)
def versions_published(shared_stack: SharedStack) -> None:
    """Every function initialized once before any test, as Lambda initializes a version when it is
    published: the API functions primed for their SnapStart snapshot (`runtime.load_module_hooked`),
    so every test runs on primed functions, as every cold start does once deployed."""
    shared_stack.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            shared_stack.fresh_test(patch)
            for function in harness.template().functions():
                harness.handler(function.logical_id)
    finally:
        shared_stack.stop()


@pytest.fixture(scope="module", autouse=True)
def moto_active(request: pytest.FixtureRequest, shared_stack: SharedStack) -> Iterator[None]:
    """moto answers while this module's tests run; other tiers in the same process meet botocore."""
    if _per_test(request):
        yield
        return
    shared_stack.start()
    try:
        with quick_moto():  # moto's cost per item touched (tests/moto_speed.py)
            yield
    finally:
        shared_stack.stop()


@pytest.fixture(autouse=True)
def aws(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, shared_stack: SharedStack
) -> Iterator[Template]:
    """The provisioned stack, in its demo state, and the functions' environment variables set."""
    if _per_test(request) or request.node.get_closest_marker("fresh_aws") is not None:
        with shared_stack.separate(monkeypatch) as stack:
            yield stack
        return
    yield shared_stack.fresh_test(monkeypatch)


@pytest.fixture
def relay(aws: Template) -> StreamPoller:
    """The outbox relay, run as the local stack runs it (real DynamoDB stream events from the outbox
    table's stream, partial batch failures honoured, no pause between retries): `relay.drain()`
    sends what the test's writes put in the outbox on to the queues."""
    from tests.harness import handler, template

    function = template().function("OutboxRelayFunction")
    source = function.streams[0]
    return StreamPoller(
        function,
        handler(function.logical_id),
        source,
        stream_arn=aws.attributes[(source.table, "StreamArn")],
        region=os.environ["AWS_REGION"],
        on_failure_url=aws.names[source.on_failure] if source.on_failure else None,
        retry_pause=0,
    )


@pytest.fixture
def fraud_signals(aws: Template, relay: StreamPoller) -> Any:
    """Reads the messages waiting on the fraud queue (bodies, decoded), once the outbox is relayed."""
    import json

    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    url = aws.names["FraudQueue"]

    def read() -> list[dict[str, Any]]:
        relay.drain()
        found = []
        while True:
            received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
            messages = received.get("Messages", [])
            if not messages:
                return found
            for message in messages:
                found.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    return read


@pytest.fixture
def queued_notifications(aws: Template, relay: StreamPoller) -> Any:
    """Reads the messages waiting on the notifications queue (bodies, decoded), once the outbox is
    relayed; `queued_notifications("tier_upgrade")`: those of one template."""
    import json

    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    url = aws.names["NotificationsQueue"]

    def read(template: str | None = None) -> list[dict[str, Any]]:
        relay.drain()
        found = []
        while True:
            received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
            messages = received.get("Messages", [])
            if not messages:
                return [body for body in found if template is None or body["template"] == template]
            for message in messages:
                found.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    return read


@pytest.fixture
def consume(aws: Template, relay: StreamPoller) -> Any:
    """Relays the outbox, then runs a queue's consumer function on what waits on the queue, exactly
    as the local stack's poller does (real SQS batch events, partial batch failures honoured), until
    the queue is empty."""
    from tests.harness import queue_poller

    def run(logical_id: str) -> int:
        poller = queue_poller(aws, logical_id)
        relay.drain()
        delivered = 0
        while (batch := poller.poll_once()) > 0:
            delivered += batch
        return delivered

    return run
