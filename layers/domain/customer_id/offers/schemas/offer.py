"""An offer as every offer route answers it (`OfferOutput`, and the targeting it shows). The other
answers and inputs are in `admin` (publishing), `customer` (a customer's list),
`detail` (one offer for a customer) and `applications`: each route builds only its
own models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from customer_id.analytics.rfm import SegmentId
from customer_id.loyalty.tiers import TierId
from customer_id.money import Amount, Currency
from customer_id.schemas import ApiModel, Timestamp

DiscountType = Literal["percent", "fixed"]


def _distinct[T](values: list[T]) -> list[T]:
    return list(dict.fromkeys(values))


class OfferTargeting(ApiModel):
    """Who may use the offer: the criteria combine with AND, the values of one criterion with OR.
    A criterion left out (or null) does not restrict; no criteria at all means every customer."""

    segments: Annotated[list[SegmentId], Field(min_length=1), AfterValidator(_distinct)] | None = Field(
        default=None, description="The customer's current RFM segment is one of these"
    )
    tiers: Annotated[list[TierId], Field(min_length=1), AfterValidator(_distinct)] | None = Field(
        default=None, description="The customer's loyalty tier is one of these"
    )
    new_customers_only: bool = Field(
        default=False, description="Only customers with no purchase recorded yet"
    )


class OfferOutput(ApiModel):
    offer_id: str
    title: str = Field(description="In the request language")
    description: str = Field(description="In the request language")
    discount_type: DiscountType
    discount_value: Amount = Field(description="percent: the percentage; fixed: the amount")
    currency: Currency
    min_purchase: Amount | None
    max_discount: Amount | None = Field(description="percent only: the largest discount per application")
    targeting: OfferTargeting
    valid_from: Timestamp
    valid_until: Timestamp = Field(
        description="Exclusive: the offer is active while validFrom <= now < validUntil"
    )
    per_customer_limit: int
    total_limit: int | None
    created_at: Timestamp
