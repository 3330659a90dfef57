"""`GET /customers/{id}/referral-rewards`: the referral bonuses a customer received."""

from __future__ import annotations

from customer_id.schemas import ApiModel, Timestamp


class ReferralRewardOutput(ApiModel):
    transaction_id: str
    referral_id: str
    points: int
    created_at: Timestamp


class ReferralRewardPage(ApiModel):
    items: list[ReferralRewardOutput]
    next_cursor: str | None
