"""Recording a return (`POST /customers/{id}/purchases/{purchaseId}/returns`): the returns
workflow's input and answer."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from customer_id.analytics.fields import positive
from customer_id.money import Amount, Currency, Money
from customer_id.schemas import ApiModel


class ReturnInput(ApiModel):
    return_id: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=128),
        Field(description="The order service's id of the return: unique per customer (a used one: 409)"),
    ]
    amount: Annotated[
        Amount,
        AfterValidator(positive),
        Field(description="Greater than 0, at most what of the purchase is not returned yet (more: 409)"),
    ]
    currency: Currency | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None = (
        None
    )


class ReturnRecorded(ApiModel):
    return_id: str
    purchase_id: str
    amount: Money
    points_reversed: int = Field(
        ge=0,
        description="floor(pointsEarned x returned so far / amount) less what earlier returns reversed; "
        "once the whole purchase is returned, the rest of pointsEarned",
    )
    balance_after: int
    points_debt: int = Field(description="What the balance could not cover; later credits repay it first")
    tier: str
