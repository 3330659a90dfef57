"""The cursors' signing key as deployed: a secret the stack generates (template.yaml's
`CursorSigningSecret`, made on moto from its `GenerateSecretString` by local_stack/resources.py), its
ARN in the functions' environment and its value in none, read through Powertools Parameters once per
container; a cursor round-trips under it, and one sealed under another value is refused."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters

from customer_id import pagination
from local_stack.template import Template
from tests.harness import claims, invoke
from tests.integration.helpers import adjust, create_profile, problem

ME = "customer-cursor-secret"


def _page(**query: str) -> tuple[list[int], str | None]:
    """A page of two of my ledger's entries (their points), and the next page's cursor."""
    reply = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"limit": "2", **query},
    )
    assert reply.status == 200, reply.body
    return [entry["points"] for entry in reply.body["items"]], reply.body["nextCursor"]


def _new_container() -> None:
    """What a new execution environment starts from: nothing cached."""
    pagination._cipher.cache_clear()
    parameters.clear_caches()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The secrets read through Powertools Parameters, in order, from a new container on."""
    read: list[str] = []
    fetch = parameters.get_secret

    def counted(name: str, **options: object) -> object:
        read.append(name)
        return fetch(name)

    monkeypatch.setattr(parameters, "get_secret", counted)
    _new_container()
    yield read
    _new_container()


def test_the_key_is_the_generated_secret_read_once_via_powertools(aws: Template, reads: list[str]) -> None:
    arn = aws.names["CursorSigningSecret"]
    secrets = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"])
    value = secrets.get_secret_value(SecretId=arn)["SecretString"]
    assert len(value) == 64
    assert value.isalnum()  # GenerateSecretString: 64 characters, no punctuation
    assert os.environ["CURSOR_SECRET_ARN"] == arn
    assert [
        (function.logical_id, name)
        for function in aws.functions()
        for name, variable in function.environment.items()
        if value in variable
    ] == []

    create_profile(ME)
    for points in (1, 2, 3):
        adjust(ME, points)
    first, cursor = _page()
    assert first == [3, 2]
    assert cursor is not None
    assert _page(cursor=cursor) == ([1], None)
    assert reads == [arn]  # one read for the container's cursors, sealed and opened


def test_a_cursor_sealed_under_another_secret_value_is_refused(aws: Template, reads: list[str]) -> None:
    arn = aws.names["CursorSigningSecret"]
    secrets = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"])
    value = secrets.get_secret_value(SecretId=arn)["SecretString"]
    create_profile(ME)
    for points in (1, 2, 3):
        adjust(ME, points)
    _, cursor = _page()
    assert cursor is not None

    secrets.put_secret_value(SecretId=arn, SecretString="x" * 64)
    try:
        _new_container()
        refused = invoke(
            "ListLoyaltyTransactionsFunction",
            path={"customerId": ME},
            caller=claims(ME),
            query={"limit": "2", "cursor": cursor},
        )
        assert problem(refused) == (400, "/problems/invalid-cursor")
    finally:
        secrets.put_secret_value(SecretId=arn, SecretString=value)
    _new_container()
    assert _page(cursor=cursor) == ([1], None)  # the stack's own value opens it again
