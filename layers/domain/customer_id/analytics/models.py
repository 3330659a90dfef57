"""Analytics records, keyed by customer (`CUSTOMER#<id>`):

- `PURCHASE#<occurredAt>#<seq>`: a purchase (seq: creation order, breaks ties in time order)
- `ORDER#<orderId>`: makes an order id unique per customer (`return_models.py`)
- `SUMMARY`: lifetime purchase count and spend (cents), updated with ADD
- `DAY#<yyyy-mm-dd>#` and `MONTH#<yyyy-mm>#<category>`: spend (cents) and count per calendar day,
  and per month and category ("" for none), in the customer's timezone, updated with ADD. A year
  of days is at most 366 small items: one page of one query
- `ENGAGEMENT`: counters the features increment (`engagement.py`)
- `PURCHASE_ID#<purchaseId>`, `RETURN#<purchaseId>#<n>`, `RETURN_ID#<returnId>`: the id markers
  and the returns (`return_models.py`)

A return nets the purchase's DAY and MONTH buckets and the SUMMARY's spend (ADD of minus its cents);
counts do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from customer_id import db

SUMMARY_SK = "SUMMARY"


def months_back(today: date, months: int) -> list[str]:
    """The MONTH buckets' periods (yyyy-mm) of the `months` calendar months up to today's, oldest
    first."""
    year, month = today.year, today.month
    periods = []
    for _ in range(months):
        periods.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(periods))


@dataclass(frozen=True)
class Purchase:
    purchase_id: str
    order_id: str
    amount: Decimal
    category: str | None
    channel: str
    occurred_at: datetime
    points_earned: int
    lifted_tier: bool = False  # its points raised the customer's tier


@dataclass(frozen=True)
class Bucket:
    period: str  # yyyy-mm-dd or yyyy-mm
    category: str  # "" when the purchases had none
    cents: int
    count: int


class AnalyticsModel(db.TableModel):
    Meta = db.meta("analytics_table")


class PurchaseRecord(AnalyticsModel):
    purchase_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    amount = UnicodeAttribute()  # a decimal string: exact
    category = UnicodeAttribute(null=True)
    channel = UnicodeAttribute()
    occurred_at = UTCDateTimeAttribute()
    points_earned = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    lifted_tier = BooleanAttribute(null=True)  # absent: no (purchases recorded before returns existed)
    returned_cents = NumberAttribute(null=True)  # absent: nothing returned
    points_reversed = NumberAttribute(null=True)
    return_count = NumberAttribute(null=True)


class SummaryRecord(AnalyticsModel):
    purchase_count = NumberAttribute(default=0)
    spend_cents = NumberAttribute(default=0)


class BucketRecord(AnalyticsModel):
    cents = NumberAttribute(default=0)
    purchases = NumberAttribute(default=0)
