"""The answer of `GET /customers/{id}/analytics/spending`."""

from __future__ import annotations

from pydantic import Field

from customer_id.money import Money
from customer_id.schemas import ApiModel


class MonthSpend(ApiModel):
    month: str = Field(description="yyyy-mm, in the customer's timezone")
    amount: Money
    count: int


class CategorySpend(ApiModel):
    category: str | None
    amount: Money
    count: int


class SpendingOutput(ApiModel):
    months: list[MonthSpend]
    by_category: list[CategorySpend]
