"""The customer's segment (`GET /customers/{id}/segment` and its recalculation). The benefits',
the definitions' and the stats' answers are in `benefits`, `definitions` and
`stats`: each route builds only its own models."""

from __future__ import annotations

from pydantic import Field

from customer_id.analytics.rfm import SegmentId
from customer_id.money import Money
from customer_id.schemas import ApiModel, Timestamp


class RfmScores(ApiModel):
    recency: int = Field(ge=1, le=5)
    frequency: int = Field(ge=1, le=5)
    monetary: int = Field(ge=1, le=5)


class SegmentMetrics(ApiModel):
    days_since_last_purchase: int | None
    purchases12m: int
    spend12m: Money


class RecalculationInput(ApiModel):
    """No fields: `{}` or an empty body."""


class SegmentOutput(ApiModel):
    segment_id: SegmentId
    name: str
    rfm: RfmScores
    assigned_at: Timestamp = Field(description="When the customer entered this segment")
    metrics: SegmentMetrics
