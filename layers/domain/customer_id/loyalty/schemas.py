from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from customer_id.schemas import ApiModel, Timestamp

TransactionType = Literal["earn", "redeem", "expire", "adjust", "bonus", "reverse", "refund"]
TierId = Literal["bronze", "silver", "gold", "platinum"]


class TierOutput(ApiModel):
    tier_id: TierId
    name: str = Field(description="In the request language")
    min_points: int = Field(description="Lifetime points from which the tier applies")
    earn_multiplier: float
    benefits: list[str]


class TierList(ApiModel):
    items: list[TierOutput]


class CatalogItemOutput(ApiModel):
    item_id: str
    name: str = Field(description="In the request language")
    points_cost: int
    min_tier: TierId


class CatalogList(ApiModel):
    items: list[CatalogItemOutput]


class NextTier(ApiModel):
    tier_id: TierId
    points_needed: int


class ExpiringPoints(ApiModel):
    points: int
    expires_at: Timestamp


class LoyaltyAccountOutput(ApiModel):
    customer_id: str
    tier: TierId
    points_balance: int
    lifetime_points: int = Field(description="Sum of earn and bonus transactions")
    next_tier: NextTier | None
    expiring_points: list[ExpiringPoints] = Field(description="Points expiring in the next 30 days")
    redemption_hold: bool
    points_debt: int = Field(
        description="Points a return reversed that the balance could not cover (0 otherwise); later "
        "credits repay it before they add to the balance"
    )


class SourceOutput(ApiModel):
    kind: str
    id: str | None


class TransactionOutput(ApiModel):
    transaction_id: str
    type: TransactionType
    points: int = Field(description="Signed: negative for redeem, expire, reverse and negative adjustments")
    balance_after: int
    reason: str
    source: SourceOutput
    created_at: Timestamp


class TransactionPage(ApiModel):
    items: list[TransactionOutput]
    next_cursor: str | None


class AdjustmentInput(ApiModel):
    points: Annotated[int, Field(strict=True, ge=-1_000_000, le=1_000_000, description="Non-zero")]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

    @field_validator("points")
    @classmethod
    def _non_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("must not be zero")
        return value


class RedemptionInput(ApiModel):
    item_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class RedemptionOutput(ApiModel):
    redemption_id: str
    transaction_id: str
    points_spent: int
    balance_after: int
    voucher_code: str


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
