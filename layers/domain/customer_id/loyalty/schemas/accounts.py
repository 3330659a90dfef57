"""The account route (`GET /customers/{customerId}/loyalty`)."""

from __future__ import annotations

from pydantic import Field

from customer_id.loyalty.tiers import TierId
from customer_id.schemas import ApiModel, Timestamp


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
