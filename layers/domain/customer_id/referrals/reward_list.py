"""`GET /customers/{id}/referral-rewards`: the referral bonuses a customer received."""

from __future__ import annotations

from customer_id import pagination
from customer_id.profile.service import require_profile
from customer_id.referrals import repository
from customer_id.referrals.schemas.reward_list import ReferralRewardOutput, ReferralRewardPage


def list_rewards(customer_id: str, limit: int, cursor: str | None) -> ReferralRewardPage:
    scope = f"referral-rewards|{customer_id}"
    records, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.rewards_page(customer_id, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return ReferralRewardPage(
        items=[
            ReferralRewardOutput(
                transaction_id=record.transaction_id,
                referral_id=record.referral_id,
                points=int(record.points),
                created_at=record.created_at,
            )
            for record in records
        ],
        next_cursor=next_cursor,
    )
