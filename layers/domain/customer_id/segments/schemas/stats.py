"""The answer of `GET /segments/{segmentId}/stats`."""

from __future__ import annotations

from pydantic import Field

from customer_id.analytics.rfm import SegmentId
from customer_id.money import Money
from customer_id.schemas import ApiModel, Timestamp


class SegmentStatsOutput(ApiModel):
    segment_id: SegmentId
    customer_count: int
    average_spend12m: Money = Field(description="As of each customer's latest assignment")
    updated_at: Timestamp | None = Field(description="When the counters last moved")
