"""The referrals API schemas, one module per route group; here the referral's status, which the
application and the list of referrals both show."""

from __future__ import annotations

from typing import Literal

ReferralStatus = Literal["pending", "qualified", "rejected"]
