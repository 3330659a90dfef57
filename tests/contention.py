"""Contention mode: DynamoDB made to answer as it does under sale-day load, at the botocore client.

Serialized moto never cancels a transaction for contention nor throttles, so the code that handles
it would otherwise never run. Inside `contention(...)`, a share of the matching DynamoDB requests is
answered, before it reaches moto, with the error DynamoDB gives:

- `TransactionConflict`: `TransactionCanceledException` whose cancellation reasons name
  `TransactionConflict` (another transaction was touching the items);
- `ThrottlingError`: the same exception with `ThrottlingError` reasons (an item or partition over
  its throughput inside a transaction);
- `ThrottlingException`: a request throttled as a whole.

Nothing is written for an answered request, as on DynamoDB. The share is deterministic (every n-th
request, `every=`; the first n, `first=`) or drawn with a seeded generator (`share=`), so a test is
repeatable.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

TRANSACTION_REASONS = ("TransactionConflict", "ThrottlingError")


@dataclass
class Contention:
    reason: str
    operations: tuple[str, ...]
    every: int | None
    first: int | None
    share: float
    random: random.Random
    seen: int = 0
    answered: int = 0
    passed: int = 0
    log: list[str] = field(default_factory=list)

    def strikes(self) -> bool:
        self.seen += 1
        if self.first is not None:
            return self.seen <= self.first
        if self.every is not None:
            return self.seen % self.every == 0
        return self.random.random() < self.share

    def error(self, operation: str, params: dict[str, Any]) -> ClientError:
        if self.reason in TRANSACTION_REASONS and operation == "TransactWriteItems":
            items = params.get("TransactItems", [])
            response: dict[str, Any] = {
                "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
                "CancellationReasons": [
                    {"Code": self.reason, "Message": "injected"} if index == 0 else {"Code": "None"}
                    for index in range(len(items))
                ],
            }
        else:
            code = "ThrottlingException" if self.reason in TRANSACTION_REASONS else self.reason
            response = {"Error": {"Code": code, "Message": "Rate exceeded (injected)"}}
        return ClientError(response, operation)  # type: ignore[arg-type]


@contextmanager
def contention(
    monkeypatch: pytest.MonkeyPatch,
    reason: str = "TransactionConflict",
    *,
    operations: tuple[str, ...] = ("TransactWriteItems",),
    every: int | None = None,
    first: int | None = None,
    share: float = 0.5,
    seed: int = 7,
) -> Iterator[Contention]:
    """Answer a share of the DynamoDB `operations` with `reason` while the block runs."""
    state = Contention(reason, operations, every, first, share, random.Random(seed))  # noqa: S311 - not security
    original = BaseClient._make_api_call

    def make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if client.meta.service_model.service_name == "dynamodb" and operation in state.operations:
            if state.strikes():
                state.answered += 1
                state.log.append(operation)
                raise state.error(operation, params)
            state.passed += 1
        return original(client, operation, params)

    with monkeypatch.context() as patch:
        patch.setattr(BaseClient, "_make_api_call", make_api_call)
        yield state
