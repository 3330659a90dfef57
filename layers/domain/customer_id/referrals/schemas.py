from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from customer_id.schemas import ApiModel, Timestamp

ReferralStatus = Literal["pending", "qualified", "rejected"]
ReferralCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[2-9A-HJKMNP-Z]{8}$")
]


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


class ReferralInput(ApiModel):
    code: ReferralCode


class ReferralApplied(ApiModel):
    referral_id: str
    status: ReferralStatus


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


class ReferralRewardOutput(ApiModel):
    transaction_id: str
    referral_id: str
    points: int
    created_at: Timestamp


class ReferralRewardPage(ApiModel):
    items: list[ReferralRewardOutput]
    next_cursor: str | None
