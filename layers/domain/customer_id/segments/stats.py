"""`GET /segments/{segmentId}/stats` (admins): the segment's maintained counters, no per-customer
reads."""

from __future__ import annotations

from decimal import Decimal

from customer_id.analytics import rfm
from customer_id.errors import NotFound
from customer_id.money import from_cents, money, rounded
from customer_id.segments import repository
from customer_id.segments.schemas.stats import SegmentStatsOutput


def stats(segment_id: str) -> SegmentStatsOutput:
    if segment_id not in rfm.SEGMENT_IDS:
        raise NotFound("segment_not_found", segmentId=segment_id)
    count, cents, updated_at = repository.stats(segment_id)
    return SegmentStatsOutput(
        segment_id=segment_id,
        customer_count=count,
        average_spend12m=money(rounded(from_cents(cents) / count) if count else Decimal(0)),
        updated_at=updated_at,
    )
