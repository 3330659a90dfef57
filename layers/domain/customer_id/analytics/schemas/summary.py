"""The answer of `GET /customers/{id}/analytics/summary`."""

from __future__ import annotations

from pydantic import Field

from customer_id.money import Money
from customer_id.schemas import ApiModel, Timestamp


class AnalyticsSummary(ApiModel):
    lifetime_spend: Money
    purchase_count: int
    average_order_value: Money | None
    first_purchase_at: Timestamp | None
    last_purchase_at: Timestamp | None
    spend30d: Money
    spend12m: Money
    favorite_category: str | None = Field(
        description="The category with the most spend in this calendar month and the 11 before it"
    )
