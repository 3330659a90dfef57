"""Segment records: a customer's stored assignment (`CUSTOMER#<id>` / `SEGMENT`, with the day the
daily refresh should look again and the customer's shard, `reviewShard` = `<YYYY-MM-DD>#<shard>`
(`review_shard`), the key of the `byReviewShard` index that the refresh's units read, so that no
index partition takes every assignment due on a day) and per-segment counters, write-sharded:
`SEGMENT#<id>#<shard>` / `STATS`, one partition per shard, moved with ADD when an assignment moves
the customer's count or spend. A customer's moves all go to one shard (`shard_of`), so no item is
written by more than 1/SHARDS of a segment's traffic; a read sums the shards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from customer_id import db, shards

ASSIGNMENT_SK = "SEGMENT"
STATS_SK = "STATS"


SHARDS = 32  # a read is one BatchGetItem of them all (at most 100 keys)
REVIEW_SHARDS = 32  # the review index's shards per day: a day's reviews spread over 32 keys


def segment_key(segment_id: str) -> str:
    """The counters before they were sharded: still read (and summed), never written."""
    return f"SEGMENT#{segment_id}"


def shard_of(customer_id: str) -> int:
    """The customer's counter shard: stable across processes (not Python's salted `hash`)."""
    return shards.shard_of(customer_id, SHARDS)


def review_shard(customer_id: str, review_on: date) -> str:
    """The review index key of the customer's assignment due for review on `review_on` (the
    customer's local date)."""
    return shards.sharded(review_on.isoformat(), shards.shard_of(customer_id, REVIEW_SHARDS))


def stats_key(segment_id: str, shard: int) -> str:
    return f"SEGMENT#{segment_id}#{shard}"


@dataclass(frozen=True)
class Assignment:
    customer_id: str
    segment_id: str
    recency: int
    frequency: int
    monetary: int
    spend12m_cents: int
    assigned_at: datetime
    version: int


class AssignmentsByReviewShard(GlobalSecondaryIndex["SegmentAssignmentRecord"]):
    class Meta:
        index_name = "byReviewShard"
        projection = KeysOnlyProjection()

    review_shard = UnicodeAttribute(hash_key=True, attr_name="reviewShard")
    pk = UnicodeAttribute(range_key=True)


class _SegmentsModel(db.TableModel):
    Meta = db.meta("segments_table")


class SegmentAssignmentRecord(_SegmentsModel):
    customer_id = UnicodeAttribute()
    segment_id = UnicodeAttribute()
    recency = NumberAttribute()
    frequency = NumberAttribute()
    monetary = NumberAttribute()
    spend12m_cents = NumberAttribute()
    assigned_at = UTCDateTimeAttribute()
    version = NumberAttribute()
    # absent when time alone changes nothing any more (the assignment is then in no index partition)
    review_shard = UnicodeAttribute(null=True, attr_name="reviewShard")
    by_review_shard = AssignmentsByReviewShard()


class SegmentStatsRecord(_SegmentsModel):
    customer_count = NumberAttribute(default=0)
    spend12m_cents = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)
