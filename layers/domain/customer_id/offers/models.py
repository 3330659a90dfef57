"""Offer records and the domain objects they hold.

One table:

- `OFFERS` / `OFFER#<validUntil>#<offerId>`: every offer, in one partition ordered by end of
  validity, so that the active ones are one Query (`validUntil` after now); `usedCount` counts its
  applications (ADD, conditioned on `totalLimit`) only when it has a `totalLimit`: an offer without
  one is never written after its creation, so its applications share no item (its `usedCount`
  stays 0)
- `OFFER#<offerId>` / `OFFER`: finds an offer's record from its id
- `CUSTOMER#<id>` / `USAGE#<validUntil>#<offerId>`: how often the customer applied the offer (ADD,
  conditioned on `perCustomerLimit`); ordered like the offers, so one Query reads a customer's
  uses of every active offer
- `CUSTOMER#<id>` / `APPLICATION#<offerId>#<orderId>`: an application; its key makes an order
  usable once per offer
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


def offer_key(valid_until: datetime, offer_id: str) -> str:
    return f"OFFER#{iso(valid_until)}#{offer_id}"


def lookup_key(offer_id: str) -> str:
    return f"OFFER#{offer_id}"


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
    used_count: int = 0


@dataclass(frozen=True)
class Application:
    application_id: str
    offer_id: str
    order_id: str
    order_amount: Decimal
    discount_amount: Decimal
    final_amount: Decimal
    applied_at: datetime


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
    used_count = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()


class OfferLookupRecord(_OffersModel):
    offer_sk = UnicodeAttribute()


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
