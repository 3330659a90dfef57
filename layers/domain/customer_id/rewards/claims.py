"""`POST /customers/{id}/rewards/{rewardId}/claims`: a claim credits the reward's points through the
loyalty ledger exactly once."""

from __future__ import annotations

import re
from datetime import datetime

from customer_id import clock, db, operations
from customer_id.analytics import engagement
from customer_id.errors import Conflict, NotFound
from customer_id.loyalty import ledger as loyalty
from customer_id.loyalty.models import Source
from customer_id.loyalty.repository import StaleAccount
from customer_id.profile.service import require_profile
from customer_id.rewards import repository
from customer_id.rewards.models import Reward
from customer_id.rewards.schemas.claims import RewardClaimOutput

_REWARD_ID = re.compile(r"[0-9]{4}-(birthday|anniversary)")


def _ensure_claimable(reward: Reward, now: datetime) -> None:
    status = reward.status(now)
    if status == "claimed":
        raise Conflict("reward_already_claimed", rewardId=reward.reward_id)
    if status == "expired":
        raise Conflict("reward_expired", rewardId=reward.reward_id, claimBy=clock.iso(reward.claim_by))


def claim(customer_id: str, reward_id: str) -> RewardClaimOutput:
    """Credit the reward's points as a `bonus`, in the same unit of work that marks it claimed: the
    reward's condition (still available, still in time) lets exactly one claim through. A claim
    that raises the tier announces it in that unit of work (`loyalty.stage`). With
    `Idempotency-Key` the entry's id derives from the operation, and a re-execution answers with
    the first claim (not 409 already claimed)."""
    reward = repository.reward(customer_id, reward_id) if _REWARD_ID.fullmatch(reward_id) else None
    if reward is None:
        require_profile(customer_id)
        raise NotFound("reward_not_found", rewardId=reward_id)
    replayed = operations.replay(RewardClaimOutput)
    if replayed is not None:
        return replayed
    now = clock.now()  # one moment: claimable now is what the reward's condition checks at commit
    _ensure_claimable(reward, now)
    transaction_id = operations.derive("transaction")

    def attempt(work: db.UnitOfWork) -> RewardClaimOutput:
        change = loyalty.plan_bonus(
            loyalty.require_account(customer_id),
            reward.points,
            f"{reward.occasion} reward {reward.year}",
            Source("reward", reward.reward_id),
            now,
            transaction_id,
        )
        entry = change.entries[-1]
        # the reward's write first: a claim committed meanwhile is answered 409 before the account's
        # having moved (which that claim did too) would make this one decide again
        repository.claim(work, reward, entry.transaction_id, entry.created_at)
        loyalty.stage(work, change)
        engagement.count_engagement(work, customer_id, "rewards_claimed")
        return RewardClaimOutput(
            reward_id=reward.reward_id,
            status="claimed",
            points_awarded=entry.points,
            transaction_id=entry.transaction_id,
        )

    try:
        return operations.retry(
            attempt, answer=RewardClaimOutput, retry_on=(StaleAccount,), attempts=loyalty.MAX_ATTEMPTS
        )
    except Conflict:
        # claimed meanwhile: by a concurrent execution of this very operation, which answers
        replayed = operations.replay(RewardClaimOutput)
        if replayed is None:
            raise
        return replayed
