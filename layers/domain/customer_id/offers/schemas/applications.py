"""Applying an offer to an order (`POST /customers/{id}/offers/{offerId}/applications`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from customer_id.money import Money
from customer_id.schemas import ApiModel


def _positive_money(value: Money) -> Money:
    if value.amount <= 0:
        raise ValueError("must be greater than 0")
    return value


class OfferApplicationInput(ApiModel):
    order_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)] = Field(
        description="An order takes a given offer once"
    )
    order_amount: Annotated[Money, AfterValidator(_positive_money)] = Field(
        description="The order's amount before the discount"
    )


class OfferApplicationOutput(ApiModel):
    application_id: str
    discount_amount: Money = Field(
        description="percent: orderAmount × discountValue / 100, capped at maxDiscount, rounded half-up "
        "to cents; fixed: discountValue, at most the order amount"
    )
    final_amount: Money = Field(description="orderAmount minus discountAmount")
