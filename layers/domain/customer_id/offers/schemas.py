from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo, field_validator

from customer_id.analytics.rfm import SegmentId
from customer_id.loyalty.tiers import TierId
from customer_id.money import Amount, Currency, Money
from customer_id.schemas import ApiModel, Timestamp
from customer_id.schemas import Instant as IsoInstant

DiscountType = Literal["percent", "fixed"]
MAX_LIMIT = 1_000_000_000


def _utc_milliseconds(value: datetime) -> datetime:
    # stored and answered with millisecond precision, so what is compared is what is shown
    try:
        moment = value.astimezone(UTC)
    except OverflowError as error:  # e.g. 9999-12-31T23:00:00-05:00
        raise ValueError("must be a time between the years 1 and 9999 in UTC") from error
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _distinct[T](values: list[T]) -> list[T]:
    return list(dict.fromkeys(values))


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _positive_money(value: Money) -> Money:
    _positive(value.amount)
    return value


Instant = Annotated[IsoInstant, AfterValidator(_utc_milliseconds)]
PositiveAmount = Annotated[Amount, AfterValidator(_positive)]
UseLimit = Annotated[int, Field(strict=True, ge=1, le=MAX_LIMIT)]


class OfferTitle(ApiModel):
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    ar: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class OfferDescription(ApiModel):
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    ar: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


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


class OfferInput(ApiModel):
    title: OfferTitle
    description: OfferDescription
    discount_type: DiscountType
    discount_value: Amount = Field(
        description="percent: the percentage, more than 0 and at most 100; fixed: an amount above 0 in "
        "the deployment's currency"
    )
    currency: Currency | None = Field(default=None, description="If given, the deployment's currency")
    min_purchase: Amount | None = Field(
        default=None, description="The smallest order amount the offer applies to"
    )
    max_discount: PositiveAmount | None = Field(
        default=None, description="percent only: the largest discount one application gives"
    )
    targeting: OfferTargeting = Field(
        default_factory=OfferTargeting, description="Left out or `{}`: every customer"
    )
    valid_from: Instant = Field(description="Inclusive: the offer is active from this instant")
    valid_until: Instant = Field(description="After validFrom and in the future; the offer ends before it")
    per_customer_limit: UseLimit = Field(default=1, description="Applications per customer")
    total_limit: UseLimit | None = Field(default=None, description="Applications by all customers together")

    @field_validator("discount_value")
    @classmethod
    def _discount_in_range(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        if value <= 0:
            raise ValueError("must be greater than 0")
        if info.data.get("discount_type") == "percent" and value > 100:
            raise ValueError("a percentage must be at most 100")
        return value

    @field_validator("max_discount")
    @classmethod
    def _percent_only(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if value is not None and info.data.get("discount_type") == "fixed":
            raise ValueError("only a percent discount takes a maximum")
        return value

    @field_validator("valid_until")
    @classmethod
    def _after_valid_from(cls, value: datetime, info: ValidationInfo) -> datetime:
        valid_from = info.data.get("valid_from")
        if valid_from is not None and value <= valid_from:
            raise ValueError("must be after validFrom")
        return value


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


class OfferEligibility(ApiModel):
    eligible: bool = Field(
        description="Whether the customer may apply the offer now: it is active, its targeting matches "
        "and uses are left (minPurchase is checked per order)"
    )
    reason: str | None = Field(description="Why not, in the request language; null when eligible")


class OfferDetailOutput(CustomerOfferOutput):
    eligibility: OfferEligibility


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
