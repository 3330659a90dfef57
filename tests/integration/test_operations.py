"""Operations (customer_id/operations.py): a request with Idempotency-Key writes its answer as an
outcome with its change, and any re-execution answers with it. The routes are run through every
fault in tests/integration/test_fault_matrix.py; these tests hold the mechanism itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from customer_id import codes, db, operations, outbox, queues, request
from customer_id.errors import Conflict
from customer_id.idempotency import operation_of
from customer_id.request import Operation
from tests.races import race


@pytest.fixture(autouse=True)
def _no_operation_after() -> Iterator[None]:
    """These tests set the thread's request (and its operation) by hand: none is left behind for
    the next test on this thread, which would otherwise find itself inside an operation."""
    yield
    request.begin(request.Request(caller=None, accept_language=None))


class Answer(BaseModel):
    made: str


def _event(body: str) -> dict[str, object]:
    return {"httpMethod": "POST", "path": "/customers/c-1/things", "body": body}


def _within(operation: Operation | None) -> None:
    request.begin(request.Request(caller=None, accept_language=None, operation=operation))


def _make_thing(work: db.UnitOfWork) -> Answer:
    """A change that creates something new each time it runs: a message with a fresh id."""
    made = codes.new_id()
    queues.notify(work, made, "c-1", "loyalty", "tier_upgrade", tier="silver")
    return Answer(made=made)


def _run(operation: Operation | None) -> Answer:
    _within(operation)
    return operations.retry(_make_thing, answer=Answer)


def _messages() -> list[str]:
    return sorted(item.message_id for item in outbox.OutboxMessage.scan())


def test_an_operation_is_done_once_and_answered_alike() -> None:
    operation = operation_of("c-1", "k-1", _event('{"a": 1}'))
    first = _run(operation)
    again = _run(operation)
    assert again == first
    assert _messages() == [first.made]


def test_the_same_key_with_another_body_is_409_even_after_the_idempotency_record_is_gone() -> None:
    _run(operation_of("c-1", "k-2", _event('{"a": 1}')))
    with pytest.raises(Conflict) as refused:
        _run(operation_of("c-1", "k-2", _event('{"a": 2}')))
    assert refused.value.code == "idempotency_key_reused"
    assert len(_messages()) == 1


def test_the_same_body_spelled_otherwise_is_the_same_operation() -> None:
    first = _run(operation_of("c-1", "k-3", _event('{"a": 1, "b": 2}')))
    again = _run(operation_of("c-1", "k-3", _event('{ "b": 2, "a": 1 }')))
    assert again == first


def test_keys_are_scoped_to_the_caller_and_the_route() -> None:
    _run(operation_of("c-1", "k-4", _event("{}")))
    _run(operation_of("c-2", "k-4", _event("{}")))
    _run(operation_of("c-1", "k-4", {"httpMethod": "POST", "path": "/customers/c-1/others", "body": "{}"}))
    assert len(_messages()) == 3


def test_without_a_key_every_request_is_new() -> None:
    first, second = _run(None), _run(None)
    assert first != second
    assert operations.derive("thing") != operations.derive("thing")
    assert len(_messages()) == 2


def test_derived_ids_are_stable_per_operation_and_name() -> None:
    operation = operation_of("c-1", "k-5", _event("{}"))
    _within(operation)
    assert operations.derive("redemption") == operations.derive("redemption")
    assert operations.derive("redemption") != operations.derive("entry")
    _within(operation_of("c-1", "k-6", _event("{}")))
    other = operations.derive("redemption")
    _within(operation)
    assert operations.derive("redemption") != other


@pytest.mark.guard("operations:once")
def test_re_executions_racing_each_other_do_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both read "not done" and decide; the outcome's condition lets one commit, and the other
    answers with its answer."""
    operation = operation_of("c-1", "k-7", _event("{}"))
    first, second = race(monkeypatch, lambda: _run(operation), lambda: _run(operation))
    assert first == second
    assert _messages() == [first.made]
