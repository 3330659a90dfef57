"""Offer records and the domain objects they hold.

One table:

- `OFFERS` / `OFFER#<validUntil>#<offerId>`: every offer's definition, in one partition ordered by
  end of validity, so that the active ones are one Query (`validUntil` after now). Written once, at
  creation: no application writes in this partition, which every offer shares. (Its `usedCount`, the
  uses counted there before the shards below existed, is still read, and summed with theirs.)
- `OFFER#<offerId>` / `OFFER`: finds an offer's record from its id
- `OFFER_USES#<offerId>#<shard>` / `USES`: the uses of an offer with a `totalLimit`, counted in
  write shards, each its own partition: shard `i` may count `shard_caps(...)[i]` uses (ADD,
  conditioned on that cap), fixed shares of the limit that add up to it exactly, so the total never
  goes over it however many applications run at once. An application counts its use in a shard
  with room, picked at random, so that concurrent customers spread over the shards; the offer's
  uses are the sum of the shards (one BatchGetItem). An offer without a `totalLimit` has no shard:
  nothing counts the uses of all customers
- `CUSTOMER#<id>` / `USAGE#<validUntil>#<offerId>`: how often the customer applied the offer (ADD,
  conditioned on `perCustomerLimit`); ordered like the offers, so one Query reads a customer's
  uses of every active offer
- `CUSTOMER#<id>` / `APPLICATION#<offerId>#<orderId>`: an application; its key makes an order
  usable once per offer. `releasedAt` is set when the order was returned whole: its use went back
  to the customer's count and the offer's (one use shard with a use, ADD -1; the uses are the
  shards' sum, so which shard gives it back does not matter)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from customer_id import db
from customer_id.clock import iso

OFFERS_PK = "OFFERS"
LOOKUP_SK = "OFFER"
USES_SK = "USES"
USE_SHARDS = 16  # at most: an offer's shards are read together, one BatchGetItem (at most 100 keys)


def offer_key(valid_until: datetime, offer_id: str) -> str:
    return f"OFFER#{iso(valid_until)}#{offer_id}"


def lookup_key(offer_id: str) -> str:
    return f"OFFER#{offer_id}"


def uses_key(offer_id: str, shard: int) -> str:
    return f"OFFER_USES#{offer_id}#{shard}"


def shard_caps(limit: int) -> tuple[int, ...]:
    """How many uses each shard may count, when the shards together may count `limit`: `limit` split
    as evenly as it goes over `min(USE_SHARDS, limit)` shards (none when nothing is left)."""
    count = min(USE_SHARDS, max(limit, 0))
    return tuple(limit // count + (1 if shard < limit % count else 0) for shard in range(count))


def usage_key(valid_until: datetime, offer_id: str) -> str:
    return f"USAGE#{iso(valid_until)}#{offer_id}"


def application_key(offer_id: str, order_id: str) -> str:
    return f"APPLICATION#{offer_id}#{order_id}"


@dataclass(frozen=True)
class Targeting:
    """Criteria combine with AND, the values of one criterion with OR; None: not restricted."""

    segments: tuple[str, ...] | None = None
    tiers: tuple[str, ...] | None = None
    new_customers_only: bool = False


@dataclass(frozen=True)
class Offer:
    offer_id: str
    title: dict[str, str]  # by language
    description: dict[str, str]
    discount_type: str  # percent | fixed
    discount_value: Decimal
    min_purchase: Decimal | None
    max_discount: Decimal | None
    targeting: Targeting
    valid_from: datetime
    valid_until: datetime
    per_customer_limit: int
    total_limit: int | None
    created_at: datetime
    used_count: int = 0  # by all customers (counted only when there is a total limit)
    shard_uses: tuple[int, ...] = ()  # of `used_count`, those counted in each use shard

    def shard_caps(self) -> tuple[int, ...]:
        """What each use shard may count: the total limit less the uses counted before the shards,
        split (`shard_caps`); none for an offer without a total limit."""
        if self.total_limit is None:
            return ()
        return shard_caps(self.total_limit - (self.used_count - sum(self.shard_uses)))

    def shards_with_room(self) -> list[int]:
        """The use shards that may count one more use, as last read."""
        return [shard for shard, cap in enumerate(self.shard_caps()) if self._shard_use(shard) < cap]

    def _shard_use(self, shard: int) -> int:
        return self.shard_uses[shard] if shard < len(self.shard_uses) else 0


@dataclass(frozen=True)
class Application:
    application_id: str
    offer_id: str
    order_id: str
    order_amount: Decimal
    discount_amount: Decimal
    final_amount: Decimal
    applied_at: datetime
    released_at: datetime | None = None  # the order was returned whole: its use given back


class _OffersModel(db.TableModel):
    Meta = db.meta("offers_table")


class OfferRecord(_OffersModel):
    offer_id = UnicodeAttribute()
    title = MapAttribute[str, str]()
    description = MapAttribute[str, str]()
    discount_type = UnicodeAttribute()
    discount_value = UnicodeAttribute()  # decimal strings: exact
    min_purchase = UnicodeAttribute(null=True)
    max_discount = UnicodeAttribute(null=True)
    segments = ListAttribute[str](null=True)  # of strings
    tiers = ListAttribute[str](null=True)  # of strings
    new_customers_only = BooleanAttribute(default=False)
    valid_from = UTCDateTimeAttribute()
    valid_until = UTCDateTimeAttribute()
    per_customer_limit = NumberAttribute()
    total_limit = NumberAttribute(null=True)
    used_count = NumberAttribute(null=True)  # uses counted here before the use shards: never written
    created_at = UTCDateTimeAttribute()


class OfferLookupRecord(_OffersModel):
    offer_sk = UnicodeAttribute()


class OfferUsesRecord(_OffersModel):
    """A use shard of an offer with a total limit."""

    used = NumberAttribute(default=0)


class OfferUsageRecord(_OffersModel):
    uses = NumberAttribute(default=0)


class OfferApplicationRecord(_OffersModel):
    application_id = UnicodeAttribute()
    offer_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    order_amount = UnicodeAttribute()
    discount_amount = UnicodeAttribute()
    final_amount = UnicodeAttribute()
    applied_at = UTCDateTimeAttribute()
    released_at = UTCDateTimeAttribute(null=True)  # the order was returned whole: its use given back
