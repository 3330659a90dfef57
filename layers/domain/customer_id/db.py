"""pynamodb plumbing shared by the repositories: table names and region bound on first use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

__all__ = ["ConditionFailed", "TransactWrite", "contended", "failed_keys", "page", "transaction"]

from customer_id.settings import require, settings


class TableName:
    """A `Meta.table_name` read from settings when pynamodb first needs it, not at import."""

    def __init__(self, setting: str) -> None:
        self.setting = setting

    def __get__(self, instance: object, owner: type | None = None) -> str:
        return require(getattr(settings(), self.setting), self.setting.upper())


class Region:
    def __get__(self, instance: object, owner: type | None = None) -> str:
        return settings().region


def page[M: Model](
    query: Callable[[int], Iterable[M]], limit: int, key_names: tuple[str, ...]
) -> tuple[list[M], dict[str, Any] | None]:
    """One page of a query and the key to resume after it, or None when nothing follows.

    Asks for one record more than the page holds, so that the last page says so.
    """
    records = list(query(limit + 1))
    if len(records) <= limit:
        return records, None
    records = records[:limit]
    serialized = records[-1].serialize()
    return records, {name: serialized[name] for name in key_names}


@cache
def _connection() -> Connection:
    return Connection(region=settings().region)


def transaction() -> TransactWrite:
    """A write transaction across the service's tables: all of its writes happen, or none."""
    return TransactWrite(connection=_connection())


class ConditionFailed(Exception):
    """Writes of a transaction whose conditions failed, as (table, pk, sk)."""

    def __init__(self, keys: set[tuple[str, str, str]]) -> None:
        super().__init__(f"conditions failed: {sorted(keys)}")
        self.keys = keys


def newest_first(
    query: Callable[..., Iterable[Any]],
    hash_key: str,
    condition: Any,
    limit: int,
    start_key: dict[str, Any] | None,
    key_names: tuple[str, ...],
) -> tuple[list[Any], dict[str, Any] | None]:
    """`page` over a model's or an index's `query`, newest (highest sort key) first."""
    return page(
        lambda count: query(
            hash_key, condition, scan_index_forward=False, limit=count, last_evaluated_key=start_key
        ),
        limit,
        key_names,
    )


def contended(error: TransactWriteError) -> bool:
    """DynamoDB cancelled the transaction because another one was touching the same items: nothing
    was written, and trying again is right. (moto never answers this; DynamoDB does under load.)"""
    return any(
        reason is not None and reason.code == "TransactionConflict" for reason in error.cancellation_reasons
    )


def failed_keys(transaction: TransactWrite, error: TransactWriteError) -> set[tuple[str, str, str]]:
    """The (table, pk, sk) of the transaction's writes whose condition failed.

    DynamoDB reports cancellation reasons by position in the request, which pynamodb orders as
    condition checks, deletes, puts, then updates, whatever order they were added in.
    """
    items = [
        *transaction._condition_check_items,
        *transaction._delete_items,
        *transaction._put_items,
        *transaction._update_items,
    ]
    failed = set()
    for item, reason in zip(items, error.cancellation_reasons, strict=False):
        if reason is not None and reason.code == "ConditionalCheckFailed":
            key = item.get("Key") or item["Item"]
            failed.add((item["TableName"], key["pk"]["S"], key["sk"]["S"]))
    return failed
