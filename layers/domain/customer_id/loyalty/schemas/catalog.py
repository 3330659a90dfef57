"""The catalog route (`GET /loyalty/catalog`)."""

from __future__ import annotations

from pydantic import Field

from customer_id.loyalty.tiers import TierId
from customer_id.schemas import ApiModel


class CatalogItemOutput(ApiModel):
    item_id: str
    name: str = Field(description="In the request language")
    points_cost: int
    min_tier: TierId


class CatalogList(ApiModel):
    items: list[CatalogItemOutput]
