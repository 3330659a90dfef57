"""A customer's offers (`GET /customers/{id}/offers`): each as `CustomerOfferOutput`, which one
offer's detail (`detail`) extends."""

from __future__ import annotations

from pydantic import Field

from customer_id.offers.schemas.offer import OfferOutput
from customer_id.schemas import ApiModel


class CustomerOfferOutput(OfferOutput):
    remaining_uses: int = Field(
        description="What is left for this customer: the smaller of perCustomerLimit minus their uses "
        "and totalLimit minus everyone's uses"
    )


class CustomerOfferList(ApiModel):
    items: list[CustomerOfferOutput] = Field(
        description="The active offers (validFrom <= now < validUntil) the customer is eligible for and "
        "has uses left of; best value first: the discount each gives on the customer's average order "
        "value (100 before their first purchase; nothing below its minPurchase), ties by the earliest "
        "validUntil"
    )
