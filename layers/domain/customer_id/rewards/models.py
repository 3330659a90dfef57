"""Special-date records, keyed by customer:

- `CUSTOMER#<id>` / `CELEBRANT#birthday` and `CELEBRANT#anniversary`: the customer's occasions,
  each carrying its `monthDay` (`MM-DD`), the key of the `byMonthDay` index through which the daily
  issuer finds the day's celebrants (and only them)
- `CUSTOMER#<id>` / `REWARD#<year>-<occasion>`: a reward, written once per occasion and year (its
  key is the guard); `rewardId` is `<year>-<occasion>`
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from customer_id import db

Occasion = Literal["birthday", "anniversary"]
RewardStatus = Literal["available", "claimed", "expired"]


def celebrant_key(occasion: Occasion) -> str:
    return f"CELEBRANT#{occasion}"


def reward_id_of(year: int, occasion: Occasion) -> str:
    return f"{year}-{occasion}"


def reward_key(reward_id: str) -> str:
    return f"REWARD#{reward_id}"


@dataclass(frozen=True)
class Celebrant:
    """An occasion of a customer: a birthday (`year` when the customer gave it) or the anniversary
    of joining (`since`, the local date of joining)."""

    customer_id: str
    occasion: Occasion
    month: int
    day: int
    year: int | None = None
    since: date | None = None


@dataclass(frozen=True)
class Reward:
    customer_id: str
    reward_id: str
    occasion: Occasion
    year: int
    points: int
    issued_on: date  # the day it was issued for
    issued_at: datetime
    claim_by: datetime
    claimed: bool

    def status(self, now: datetime) -> RewardStatus:
        if self.claimed:
            return "claimed"
        return "expired" if now > self.claim_by else "available"


class _RewardsModel(db.TableModel):
    Meta = db.meta("rewards_table")


class CelebrantsByMonthDay(GlobalSecondaryIndex["CelebrantRecord"]):
    class Meta:
        index_name = "byMonthDay"
        projection = AllProjection()

    month_day = UnicodeAttribute(hash_key=True, attr_name="monthDay")
    pk = UnicodeAttribute(range_key=True)


class CelebrantRecord(_RewardsModel):
    customer_id = UnicodeAttribute()
    occasion = UnicodeAttribute()
    month = NumberAttribute()
    day = NumberAttribute()
    year = NumberAttribute(null=True)
    since = UnicodeAttribute(null=True)
    month_day = UnicodeAttribute(attr_name="monthDay")
    by_month_day = CelebrantsByMonthDay()
    updated_at = UTCDateTimeAttribute()


class RewardRecord(_RewardsModel):
    reward_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    occasion = UnicodeAttribute()
    year = NumberAttribute()
    points = NumberAttribute()
    issued_on = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()
    claim_by = UTCDateTimeAttribute()
    status = UnicodeAttribute()  # available | claimed; expired is read from claim_by
    transaction_id = UnicodeAttribute(null=True)
    claimed_at = UTCDateTimeAttribute(null=True)
