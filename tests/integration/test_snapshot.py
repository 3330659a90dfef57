"""SnapStart: each API function primes itself before its snapshot with one request of its own route
that reaches no AWS service, and re-seeds what environments restored from one snapshot must not
share (`customer_id.snapshot`)."""

from __future__ import annotations

import random
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from snapshot_restore_py import get_after_restore, get_before_snapshot

from customer_id import snapshot
from local_stack.runtime import load_module
from local_stack.template import Function, Template
from tests import harness

API_FUNCTIONS = [function for function in harness.template().functions() if function.routes]


def _tables(stack: Template) -> dict[str, list[dict[str, Any]]]:
    client = boto3.client("dynamodb")
    return {
        name: sorted(
            (
                item
                for page in client.get_paginator("scan").paginate(TableName=name)
                for item in page["Items"]
            ),
            key=repr,
        )
        for name in client.list_tables()["TableNames"]
    }


def _hooks(function: Function) -> tuple[list[Any], list[Any]]:
    """The hooks a fresh load of the function's module registers (and leaves registered nowhere)."""
    before, after = get_before_snapshot(), get_after_restore()
    marks = len(before), len(after)
    load_module(function)
    hooks = before[marks[0] :], after[marks[1] :]
    del before[marks[0] :], after[marks[1] :]
    return hooks


def test_every_api_function_has_snapstart_and_registers_its_hooks() -> None:
    assert len(API_FUNCTIONS) >= 60
    for function in API_FUNCTIONS:
        assert function.snap_start, function.logical_id
        before, after = _hooks(function)
        assert [hook for hook, _, _ in before] == [snapshot.prime], function.logical_id
        assert [hook for hook, _, _ in after] == [snapshot.reseed], function.logical_id
    consumers = [function for function in harness.template().functions() if not function.routes]
    assert consumers
    assert not any(function.snap_start for function in consumers)


def test_priming_runs_each_route_against_the_stub_and_changes_nothing(aws: Template) -> None:
    before = _tables(aws)
    reached_aws = 0
    for function in API_FUNCTIONS:
        ((hook, args, kwargs),) = _hooks(function)[0]
        (primed,) = hook(*args, **kwargs)
        route = function.routes[0]
        assert (primed.method, primed.path) == (route.method, route.path)
        # routed past access, path, body and media checks to the route: the sample body validates
        # (a 400 after the route read its data is the domain's: a category the stub does not hold)
        assert primed.status is not None, primed
        assert primed.status not in (401, 403, 413, 415, 500), primed
        assert primed.status != 400 or primed.calls, (function.logical_id, primed)
        reached_aws += bool(primed.calls)
    assert _tables(aws) == before  # every call was answered by the stub: nothing read or written
    # the routes that keep data call DynamoDB (tiers and FAQ categories are code, the rest is stored)
    assert reached_aws >= len(API_FUNCTIONS) - 3


def test_calls_on_other_threads_are_not_stubbed_while_one_primes(aws: Template) -> None:
    import threading

    seen: list[int] = []
    with snapshot._stubbed_aws() as stub:
        worker = threading.Thread(
            target=lambda: seen.append(len(boto3.client("dynamodb").list_tables()["TableNames"]))
        )
        worker.start()
        worker.join()
    assert stub.calls == []
    assert seen[0] > 5  # moto answered the other thread


def test_a_restore_reseeds_random_and_reads_parameters_again(aws: Template) -> None:
    random.seed(1)
    snapshotted = [random.random() for _ in range(3)]  # noqa: S311 - the state, not security
    random.seed(1)  # two environments restored from one snapshot start from the same state
    snapshot.reseed()
    assert [random.random() for _ in range(3)] != snapshotted  # noqa: S311

    secrets = boto3.client("secretsmanager")
    arn = secrets.create_secret(Name="snapshot-test", SecretString="before")["ARN"]
    assert parameters.get_secret(arn) == "before"
    secrets.put_secret_value(SecretId=arn, SecretString="after")
    assert parameters.get_secret(arn) == "before"  # cached in the snapshot
    snapshot.reseed()
    assert parameters.get_secret(arn) == "after"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_priming_event_names_the_caller_and_the_path(method: str) -> None:
    event = snapshot.priming_event(method, "/customers/{customerId}/loyalty/redemptions")
    assert event["pathParameters"] == {"customerId": snapshot.PRIMING_CUSTOMER}
    assert event["path"] == f"/customers/{snapshot.PRIMING_CUSTOMER}/loyalty/redemptions"
    assert event["requestContext"]["authorizer"]["claims"]["sub"] == snapshot.PRIMING_CUSTOMER
    assert ("Idempotency-Key" in event["headers"]) is (method == "POST")
