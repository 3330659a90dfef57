"""The segments table: the only code that reads or writes segment records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.update import Action

from customer_id import db, shards
from customer_id.db import customer_key
from customer_id.segments.models import (
    ASSIGNMENT_SK,
    SHARDS,
    STATS_SK,
    Assignment,
    SegmentAssignmentRecord,
    SegmentStatsRecord,
    review_shard,
    segment_key,
    shard_of,
    stats_key,
)


class AssignmentMoved(Exception):
    """The stored assignment changed since it was read: re-read and decide again."""


def assignment(customer_id: str) -> Assignment | None:
    try:
        record = SegmentAssignmentRecord.get(customer_key(customer_id), ASSIGNMENT_SK, consistent_read=True)
    except DoesNotExist:
        return None
    return Assignment(
        customer_id=record.customer_id,
        segment_id=record.segment_id,
        recency=int(record.recency),
        frequency=int(record.frequency),
        monetary=int(record.monetary),
        spend12m_cents=int(record.spend12m_cents),
        assigned_at=record.assigned_at,
        version=int(record.version),
    )


def write_assignment(
    work: db.UnitOfWork,
    new: Assignment,
    previous: Assignment | None,
    review_on: date | None,
    at: datetime,
) -> None:
    """Add to `work`: store `new` if the stored assignment is still `previous` (its commit raises
    `AssignmentMoved` if not), and move the segment counters with it: on the customer's shard, and
    only the counters that move (a customer who stays in a segment with the same spend writes none)."""
    condition = (
        SegmentAssignmentRecord.pk.does_not_exist()
        if previous is None
        else SegmentAssignmentRecord.version == previous.version
    )
    work.put(
        SegmentAssignmentRecord(
            pk=customer_key(new.customer_id),
            sk=ASSIGNMENT_SK,
            customer_id=new.customer_id,
            segment_id=new.segment_id,
            recency=new.recency,
            frequency=new.frequency,
            monetary=new.monetary,
            spend12m_cents=new.spend12m_cents,
            assigned_at=new.assigned_at,
            version=new.version,
            review_shard=review_shard(new.customer_id, review_on) if review_on else None,
        ),
        condition,
        fails_with=AssignmentMoved(),
    )
    moves: dict[str, tuple[int, int]] = {}
    if previous is not None:
        moves[previous.segment_id] = (-1, -previous.spend12m_cents)
    count, cents = moves.get(new.segment_id, (0, 0))
    moves[new.segment_id] = (count + 1, cents + new.spend12m_cents)
    shard = shard_of(new.customer_id)
    for segment_id, (count, cents) in moves.items():
        if count == 0 and cents == 0:
            continue  # nothing moved: no write (the same segment and spend, as on most refreshes)
        actions: list[Action] = [SegmentStatsRecord.updated_at.set(at)]
        if count:
            actions.append(SegmentStatsRecord.customer_count.add(count))
        if cents:
            actions.append(SegmentStatsRecord.spend12m_cents.add(cents))
        work.update(SegmentStatsRecord(pk=stats_key(segment_id, shard), sk=STATS_SK), actions)


def stats(segment_id: str) -> tuple[int, int, datetime | None]:
    """(customer count, total 12-month spend in cents, when the counters last moved): the sum of the
    shards (and of the counters from before sharding), in one BatchGetItem."""
    keys = [(segment_key(segment_id), STATS_SK)] + [
        (stats_key(segment_id, shard), STATS_SK) for shard in range(SHARDS)
    ]
    count = cents = 0
    updated_at: datetime | None = None
    for record in SegmentStatsRecord.batch_get(keys):
        count += int(record.customer_count or 0)
        cents += int(record.spend12m_cents or 0)
        if record.updated_at is not None and (updated_at is None or record.updated_at > updated_at):
            updated_at = record.updated_at
    return count, cents, updated_at


def due_for_review(day: date, shard: int) -> Iterator[str]:
    """The customer ids of one shard whose assignment asked to be looked at again on `day` (their
    local date), through the review index."""
    for record in SegmentAssignmentRecord.by_review_shard.query(shards.sharded(day.isoformat(), shard)):
        yield record.pk.removeprefix("CUSTOMER#")
