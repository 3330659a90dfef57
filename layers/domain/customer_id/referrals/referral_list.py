"""`GET /customers/{id}/referrals`: a referrer's referrals, newest first, with their counters."""

from __future__ import annotations

from customer_id import pagination
from customer_id.profile.service import require_profile
from customer_id.referrals import repository
from customer_id.referrals.schemas.referral_list import ReferralOutput, ReferralPage, ReferralStats


def list_referrals(customer_id: str, limit: int, cursor: str | None) -> ReferralPage:
    scope = f"referrals|{customer_id}"
    records, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.referrals_page(customer_id, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return ReferralPage(
        items=[
            ReferralOutput(
                referral_id=record.referral_id,
                referee_name=record.referee_name,
                status=record.status,
                created_at=record.created_at,
                qualified_at=record.qualified_at,
                points_awarded=int(record.points_awarded or 0),
            )
            for record in records
        ],
        next_cursor=next_cursor,
        stats=ReferralStats(**repository.stats(customer_id)),
    )
