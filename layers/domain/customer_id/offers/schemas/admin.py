"""Publishing an offer (`POST /offers`, admins): its input; the answer is `schemas.OfferOutput`."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo, field_validator

from customer_id.money import Amount, Currency
from customer_id.offers.schemas.offer import DiscountType, OfferTargeting
from customer_id.schemas import ApiModel
from customer_id.schemas import Instant as IsoInstant

MAX_LIMIT = 1_000_000_000


def _utc_milliseconds(value: datetime) -> datetime:
    # stored and answered with millisecond precision, so what is compared is what is shown
    try:
        moment = value.astimezone(UTC)
    except OverflowError as error:  # e.g. 9999-12-31T23:00:00-05:00
        raise ValueError("must be a time between the years 1 and 9999 in UTC") from error
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be greater than 0")
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
