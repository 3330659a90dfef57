"""The analytics records only recording (a purchase, a return) and the purchase reads touch, apart
from the purchases and aggregates (`models.py`) that other features' facts read, so that those
build none of these classes. Keyed by customer (`CUSTOMER#<id>`):

- `ORDER#<orderId>`: makes an order id unique per customer
- `PURCHASE_ID#<purchaseId>`: finds a purchase's record from its id
- `RETURN#<purchaseId>#<n>`: the purchase's n-th return (from 1: oldest first); the purchase record
  keeps the returns' total (`returnedCents`, `pointsReversed`, `returnCount`)
- `RETURN_ID#<returnId>`: makes a return id unique per customer
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from customer_id.analytics.models import AnalyticsModel, Purchase


@dataclass(frozen=True)
class PurchaseState:
    """A purchase as a return decides from it: the record's key and what was returned so far."""

    purchase: Purchase
    sk: str
    returned_cents: int
    points_reversed: int
    return_count: int


@dataclass(frozen=True)
class Return:
    return_id: str
    purchase_id: str
    amount: Decimal
    points_reversed: int
    reason: str | None
    created_at: datetime


class PurchaseIdRecord(AnalyticsModel):
    purchase_sk = UnicodeAttribute()


class ReturnRecord(AnalyticsModel):
    return_id = UnicodeAttribute()
    purchase_id = UnicodeAttribute()
    amount = UnicodeAttribute()  # a decimal string: exact
    points_reversed = NumberAttribute()
    reason = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()


class ReturnIdRecord(AnalyticsModel):
    purchase_id = UnicodeAttribute()
    return_sk = UnicodeAttribute()


class OrderRecord(AnalyticsModel):
    purchase_id = UnicodeAttribute()
    purchase_sk = UnicodeAttribute()
