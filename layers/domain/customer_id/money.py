"""Money: exact `Decimal` amounts in the deployment's one currency, written with two decimals,
rounded half-up. Input amounts may be JSON numbers or decimal strings."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

from customer_id.schemas import ApiModel
from customer_id.settings import settings

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("100000000")


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal) -> int:
    return int(rounded(value) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError("must be a decimal number or string, like 149.90")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValueError("must be a decimal number or string, like 149.90") from error
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValueError(f"must be between 0 and {MAX_AMOUNT}")
    if amount != amount.quantize(CENT):
        raise ValueError("must have at most two decimals")
    return amount.quantize(CENT)


def _currency(value: Any) -> str:
    expected = settings().currency
    if value != expected:
        raise ValueError(f"must be {expected}, the currency of this deployment")
    return expected


Amount = Annotated[
    Decimal, BeforeValidator(_amount), PlainSerializer(lambda value: f"{rounded(value):.2f}", return_type=str)
]
"""A non-negative amount with at most two decimals; written as a string with exactly two."""

Currency = Annotated[
    str, BeforeValidator(_currency), Field(description="The deployment's currency (ISO 4217)")
]


class Money(ApiModel):
    amount: Amount
    currency: Currency


def money(amount: Decimal) -> Money:
    return Money(amount=rounded(amount), currency=settings().currency)
