"""`GET /customers/{id}/segment/benefits`: what the customer's segment (for today) brings them."""

from __future__ import annotations

from customer_id.analytics import rfm
from customer_id.i18n import Language, text
from customer_id.segments import service
from customer_id.segments.schemas.benefits import SegmentBenefit, SegmentBenefitList


def benefits(customer_id: str, language: Language) -> SegmentBenefitList:
    segment_id = service.current(customer_id)[1].segment_id
    return SegmentBenefitList(
        items=[
            SegmentBenefit(
                benefit_id=key,
                title=text(f"segment_benefit.{key}.title", language),
                description=text(f"segment_benefit.{key}.description", language),
            )
            for key in rfm.segment(segment_id).benefits
        ]
    )
