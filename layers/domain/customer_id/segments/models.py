"""Segment records: a customer's stored assignment (`CUSTOMER#<id>` / `SEGMENT`, with the day the
daily refresh should look again, indexed by `byReviewDate`) and per-segment counters
(`SEGMENT#<id>` / `STATS`), moved with ADD whenever an assignment changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from customer_id import db

ASSIGNMENT_SK = "SEGMENT"
STATS_SK = "STATS"


def segment_key(segment_id: str) -> str:
    return f"SEGMENT#{segment_id}"


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


class AssignmentsByReviewDate(GlobalSecondaryIndex["SegmentAssignmentRecord"]):
    class Meta:
        index_name = "byReviewDate"
        projection = KeysOnlyProjection()

    review_on = UnicodeAttribute(hash_key=True, attr_name="reviewOn")
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
    review_on = UnicodeAttribute(null=True, attr_name="reviewOn")
    by_review_date = AssignmentsByReviewDate()


class SegmentStatsRecord(_SegmentsModel):
    customer_count = NumberAttribute(default=0)
    spend12m_cents = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)
