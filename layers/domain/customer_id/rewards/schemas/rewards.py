"""The rewards of `GET /customers/{id}/rewards`."""

from __future__ import annotations

from pydantic import Field

from customer_id.rewards.models import Occasion, RewardStatus
from customer_id.schemas import ApiModel, Timestamp


class RewardOutput(ApiModel):
    reward_id: str
    occasion: Occasion
    year: int
    points: int
    issued_at: Timestamp
    claim_by: Timestamp = Field(description="issuedAt + 30 days; after it the reward is expired")
    status: RewardStatus


class RewardList(ApiModel):
    items: list[RewardOutput]
