"""The erasure mark: a customer who asked to be erased (`DELETE /customers/{id}`) is gone at once.

The mark is an item of the profile table, `CUSTOMER#<id>` / `ERASURE`, written in the unit of work
that queues the erasure's sweep (`workflows/erasure.py`), on the condition that it is new (a second
DELETE: 404). It holds no personal data (the id is the pseudonymous Cognito `sub`, and the time) and
stays after the sweep, so the id can never be used again (a stale ID token cannot re-create the
profile, a late message cannot re-open the customer through a route).

`http._dispatch` asks `ensure_not_erased` on every route whose path names a `customerId`, after the
access check (another customer still gets 403) and before anything else: one strongly consistent
GetItem of a key-only item (1 read unit, a few ms) per such request. So every
`/customers/{id}/...` route answers 404 from the moment the DELETE commits, whatever the sweep has
reached, with no route having to know about erasure.

This module also holds the sweep's one storage primitive (`clear_partition`): a customer's
partition is `db.customer_key(id)` in every table that keys by customer (`CUSTOMER_TABLES`)."""

from __future__ import annotations

import time
from datetime import datetime
from functools import cache
from typing import Any

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist

from customer_id import db
from customer_id.errors import NotFound
from customer_id.settings import require, settings

ERASURE_SK = "ERASURE"
# The tables with a `CUSTOMER#<id>` partition of the customer's own records (settings' names).
CUSTOMER_TABLES = (
    "profile_table",
    "loyalty_table",
    "analytics_table",
    "segments_table",
    "offers_table",
    "referrals_table",
    "rewards_table",
    "support_table",
    "notifications_table",
    "security_table",
)


class ErasureRecord(db.TableModel):
    Meta = db.meta("profile_table")
    requested_at = UTCDateTimeAttribute()
    requested_by = UnicodeAttribute()  # "self" or "admin": who asked, never the admin's id


class AlreadyErased(Exception):
    """The erasure mark exists: the customer is erased, or being erased."""


def is_erased(customer_id: str) -> bool:
    try:
        ErasureRecord.get(
            db.customer_key(customer_id), ERASURE_SK, consistent_read=True, attributes_to_get=["pk"]
        )
    except DoesNotExist:
        return False
    return True


def ensure_not_erased(customer_id: str) -> None:
    """404 for every route of an erased customer (see the module's docstring)."""
    if is_erased(customer_id):
        raise NotFound("customer_not_found", customerId=customer_id)


def mark(work: db.UnitOfWork, customer_id: str, at: datetime, requested_by: str) -> None:
    """Add the mark to `work`; its commit raises `NotFound` when the customer is already marked."""
    work.put(
        ErasureRecord(
            pk=db.customer_key(customer_id), sk=ERASURE_SK, requested_at=at, requested_by=requested_by
        ),
        ErasureRecord.pk.does_not_exist(),
        fails_with=NotFound("customer_not_found", customerId=customer_id),
    )


def clear_partition(table: str, customer_id: str, limit: int = 100) -> int:
    """Delete up to `limit` items of the customer's partition in `table` (a settings name), the
    erasure mark excepted; how many were deleted. Deleting what it reads, it needs no cursor: the
    next call starts from the beginning again and finds what is left (0 when nothing is)."""
    name = require(getattr(settings(), table), table.upper())
    client = _client()
    options: dict[str, Any] = {}
    while True:  # a page may hold nothing but the mark: then the next one
        answer = client.query(
            TableName=name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": db.customer_key(customer_id)}},
            ProjectionExpression="pk, sk",
            ConsistentRead=True,
            Limit=limit,
            **options,
        )
        found = [item for item in answer.get("Items", []) if item["sk"]["S"] != ERASURE_SK]
        if found or "LastEvaluatedKey" not in answer:
            break
        options = {"ExclusiveStartKey": answer["LastEvaluatedKey"]}
    for first in range(0, len(found), 25):  # BatchWriteItem takes 25 requests
        requests: list[Any] = [{"DeleteRequest": {"Key": item}} for item in found[first : first + 25]]
        for attempt in range(8):
            written = client.batch_write_item(RequestItems={name: requests})
            requests = written.get("UnprocessedItems", {}).get(name, [])
            if not requests:
                break
            time.sleep(0.05 * 2**attempt)  # throttled: DynamoDB hands back what it did not write
        if requests:
            raise db.Contended(f"{len(requests)} deletes of {table} left unprocessed")
    return len(found)


@cache
def _client() -> Any:
    return Connection(region=settings().region).client
