"""Requests that move value are idempotent by construction, not only by the idempotency record.

A POST that carries `Idempotency-Key` is an *operation*, whose id derives from (caller, method,
path, key) (`idempotency.operation_of`). The idempotency record (Powertools) replays a finished
request's answer, but it is deleted when the request fails with a 5xx and expires while a request
that died (a Lambda timeout, a crash after the commit) is still marked in progress; then the
client's retry runs the request again. So the change itself is written once:

- the ids of what the operation creates (a redemption, its ledger entry, a comment, a report's
  alert) derive from the operation (`derive`), so a re-execution creates the same items;
- its answer is written as an *outcome* item in the same unit of work as the change (`retry`),
  with a condition that no outcome exists for the operation. A re-execution finds the outcome
  before it decides anything, or, racing the first execution, fails on that condition: either way
  it answers with the first execution's answer (same status and body) and writes nothing.

The outcome also keeps a digest of the request body: the same key with another body is a 409
(`idempotency_key_reused`), as it is while the idempotency record lives. Outcomes are kept for
`KEEP` (longer than the idempotency record's 48 hours) in the idempotency table.

Without `Idempotency-Key` a request is not an operation: ids are random, and there is no outcome.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from pydantic import BaseModel
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from customer_id import clock, codes, db, request
from customer_id.errors import Conflict
from customer_id.request import Operation

KEEP = timedelta(days=7)


class OutcomeRecord(Model):
    """`id` = `outcome#<operation id>`; `body` is the answer's JSON."""

    Meta = db.meta("idempotency_table")

    id = UnicodeAttribute(hash_key=True)
    request_digest = UnicodeAttribute()
    body = UnicodeAttribute()
    expiration = NumberAttribute()  # the table's TTL attribute, epoch seconds


class _Replayed(Exception):
    """The operation's outcome exists: it was done by an earlier execution."""


def current() -> Operation | None:
    return request.current().operation


def derive(name: str) -> str:
    """The id of the thing called `name` that this request creates: derived from the operation, so
    that a re-execution creates the same one; random for a request without Idempotency-Key."""
    operation = current()
    if operation is None:
        return codes.new_id()
    return hashlib.sha256(f"{operation.id}|{name}".encode()).hexdigest()[:24]


def retry[M: BaseModel](
    attempt: Callable[[db.UnitOfWork], M],
    *,
    answer: type[M],
    retry_on: tuple[type[Exception], ...] = (),
    attempts: int = 5,
    busy: str = "busy",
) -> M:
    """`db.retry`, done once per operation: `attempt` returns the request's answer, which is
    committed with its writes as the operation's outcome. When the operation was done already, its
    first answer comes back and nothing is decided or written."""
    operation = current()
    if operation is None:
        return db.retry(attempt, retry_on=retry_on, attempts=attempts, busy=busy)

    def once(work: db.UnitOfWork) -> M:
        if _outcome(operation, answer) is not None:
            raise _Replayed
        result = attempt(work)
        work.put(
            OutcomeRecord(
                id=_key(operation),
                request_digest=operation.request_digest,
                body=result.model_dump_json(by_alias=True),
                expiration=int((clock.now() + KEEP).timestamp()),
            ),
            OutcomeRecord.id.does_not_exist(),
            fails_with=_Replayed(),
        )
        return result

    try:
        return db.retry(once, retry_on=retry_on, attempts=attempts, busy=busy)
    except _Replayed:
        done = _outcome(operation, answer)
        assert done is not None  # an outcome is never deleted before it expires
        return done


def replay[M: BaseModel](answer: type[M]) -> M | None:
    """The operation's first answer, when it was done already (None: not done, or no operation)."""
    operation = current()
    return None if operation is None else _outcome(operation, answer)


def _outcome[M: BaseModel](operation: Operation, answer: type[M]) -> M | None:
    try:
        record = OutcomeRecord.get(_key(operation), consistent_read=True)
    except OutcomeRecord.DoesNotExist:
        return None
    if record.request_digest != operation.request_digest:
        raise Conflict("idempotency_key_reused")
    return answer.model_validate_json(record.body)


def _key(operation: Operation) -> str:
    return f"outcome#{operation.id}"
