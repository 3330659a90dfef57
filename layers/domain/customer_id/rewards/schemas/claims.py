"""A reward's claim, `POST /customers/{id}/rewards/{rewardId}/claims`."""

from __future__ import annotations

from customer_id.rewards.models import RewardStatus
from customer_id.schemas import ApiModel


class RewardClaimInput(ApiModel):
    """No fields: `{}` or an empty body."""


class RewardClaimOutput(ApiModel):
    reward_id: str
    status: RewardStatus
    points_awarded: int
    transaction_id: str
