"""Recording a purchase (`POST /customers/{id}/purchases`): the purchases workflow's input and answer.
A return's are in `returns`, the reads' in `purchases`, `summary`,
`spending` and `engagement`: each route builds only its own models."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from customer_id.analytics.fields import Category, Channel, positive
from customer_id.money import Amount, Currency
from customer_id.schemas import ApiModel, Instant


class PurchaseInput(ApiModel):
    order_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
    amount: Annotated[Amount, AfterValidator(positive)]
    currency: Currency
    category: Category | None = None
    channel: Channel
    occurred_at: Instant | None = Field(default=None, description="When the order was placed; default: now")


class PurchaseRecorded(ApiModel):
    purchase_id: str
    points_earned: int
    tier: str
