"""The customer's segment: `GET /customers/{id}/segment` (for the day it is read) and its
recalculation (stored now)."""

from __future__ import annotations

from customer_id.analytics import rfm
from customer_id.i18n import Language, text
from customer_id.money import money
from customer_id.segments import service
from customer_id.segments.models import Assignment
from customer_id.segments.schemas.segment import RfmScores, SegmentMetrics, SegmentOutput


def _output(inputs: rfm.Inputs, assignment: Assignment, language: Language) -> SegmentOutput:
    return SegmentOutput(
        segment_id=assignment.segment_id,
        name=text(f"segment.{assignment.segment_id}", language),
        rfm=RfmScores(
            recency=assignment.recency, frequency=assignment.frequency, monetary=assignment.monetary
        ),
        assigned_at=assignment.assigned_at,
        metrics=SegmentMetrics(
            days_since_last_purchase=inputs.days_since_last_purchase,
            purchases12m=inputs.purchases12m,
            spend12m=money(inputs.spend12m),
        ),
    )


def get_segment(customer_id: str, language: Language) -> SegmentOutput:
    """The segment for today, read-only: time may have moved it since the stored assignment."""
    return _output(*service.current(customer_id), language)


def recalculate(customer_id: str, language: Language) -> SegmentOutput:
    return _output(*service.reassign(customer_id), language)
