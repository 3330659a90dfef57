"""The local stack's queue pollers and schedules, on a probe template: real SQS batch events,
partial batch failures, redrive to the dead-letter queue, and schedules run on demand."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from local_stack.template import ROOT
from tests.e2e.conftest import Stack, start_stack, stop_stack

FIXTURE = Path(__file__).parent / "fixtures" / "template.yaml"


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("probe"), template=FIXTURE)
    yield running
    stop_stack(running)


def _aws(stack: Stack, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=stack.outputs["AwsEndpointUrl"],
        region_name=stack.outputs["Region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _wait_for[T](check: Callable[[], T], seconds: float = 30) -> T:
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def _probe_keys(stack: Stack) -> set[str]:
    items = stack.aws("dynamodb").scan(TableName="ProbeTable")["Items"]
    return {item["pk"]["S"] for item in items}


def test_messages_reach_the_consumer_and_poison_ends_in_the_dead_letter_queue(probe: Stack) -> None:
    sqs = _aws(probe, "sqs")
    queue = sqs.get_queue_url(QueueName="ProbeQueue")["QueueUrl"]
    dead_letters = sqs.get_queue_url(QueueName="ProbeDeadLetterQueue")["QueueUrl"]
    started = time.monotonic()
    for body in ("m1", "m2", "poison", "m3", "m4", "m5", "m6"):
        sqs.send_message(QueueUrl=queue, MessageBody=body)

    wanted = {f"message#m{number}" for number in range(1, 7)}
    assert _wait_for(lambda: wanted <= _probe_keys(probe)), _probe_keys(probe)
    assert time.monotonic() - started < 15

    def poison_in_dead_letters() -> list[str]:
        received = sqs.receive_message(QueueUrl=dead_letters, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        return [message["Body"] for message in received.get("Messages", [])]

    assert _wait_for(poison_in_dead_letters) == ["poison"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"
    assert not any(key.startswith("message#poison") for key in _probe_keys(probe))


def _cli(stack: Stack, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "local_stack", "--state-dir", str(stack.state_dir), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_schedules_run_on_demand(probe: Stack) -> None:
    listing = _cli(probe, "schedule", "--list")
    assert listing.returncode == 0
    assert "ProbeScheduleFunction.Nightly" in listing.stdout
    assert "cron(0 3 * * ? *)" in listing.stdout
    run = _cli(probe, "schedule", "ProbeScheduleFunction.Nightly")
    assert run.returncode == 0, run.stderr
    assert '"ticked": "2026-11-24"' in run.stdout
    assert "tick#2026-11-24" in _probe_keys(probe)
    unknown = _cli(probe, "schedule", "NoSuch.Schedule")
    assert unknown.returncode == 1
