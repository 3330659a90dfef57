"""`GET /customers/{id}/referrals`: a referrer's referrals and their counters."""

from __future__ import annotations

from pydantic import Field

from customer_id.referrals.schemas import ReferralStatus
from customer_id.schemas import ApiModel, Timestamp


class ReferralOutput(ApiModel):
    referral_id: str
    referee_name: str = Field(description="Masked: first name and the initial of the last")
    status: ReferralStatus
    created_at: Timestamp
    qualified_at: Timestamp | None = Field(description="When it qualified (or was rejected)")
    points_awarded: int = Field(description="What the listing customer received for this referral")


class ReferralStats(ApiModel):
    total: int
    pending: int
    qualified: int
    rejected: int
    points_earned: int


class ReferralPage(ApiModel):
    items: list[ReferralOutput]
    next_cursor: str | None
    stats: ReferralStats
