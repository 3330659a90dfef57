"""The purchase reads' answers (`GET /customers/{id}/purchases` and `…/purchases/{purchaseId}`)."""

from __future__ import annotations

from pydantic import Field

from customer_id.analytics.fields import Channel
from customer_id.money import Money
from customer_id.schemas import ApiModel, Timestamp


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


class PurchasePage(ApiModel):
    items: list[PurchaseOutput]
    next_cursor: str | None
