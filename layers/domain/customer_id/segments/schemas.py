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


class SegmentBenefit(ApiModel):
    benefit_id: str
    title: str
    description: str


class SegmentBenefitList(ApiModel):
    items: list[SegmentBenefit]


class SegmentDefinition(ApiModel):
    segment_id: SegmentId
    name: str
    description: str
    rule: str = Field(description="R, F and M are the 1-5 scores; see the thresholds in the API description")


class SegmentDefinitionList(ApiModel):
    items: list[SegmentDefinition]


class SegmentStatsOutput(ApiModel):
    segment_id: SegmentId
    customer_count: int
    average_spend12m: Money = Field(description="As of each customer's latest assignment")
    updated_at: Timestamp | None = Field(description="When the counters last moved")
