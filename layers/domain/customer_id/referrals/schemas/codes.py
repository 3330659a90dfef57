"""The referral code: `POST /customers/{id}/referral-code` and `GET /referrals/{code}`."""

from __future__ import annotations

from pydantic import Field

from customer_id.schemas import ApiModel, Timestamp


class ReferralCodeInput(ApiModel):
    """No fields: `{}` or an empty body."""


class ReferralCodeOutput(ApiModel):
    code: str
    share_url: str
    created_at: Timestamp


class ReferralCodeLookup(ApiModel):
    code: str
    referrer_name: str = Field(description="First name and the initial of the last, like `Layla H.`")
    referee_reward_points: int
