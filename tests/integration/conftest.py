"""Integration tests: the template's functions invoked in-process on moto, with the tables, queues
and environment of `template.yaml` (provisioned exactly as the local stack does it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local_stack import demo
from local_stack.isolation import serialize_dynamodb
from local_stack.resources import provision
from local_stack.runtime import shared_environment
from local_stack.template import Template
from tests.clock import frozen_clock, pytest_collection_modifyitems  # noqa: F401
from tests.harness import CURSOR_KEY


@pytest.fixture(autouse=True)
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Template]:
    serialize_dynamodb()
    with mock_aws():
        stack = Template(parameters={"CursorSigningKey": CURSOR_KEY}, region=os.environ["AWS_REGION"])
        provision(stack, os.environ["AWS_REGION"])
        for key, value in shared_environment(stack.functions()).items():
            monkeypatch.setenv(key, value)
        demo.load()
        yield stack


@pytest.fixture
def fraud_signals(aws: Template) -> Any:
    """Reads the messages waiting on the fraud queue (bodies, decoded)."""
    import json

    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    url = aws.names["FraudQueue"]

    def read() -> list[dict[str, Any]]:
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
def consume(aws: Template) -> Any:
    """Runs a queue's consumer function on what waits on the queue, exactly as the local stack's
    poller does (real SQS batch events, partial batch failures honoured), until the queue is empty."""
    from local_stack.queues import QueuePoller
    from tests.harness import handler, template

    def run(logical_id: str) -> int:
        function = template().function(logical_id)
        source = function.queues[0]
        poller = QueuePoller(
            function,
            handler(logical_id),
            source,
            queue_url=aws.names[source.queue],
            queue_arn=aws.attributes[(source.queue, "Arn")],
            region=os.environ["AWS_REGION"],
        )
        delivered = 0
        while (batch := poller.poll_once()) > 0:
            delivered += batch
        return delivered

    return run
