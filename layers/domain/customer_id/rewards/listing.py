"""`GET /customers/{id}/rewards`: a customer's rewards, newest first."""

from __future__ import annotations

from datetime import datetime

from customer_id import clock
from customer_id.profile.service import require_profile
from customer_id.rewards import repository
from customer_id.rewards.models import Reward, RewardStatus
from customer_id.rewards.schemas.rewards import RewardList, RewardOutput


def _reward_output(reward: Reward, now: datetime) -> RewardOutput:
    return RewardOutput(
        reward_id=reward.reward_id,
        occasion=reward.occasion,
        year=reward.year,
        points=reward.points,
        issued_at=reward.issued_at,
        claim_by=reward.claim_by,
        status=reward.status(now),
    )


def list_rewards(customer_id: str, status: RewardStatus | None) -> RewardList:
    """Newest first, optionally of one status."""
    rewards = repository.rewards(customer_id)
    if not rewards:
        require_profile(customer_id)
    now = clock.now()
    rewards.sort(key=lambda reward: (reward.issued_at, reward.reward_id), reverse=True)
    return RewardList(
        items=[
            _reward_output(reward, now)
            for reward in rewards
            if status is None or reward.status(now) == status
        ]
    )
