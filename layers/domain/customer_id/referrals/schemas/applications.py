"""A referee's application of a code."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from customer_id.referrals.schemas import ReferralStatus
from customer_id.schemas import ApiModel

ReferralCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[2-9A-HJKMNP-Z]{8}$")
]


class ReferralInput(ApiModel):
    code: ReferralCode


class ReferralApplied(ApiModel):
    referral_id: str
    status: ReferralStatus
