"""Loyalty records and the domain objects they hold.

One table, keyed by customer: the account (`ACCOUNT`), the live point lots (`LOT#<earnedAt>#<seq>`,
oldest first; a lot is deleted once spent or expired; `expiryShard`, its UTC expiry date and the
customer's shard (`<YYYY-MM-DD>#<shard>`, `expiry_shard`), is the key of the `byExpiryShard` index
that the daily expiry's units read, so that no index partition takes every lot of a day), the
ledger (`TXN#<seq>`, with a local index by type), redemptions (`REDEMPTION#<id>`, each with the lots
its points came from, so that a cancellation puts them back) and the "points expiring" notices
sent (`EXPIRY_NOTICE#<expiresOn>`, one per expiry date). The catalog lives under `CATALOG`. The
account's `seq` counts ledger entries and is the optimistic lock every value move is conditioned
on (a move that writes no entry, like settling, moves it too, so `seq` numbers may skip).

`unsettled` (absent: 0) is the debt of the lots: points already debited from the balance (their
ledger entry written) but not yet taken off the oldest lots, because a debit may need more lots than
one transaction holds. The live lots are the stored lots with their first `unsettled` points taken
off, oldest first: so `balance` == sum(lot.remaining) - `unsettled` at every commit.

`pointsDebt` (absent: 0) is the customer's debt: points a return reversed that the balance could not
cover (the balance never goes below zero). While there is debt the balance is 0, and the next credits
repay it before they add to the balance (`ledger.stage`): the repaid points are spent from the
credit's own lots, through `unsettled` (they are the newest lots, and the only live ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection, LocalSecondaryIndex

from customer_id import shards
from customer_id.loyalty.account import ACCOUNT_SK as ACCOUNT_SK
from customer_id.loyalty.account import Account as Account
from customer_id.loyalty.account import LoyaltyAccountRecord as LoyaltyAccountRecord
from customer_id.loyalty.account import LoyaltyTableModel

CATALOG_PK = "CATALOG"
EXPIRY_SHARDS = 32  # the expiry index's shards per day: a day's lots of a sale spread over 32 keys


def expiry_shard(customer_id: str, expires_on: date) -> str:
    """The expiry index key of the customer's lots expiring on `expires_on` (a UTC date)."""
    return shards.sharded(expires_on.isoformat(), shards.shard_of(customer_id, EXPIRY_SHARDS))


def expiry_notice_key(expires_on: str) -> str:
    return f"EXPIRY_NOTICE#{expires_on}"


def lot_key(earned_at: datetime, seq: int) -> str:
    return f"LOT#{earned_at.isoformat()}#{seq:012d}"


def entry_key(seq: int) -> str:
    return f"TXN#{seq:012d}"


def entry_type_key(entry_type: str, seq: int) -> str:
    return f"{entry_type}#{seq:012d}"


@dataclass(frozen=True)
class Lot:
    key: str
    remaining: int
    earned_at: datetime
    expires_at: datetime
    transaction_id: str


@dataclass(frozen=True)
class SpentLot:
    """`points` a debit took off the lot `key` (the lot as it was earned: its expiry, its credit)."""

    key: str
    points: int
    earned_at: datetime
    expires_at: datetime
    transaction_id: str

    @classmethod
    def of(cls, lot: Lot, points: int) -> SpentLot:
        return cls(lot.key, points, lot.earned_at, lot.expires_at, lot.transaction_id)


@dataclass(frozen=True)
class Source:
    kind: str
    id: str | None


@dataclass(frozen=True)
class LedgerEntry:
    transaction_id: str
    seq: int
    type: str  # earn | redeem | expire | adjust | bonus | reverse | refund
    points: int
    balance_after: int
    reason: str
    source: Source
    created_at: datetime


@dataclass(frozen=True)
class CatalogItem:
    item_id: str
    name: dict[str, str]
    points_cost: int
    min_tier: str


class LotsByExpiryShard(GlobalSecondaryIndex["PointLotRecord"]):
    class Meta:
        index_name = "byExpiryShard"
        projection = KeysOnlyProjection()

    expiry_shard = UnicodeAttribute(hash_key=True, attr_name="expiryShard")
    pk = UnicodeAttribute(range_key=True)


class PointLotRecord(LoyaltyTableModel):
    remaining = NumberAttribute()
    earned_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    expiry_shard = UnicodeAttribute(attr_name="expiryShard")
    by_expiry_shard = LotsByExpiryShard()
    transaction_id = UnicodeAttribute()


class LedgerEntriesByType(LocalSecondaryIndex["LedgerEntryRecord"]):
    class Meta:
        index_name = "byType"
        projection = AllProjection()

    pk = UnicodeAttribute(hash_key=True)
    type_sk = UnicodeAttribute(range_key=True, attr_name="typeSk")


class SourceAttribute(MapAttribute[str, str]):
    kind = UnicodeAttribute()
    id = UnicodeAttribute(null=True)


class LedgerEntryRecord(LoyaltyTableModel):
    type_sk = UnicodeAttribute(attr_name="typeSk")
    by_type = LedgerEntriesByType()
    transaction_id = UnicodeAttribute()
    seq = NumberAttribute()
    type = UnicodeAttribute()
    points = NumberAttribute()
    balance_after = NumberAttribute()
    reason = UnicodeAttribute()
    source = SourceAttribute()
    created_at = UTCDateTimeAttribute()


class CatalogItemRecord(LoyaltyTableModel):
    item_id = UnicodeAttribute()
    name = MapAttribute[str, str]()
    points_cost = NumberAttribute()
    min_tier = UnicodeAttribute()


class SpentLotAttribute(MapAttribute[str, object]):
    key = UnicodeAttribute()
    points = NumberAttribute()
    earned_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    transaction_id = UnicodeAttribute()


class RedemptionRecord(LoyaltyTableModel):
    """A redemption and its voucher. `lots`: where its points came from (absent: more lots than
    one cancellation can restore); `status` `active` (absent on older records) or `cancelled`, the
    voucher void, with the refund's time and ledger entry."""

    redemption_id = UnicodeAttribute()
    transaction_id = UnicodeAttribute()
    item_id = UnicodeAttribute()
    points_spent = NumberAttribute()
    voucher_code = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    lots = ListAttribute(of=SpentLotAttribute, null=True)
    status = UnicodeAttribute(null=True)
    cancelled_at = UTCDateTimeAttribute(null=True)
    refund_transaction_id = UnicodeAttribute(null=True)


class ExpiryNoticeRecord(LoyaltyTableModel):
    """The "points expiring" notification of one expiry date was queued (with this item)."""

    points = NumberAttribute()
    noticed_at = UTCDateTimeAttribute()
