"""The storage kernel every repository shares: the tables' base model, the one customer key, the
one listing helper, and the unit of work through which every multi-item write commits.

Nothing here reads settings at import: table names and the region are read when pynamodb first
needs them (a request), so importing a handler has no side effect and tests may change settings.

The unit of work
----------------
A service decides a change, then asks each feature's repository to add its writes to one
`UnitOfWork` (`repository.save_x(work, ...)`), then commits it: all of the writes happen, or none.
Each conditional write names the error its failure means (`fails_with=`): a domain error that
answers the request (`Conflict("duplicate_order")`), or a feature's own signal such as "the
account moved since it was read, decide again". Committing maps DynamoDB's cancellation to the
error of the first failed write in the order the writes were added, and contention or throttling
to `Contended` (nothing was written; trying again is right). So services never import pynamodb,
and repositories never call back up into another feature.

Contention and throttling
-------------------------
`retry` tries a contended unit of work again with backoff; a single read or write is retried by
botocore (pynamodb's `max_retry_attempts`, standard mode: throttling codes with backoff). What is
still contended after that is `errors.Busy` (503 with `Retry-After`): `retry` raises it, and the
HTTP edge answers it for any error that `contended` recognises (a pynamodb `GetError`, `PutError`,
... whose cause is `ThrottlingException`, say), never a 500 nor a 409.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any, Literal, NamedTuple, cast

from botocore.exceptions import ClientError
from pynamodb.attributes import UnicodeAttribute
from pynamodb.connection import Connection, TableConnection
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import MetaProtocol, Model

from customer_id.errors import Busy
from customer_id.settings import require, settings

__all__ = [
    "MAX_TRANSACTION_ITEMS",
    "Contended",
    "TableModel",
    "UnitOfWork",
    "contended",
    "customer_key",
    "meta",
    "page",
    "retry",
]

MAX_TRANSACTION_ITEMS = 100
# Cancellation reasons that mean "another request was touching these items, or the table is over
# its throughput": nothing was written, and the same request may succeed on a later try.
RETRYABLE_REASONS = frozenset(
    {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"}
)
# Error codes of a whole request with the same meaning (the table, index or account over its
# throughput; an idempotent transaction with the same token still running).
RETRYABLE_CODES = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TransactionInProgressException",
    }
)


def customer_key(customer_id: str) -> str:
    """The partition of a customer's records, in every table that keys by customer."""
    return f"CUSTOMER#{customer_id}"


# ---- tables ----------------------------------------------------------------------------------


class TableName:
    """A `Meta.table_name` read from settings when pynamodb first needs it, not at import."""

    def __init__(self, setting: str) -> None:
        self.setting = setting

    def __get__(self, instance: object, owner: type | None = None) -> str:
        return require(getattr(settings(), self.setting), self.setting.upper())


class Region:
    """`Meta.region` from the environment, read on each use: pynamodb's model metaclass looks at it
    when a model class is created (at import), and that must not freeze the settings."""

    def __get__(self, instance: object, owner: type | None = None) -> str:
        return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def meta(setting: str) -> MetaProtocol:
    """The `Meta` of a table's base model: `Meta = db.meta("loyalty_table")`. (pynamodb reads it
    as a class; its protocol types it as an instance.)"""
    made: Any = type("Meta", (), {"table_name": TableName(setting), "region": Region()})
    return cast(MetaProtocol, made)


class TableModel(Model):
    """The base of every table's records: string `pk` and `sk`. Each table's base model adds its
    `Meta = db.meta("<setting>")`; its records subclass that."""

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)

    @classmethod
    def _get_connection(cls) -> TableConnection:
        """pynamodb's, sending through the one botocore client that transactions use: left to
        itself, pynamodb makes a session and a client for each record class, so that each class's
        first request loads DynamoDB's service model again (tens of ms of CPU, after a SnapStart
        restore as much as in a new container) and opens a connection pool of its own."""
        table = super()._get_connection()
        table.connection._client = _connection().client
        return table


# ---- listings --------------------------------------------------------------------------------


def page[M: Model](
    query: Callable[..., Iterable[M]],
    hash_key: str,
    condition: Condition | None,
    limit: int,
    start_key: dict[str, Any] | None,
    key_names: Sequence[str] = ("pk", "sk"),
    *,
    newest_first: bool = True,
    **options: Any,
) -> tuple[list[M], dict[str, Any] | None]:
    """One page of a model's or an index's `query`, and the key to resume after it (None when
    nothing follows). Newest (highest sort key) first unless told otherwise. Asks for one record
    more than the page holds, so that the last page says so."""
    records = list(
        query(
            hash_key,
            condition,
            scan_index_forward=not newest_first,
            limit=limit + 1,
            last_evaluated_key=start_key,
            **options,
        )
    )
    if len(records) <= limit:
        return records, None
    records = records[:limit]
    serialized = records[-1].serialize()
    return records, {name: serialized[name] for name in key_names}


# ---- the unit of work ------------------------------------------------------------------------


class Contended(Exception):
    """DynamoDB cancelled the writes because other requests were touching the same items, or it
    throttled them: nothing was written, and trying again (after a pause) is right."""


class ConditionFailed(Exception):
    """A conditional write failed and its unit of work named no error for it: a programming error
    (every condition that can fail in the normal course names its meaning)."""


Kind = Literal["check", "delete", "put", "update"]
# pynamodb's `Connection.transact_write_items` sends its four lists in this order, and DynamoDB
# answers with one cancellation reason per item in request order.
_REQUEST_ORDER: tuple[Kind, ...] = ("check", "delete", "put", "update")


class _Write(NamedTuple):
    kind: Kind
    request: dict[str, Any]
    fails_with: Exception | None
    position: int  # in the order the writes were added


class UnitOfWork:
    """The writes of one change, committed atomically (see the module's docstring)."""

    def __init__(self) -> None:
        self._writes: list[_Write] = []

    def __len__(self) -> int:
        return len(self._writes)

    def _add(self, kind: Kind, request: dict[str, Any], fails_with: Exception | None) -> None:
        self._writes.append(_Write(kind, request, fails_with, len(self._writes)))

    def put(
        self, record: Model, condition: Condition | None = None, *, fails_with: Exception | None = None
    ) -> None:
        self._add("put", record.get_save_kwargs_from_instance(condition=condition), fails_with)

    def update(
        self,
        record: Model,
        actions: list[Action],
        condition: Condition | None = None,
        *,
        fails_with: Exception | None = None,
    ) -> None:
        self._add(
            "update",
            record.get_update_kwargs_from_instance(actions=actions, condition=condition),
            fails_with,
        )

    def delete(
        self, record: Model, condition: Condition | None = None, *, fails_with: Exception | None = None
    ) -> None:
        self._add("delete", record.get_delete_kwargs_from_instance(condition=condition), fails_with)

    def check(
        self,
        model: type[Model],
        hash_key: str,
        range_key: str | None,
        condition: Condition,
        *,
        fails_with: Exception | None = None,
    ) -> None:
        """A condition on an item that the change does not write, checked at commit."""
        self._add(
            "check",
            model.get_operation_kwargs_from_class(hash_key, range_key=range_key, condition=condition),
            fails_with,
        )

    def commit(self) -> None:
        """All of the writes, or none: the error of the first failed write (as added) on a failed
        condition, `Contended` on contention or throttling."""
        if not self._writes:
            return
        if len(self._writes) > MAX_TRANSACTION_ITEMS:
            raise ValueError(f"{len(self._writes)} writes do not fit one transaction")
        ordered = sorted(self._writes, key=lambda write: (_REQUEST_ORDER.index(write.kind), write.position))
        by_kind: dict[Kind, list[dict[str, Any]]] = {kind: [] for kind in _REQUEST_ORDER}
        for write in ordered:
            by_kind[write.kind].append(write.request)
        try:
            _connection().transact_write_items(
                condition_check_items=by_kind["check"],
                delete_items=by_kind["delete"],
                put_items=by_kind["put"],
                update_items=by_kind["update"],
            )
        except TransactWriteError as error:
            meaning = _meaning(ordered, error)
            if meaning is None:
                raise
            raise meaning from error


def _meaning(ordered: list[_Write], error: TransactWriteError) -> Exception | None:
    reasons = error.cancellation_reasons or []
    codes = {reason.code for reason in reasons if reason is not None}
    if codes & RETRYABLE_REASONS or error.cause_response_code in RETRYABLE_CODES:
        return Contended(str(sorted(codes)))
    failed = [
        write
        for write, reason in zip(ordered, reasons, strict=False)
        if reason is not None and reason.code == "ConditionalCheckFailed"
    ]
    for write in sorted(failed, key=lambda write: write.position):
        if write.fails_with is not None:
            return write.fails_with
    if failed:
        return ConditionFailed([write.request.get("Key") or write.request.get("Item") for write in failed])
    return None


def retry[T](
    attempt: Callable[[UnitOfWork], T],
    *,
    retry_on: tuple[type[Exception], ...] = (),
    attempts: int = 5,
    busy: str = "busy",
) -> T:
    """Optimistic concurrency in one place: `attempt` reads what it needs, decides, and adds its
    writes to a fresh unit of work, which is then committed. When the commit says that what was
    read has moved (one of `retry_on`, the errors the writes' conditions name for that) or that
    DynamoDB is contended, nothing was written: pause (`_pause`) and decide again. A read of
    `attempt` that DynamoDB throttles (`contended`) is tried again alike.
    After `attempts` tries the request is answered `Busy` (503 with `Retry-After`) with the code
    `busy` (a feature may name its own). `attempt` returns what the caller answers with; any other
    error it raises, or that the commit names, ends the loop."""
    last: Exception | None = None
    for number in range(attempts):
        work = UnitOfWork()
        try:
            result = attempt(work)
        except PynamoDBException as error:
            if not contended(error):
                raise
            last = error
        else:
            try:
                work.commit()
            except (Contended, *retry_on) as error:  # type: ignore[misc]  # a tuple of exception classes
                last = error
            else:
                return result
        _pause(number)
    raise Busy(busy) from last


def contended(error: BaseException) -> bool:
    """Whether `error` means that DynamoDB was contended or throttled (nothing was written, the same
    request may succeed later): `Contended`, or a pynamodb or botocore error whose DynamoDB code, or
    a transaction's cancellation reason, says so, itself or as the cause it was raised from."""
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        seen.add(id(found))
        if isinstance(found, Contended) or _codes(found) & (RETRYABLE_CODES | RETRYABLE_REASONS):
            return True
        cause = found.cause if isinstance(found, PynamoDBException) else None
        found = cause if cause is not None else found.__cause__
    return False


def _codes(error: BaseException) -> set[str]:
    """The DynamoDB error code and cancellation reasons an error carries (botocore's `ClientError`,
    pynamodb's `VerboseClientError` and transaction errors)."""
    codes: set[str] = set()
    if isinstance(error, ClientError):
        response: dict[str, Any] = dict(error.response)
        codes.add(str(response.get("Error", {}).get("Code")))
        codes |= {str(reason.get("Code")) for reason in response.get("CancellationReasons") or []}
    reasons: Any = getattr(error, "cancellation_reasons", None) or []
    codes |= {str(reason.code) for reason in reasons if reason is not None}
    return codes


def _pause(attempt: int) -> None:
    """Exponential backoff with full jitter (5 ms doubling, capped at 160 ms), so that many writers
    of one item spread out and all get through instead of colliding again in step."""
    time.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 5)))  # noqa: S311 - jitter, not security


@cache
def _connection() -> Connection:
    return Connection(region=settings().region)
