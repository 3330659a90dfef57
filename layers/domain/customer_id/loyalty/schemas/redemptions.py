"""The redemptions route (`POST /customers/{customerId}/loyalty/redemptions`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from customer_id.schemas import ApiModel


class RedemptionInput(ApiModel):
    item_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class RedemptionOutput(ApiModel):
    redemption_id: str
    transaction_id: str
    points_spent: int
    balance_after: int
    voucher_code: str
