"""The answer of `GET /customers/{id}/segment/benefits`."""

from __future__ import annotations

from customer_id.schemas import ApiModel


class SegmentBenefit(ApiModel):
    benefit_id: str
    title: str
    description: str


class SegmentBenefitList(ApiModel):
    items: list[SegmentBenefit]
