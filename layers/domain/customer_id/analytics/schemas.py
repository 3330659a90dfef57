from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from customer_id.money import Amount, Currency, Money
from customer_id.schemas import ApiModel, Instant, Timestamp

Channel = Literal["web", "mobile", "store"]
Category = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)
]


def _positive(value: object) -> object:
    if value == 0:
        raise ValueError("must be greater than 0")
    return value


class PurchaseInput(ApiModel):
    order_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
    amount: Annotated[Amount, AfterValidator(_positive)]
    currency: Currency
    category: Category | None = None
    channel: Channel
    occurred_at: Instant | None = Field(default=None, description="When the order was placed; default: now")


class PurchaseRecorded(ApiModel):
    purchase_id: str
    points_earned: int
    tier: str


class PurchaseOutput(ApiModel):
    purchase_id: str
    order_id: str
    amount: Money
    category: str | None
    channel: Channel
    occurred_at: Timestamp
    points_earned: int


class ReturnItem(ApiModel):
    return_id: str
    amount: Money
    points_reversed: int = Field(ge=0)
    reason: str | None
    created_at: Timestamp


class PurchaseDetail(PurchaseOutput):
    returned_amount: Money = Field(description="The returns' total so far; `amount` stays the original")
    returns: list[ReturnItem] = Field(description="Oldest first")


class ReturnInput(ApiModel):
    return_id: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=128),
        Field(description="The order service's id of the return: unique per customer (a used one: 409)"),
    ]
    amount: Annotated[
        Amount,
        AfterValidator(_positive),
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


class PurchasePage(ApiModel):
    items: list[PurchaseOutput]
    next_cursor: str | None


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


class EngagementOutput(ApiModel):
    offers_applied: int
    rewards_claimed: int
    tickets_opened: int
    chats_started: int
    notifications_read: int
    referrals_made: int
    engagement_score: int = Field(ge=0, le=100)
