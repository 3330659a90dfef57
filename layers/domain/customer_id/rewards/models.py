"""Special-date records, keyed by customer:

- `CUSTOMER#<id>` / `CELEBRANT#birthday` and `CELEBRANT#anniversary`: the customer's occasions,
  each with the customer's time zone (`zone`, the profile's, rewritten when the profile's changes)
  and the keys of the `byCelebration` index through which the issuance finds a day's celebrants
  (and only them): `celebrationShard` = `<MM-DD>#<shard>` (the occasion's month-day and the
  customer's shard, `celebration_shard`, so that no index partition takes every signup of a day)
  and `celebrationZone` = `<zone>#<customer id>` (so that the hourly issuance reads only the zones
  whose day has just begun, `begins_with(<zone>#)`)
- `CUSTOMER#<id>` / `REWARD#<year>-<occasion>`: a reward, written once per occasion and year (its
  key is the guard); `rewardId` is `<year>-<occasion>`
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from customer_id import db, shards
from customer_id.rewards.occasions import month_day

CELEBRANT_SHARDS = 8  # the celebration index's shards per month-day
Occasion = Literal["birthday", "anniversary"]
RewardStatus = Literal["available", "claimed", "expired"]


def celebrant_key(occasion: Occasion) -> str:
    return f"CELEBRANT#{occasion}"


def celebration_shard(customer_id: str, month: int, day: int) -> str:
    """The celebration index key of the customer's occasions falling on `month`/`day`."""
    return shards.sharded(month_day(month, day), shards.shard_of(customer_id, CELEBRANT_SHARDS))


def celebration_zone(zone: str, customer_id: str) -> str:
    """The celebration index's sort key: the customer's zone first (`begins_with(<zone>#)`)."""
    return f"{zone}#{customer_id}"


def reward_id_of(year: int, occasion: Occasion) -> str:
    return f"{year}-{occasion}"


def reward_key(reward_id: str) -> str:
    return f"REWARD#{reward_id}"


@dataclass(frozen=True)
class Celebrant:
    """An occasion of a customer: a birthday (`year` when the customer gave it) or the anniversary
    of joining (`since`, the local date of joining); `zone`, the customer's time zone, whose
    calendar the occasion is celebrated by."""

    customer_id: str
    occasion: Occasion
    month: int
    day: int
    zone: str
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


class CelebrantsByCelebration(GlobalSecondaryIndex["CelebrantRecord"]):
    class Meta:
        index_name = "byCelebration"
        projection = AllProjection()

    celebration_shard = UnicodeAttribute(hash_key=True, attr_name="celebrationShard")
    celebration_zone = UnicodeAttribute(range_key=True, attr_name="celebrationZone")


class CelebrantRecord(_RewardsModel):
    customer_id = UnicodeAttribute()
    occasion = UnicodeAttribute()
    month = NumberAttribute()
    day = NumberAttribute()
    year = NumberAttribute(null=True)
    since = UnicodeAttribute(null=True)
    zone = UnicodeAttribute()
    celebration_shard = UnicodeAttribute(attr_name="celebrationShard")
    celebration_zone = UnicodeAttribute(attr_name="celebrationZone")
    by_celebration = CelebrantsByCelebration()
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
