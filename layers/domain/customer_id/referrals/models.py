"""Referral records:

- the codes (`CODE#<code>` / `CODE` and `CUSTOMER#<id>` / `CODE`): `referrals.code_store`
- `CUSTOMER#<referee>` / `REFERRED_BY`: the referral a customer applied (one per customer)
- `CUSTOMER#<referrer>` / `REFERRAL#<createdAt>#<referralId>`: the referrer's list item
- `CUSTOMER#<referrer>` / `REFERRAL_STATS`: counters moved with ADD
- `CUSTOMER#<id>` / `PAYOUT#<referralId>`: a payout's marker (written once: pays once) and
  `CUSTOMER#<id>` / `REWARD#<createdAt>#<referralId>`: the payout in the referral-rewards list
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from customer_id.referrals.table import ReferralsModel


@dataclass(frozen=True)
class Referral:
    referral_id: str
    referrer_id: str
    referee_id: str
    status: str  # pending | qualified | rejected
    created_at: datetime
    referrer_item: str  # sk of the referrer's list item


class ReferredByRecord(ReferralsModel):
    referral_id = UnicodeAttribute()
    referrer_id = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    qualified_at = UTCDateTimeAttribute(null=True)
    referrer_item = UnicodeAttribute()


class ReferralItemRecord(ReferralsModel):
    referral_id = UnicodeAttribute()
    referee_id = UnicodeAttribute()
    referee_name = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    qualified_at = UTCDateTimeAttribute(null=True)
    points_awarded = NumberAttribute(default=0)


class ReferralStatsRecord(ReferralsModel):
    total = NumberAttribute(default=0)
    pending = NumberAttribute(default=0)
    qualified = NumberAttribute(default=0)
    rejected = NumberAttribute(default=0)
    points_earned = NumberAttribute(default=0)


class PayoutRecord(ReferralsModel):
    referral_id = UnicodeAttribute()
    transaction_id = UnicodeAttribute()
    points = NumberAttribute()
    created_at = UTCDateTimeAttribute()
