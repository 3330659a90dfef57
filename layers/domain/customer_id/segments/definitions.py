"""`GET /segments` (admins): the segments and their rules (`analytics.rfm`)."""

from __future__ import annotations

from customer_id.analytics import rfm
from customer_id.i18n import Language, text
from customer_id.segments.schemas.definitions import SegmentDefinition, SegmentDefinitionList


def list_segments(language: Language) -> SegmentDefinitionList:
    return SegmentDefinitionList(
        items=[
            SegmentDefinition(
                segment_id=segment.segment_id,
                name=text(f"segment.{segment.segment_id}", language),
                description=text(f"segment.{segment.segment_id}.description", language),
                rule=segment.rule,
            )
            for segment in rfm.SEGMENTS
        ]
    )
