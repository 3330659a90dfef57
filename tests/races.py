"""Races that really race: requests run in threads that all read before any of them writes.

`race(monkeypatch, call, call, ...)` runs the calls in threads. Each thread's first DynamoDB write
(outside the idempotency table: Powertools records the request there before the handler runs)
waits at a gate until every other thread has reached its own first write or finished. So every
request reads the state before any of them commits, and what decides the outcome is the writes'
conditions, as on sale day, not the order the threads happen to run in. Without a gate, threads
mostly run one after another and a missing condition goes unseen.

Only the first write of each thread is held: a retry reads again and commits freely.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from botocore.client import BaseClient

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
TIMEOUT = 30.0


def _tables(operation: str, params: dict[str, Any]) -> set[str]:
    if operation == "TransactWriteItems":
        return {
            request["TableName"]
            for item in params.get("TransactItems", [])
            for request in item.values()
            if isinstance(request, dict) and "TableName" in request
        }
    if operation == "BatchWriteItem":
        return set(params.get("RequestItems", {}))
    return {params.get("TableName", "")}


class Gate:
    """Holds each thread's first domain write until every party has written or finished."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self.settled: set[int] = set()
        self.held: set[int] = set()
        self.condition = threading.Condition()

    def arrive(self) -> None:
        me = threading.get_ident()
        with self.condition:
            if me in self.settled:
                return
            self.settled.add(me)
            self.held.add(me)
            self.condition.notify_all()
            if not self.condition.wait_for(lambda: len(self.settled) >= self.parties, TIMEOUT):
                raise TimeoutError("the racing requests never all reached their first write")

    def leave(self) -> None:
        with self.condition:
            self.settled.add(threading.get_ident())
            self.condition.notify_all()


def race[T](monkeypatch: pytest.MonkeyPatch, *calls: Callable[[], T]) -> list[T]:
    """The calls' results, in order, after running them so that all read before any writes.
    Fails if fewer than two of them reached a write (then nothing raced)."""
    gate = Gate(len(calls))
    idempotency = os.environ.get("IDEMPOTENCY_TABLE", "")
    original = BaseClient._make_api_call
    racing = set[int]()

    def make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if (
            threading.get_ident() in racing
            and client.meta.service_model.service_name == "dynamodb"
            and operation in WRITES
            and _tables(operation, params) - {idempotency}
        ):
            gate.arrive()
        return original(client, operation, params)

    def run(call: Callable[[], T]) -> T:
        racing.add(threading.get_ident())
        try:
            return call()
        finally:
            gate.leave()
            racing.discard(threading.get_ident())

    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def thread(index: int) -> None:
        try:
            results[index] = run(calls[index])
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    with monkeypatch.context() as patch:
        patch.setattr(BaseClient, "_make_api_call", make_api_call)
        threads = [threading.Thread(target=thread, args=(index,)) for index in range(len(calls))]
        for started in threads:
            started.start()
        for started in threads:
            started.join()
    if errors:
        raise errors[0]
    assert len(gate.held) >= 2, f"only {len(gate.held)} of {len(calls)} requests wrote: nothing raced"
    return results


def meanwhile[T](monkeypatch: pytest.MonkeyPatch, call: Callable[[], T], other: Callable[[], Any]) -> T:
    """`call`'s result, with `other` run after `call` has read and just before its first write
    (outside the idempotency table): a stale read, injected. `other` runs unhindered."""
    idempotency = os.environ.get("IDEMPOTENCY_TABLE", "")
    original = BaseClient._make_api_call
    pending = [other]

    def make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if (
            pending
            and client.meta.service_model.service_name == "dynamodb"
            and operation in WRITES
            and _tables(operation, params) - {idempotency}
        ):
            pending.pop()()
        return original(client, operation, params)

    with monkeypatch.context() as patch:
        patch.setattr(BaseClient, "_make_api_call", make_api_call)
        result = call()
    assert not pending, "the call never wrote: nothing ran in between"
    return result
