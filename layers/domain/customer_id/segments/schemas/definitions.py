"""The answer of `GET /segments`."""

from __future__ import annotations

from pydantic import Field

from customer_id.analytics.rfm import SegmentId
from customer_id.schemas import ApiModel


class SegmentDefinition(ApiModel):
    segment_id: SegmentId
    name: str
    description: str
    rule: str = Field(description="R, F and M are the 1-5 scores; see the thresholds in the API description")


class SegmentDefinitionList(ApiModel):
    items: list[SegmentDefinition]
