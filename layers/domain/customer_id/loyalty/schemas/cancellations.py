"""The cancellation route (`POST
/customers/{customerId}/loyalty/redemptions/{redemptionId}/cancellation`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from customer_id.schemas import ApiModel


class RedemptionCancellationInput(ApiModel):
    """No fields: `{}` or an empty body."""


class RedemptionCancellationOutput(ApiModel):
    redemption_id: str
    status: Literal["cancelled"] = Field(description="The voucher is void")
    points_refunded: int = Field(description="Every point the redemption spent")
    balance_after: int = Field(
        description="The balance after the cancellation: refunded points whose lot expired meanwhile "
        "are already written off (`expire` transactions after the refund)"
    )
    transaction_id: str = Field(
        description="The `refund` transaction (source: {kind: redemption, id: redemptionId})"
    )
