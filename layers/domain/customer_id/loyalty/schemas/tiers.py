"""The tiers route (`GET /loyalty/tiers`)."""

from __future__ import annotations

from pydantic import Field

from customer_id.loyalty.tiers import TierId
from customer_id.schemas import ApiModel


class TierOutput(ApiModel):
    tier_id: TierId
    name: str = Field(description="In the request language")
    min_points: int = Field(description="Lifetime points from which the tier applies")
    earn_multiplier: float
    benefits: list[str]


class TierList(ApiModel):
    items: list[TierOutput]
