"""Analytics records, keyed by customer (`CUSTOMER#<id>`):

- `PURCHASE#<occurredAt>#<seq>`: a purchase (seq: creation order, breaks ties in time order)
- `ORDER#<orderId>`: makes an order id unique per customer
- `SUMMARY`: lifetime purchase count and spend (cents), updated with ADD
- `DAY#<yyyy-mm-dd>#` and `MONTH#<yyyy-mm>#<category>`: spend (cents) and count per calendar day,
  and per month and category ("" for none), in the customer's timezone, updated with ADD. A year
  of days is at most 366 small items: one page of one query
- `ENGAGEMENT`: counters the features increment
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from customer_id import db

SUMMARY_SK = "SUMMARY"
ENGAGEMENT_SK = "ENGAGEMENT"
ENGAGEMENT_COUNTERS = (
    "offers_applied",
    "rewards_claimed",
    "tickets_opened",
    "chats_started",
    "notifications_read",
    "referrals_made",
)


@dataclass(frozen=True)
class Purchase:
    purchase_id: str
    order_id: str
    amount: Decimal
    category: str | None
    channel: str
    occurred_at: datetime
    points_earned: int


@dataclass(frozen=True)
class Bucket:
    period: str  # yyyy-mm-dd or yyyy-mm
    category: str  # "" when the purchases had none
    cents: int
    count: int


class _AnalyticsModel(db.TableModel):
    Meta = db.meta("analytics_table")


class PurchaseRecord(_AnalyticsModel):
    purchase_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    amount = UnicodeAttribute()  # a decimal string: exact
    category = UnicodeAttribute(null=True)
    channel = UnicodeAttribute()
    occurred_at = UTCDateTimeAttribute()
    points_earned = NumberAttribute()
    created_at = UTCDateTimeAttribute()


class OrderRecord(_AnalyticsModel):
    purchase_id = UnicodeAttribute()
    purchase_sk = UnicodeAttribute()


class SummaryRecord(_AnalyticsModel):
    purchase_count = NumberAttribute(default=0)
    spend_cents = NumberAttribute(default=0)


class BucketRecord(_AnalyticsModel):
    cents = NumberAttribute(default=0)
    purchases = NumberAttribute(default=0)


class EngagementRecord(_AnalyticsModel):
    offers_applied = NumberAttribute(default=0)
    rewards_claimed = NumberAttribute(default=0)
    tickets_opened = NumberAttribute(default=0)
    chats_started = NumberAttribute(default=0)
    notifications_read = NumberAttribute(default=0)
    referrals_made = NumberAttribute(default=0)
