"""The analytics reads other features' facts (`facts.py`) and the dashboard make: the lifetime
summary, the day and month buckets, the newest or oldest purchase. Apart from `repository.py` (the
writes, the returns and the purchase pages), so that they build only the purchase and aggregate
records (`models.py`), not the return and marker records (`return_models.py`)."""

from __future__ import annotations

from decimal import Decimal

from pynamodb.exceptions import DoesNotExist

from customer_id.analytics.models import (
    SUMMARY_SK,
    Bucket,
    BucketRecord,
    Purchase,
    PurchaseRecord,
    SummaryRecord,
)
from customer_id.db import customer_key

PURCHASE = "PURCHASE#"


def summary(customer_id: str) -> tuple[int, int]:
    """(purchase count, lifetime spend in cents)."""
    try:
        record = SummaryRecord.get(customer_key(customer_id), SUMMARY_SK, consistent_read=True)
    except DoesNotExist:
        return 0, 0
    return int(record.purchase_count), int(record.spend_cents)


def to_purchase(record: PurchaseRecord) -> Purchase:
    return Purchase(
        purchase_id=record.purchase_id,
        order_id=record.order_id,
        amount=Decimal(record.amount),
        category=record.category,
        channel=record.channel,
        occurred_at=record.occurred_at,
        points_earned=int(record.points_earned),
        lifted_tier=bool(record.lifted_tier),
    )


def edge_purchase(customer_id: str, newest: bool) -> Purchase | None:
    """The newest (or oldest) purchase by `occurredAt`: one item read."""
    records = list(
        PurchaseRecord.query(
            customer_key(customer_id),
            PurchaseRecord.sk.startswith(PURCHASE),
            scan_index_forward=not newest,
            limit=1,
        )
    )
    return to_purchase(records[0]) if records else None


def buckets(customer_id: str, kind: str, first: str, last: str) -> list[Bucket]:
    """Every DAY or MONTH bucket from period `first` to `last` inclusive, all categories."""
    result = BucketRecord.query(
        customer_key(customer_id),
        BucketRecord.sk.between(f"{kind}#{first}", f"{kind}#{last}#\uffff"),
    )
    found = []
    for record in result:
        _, period, category = record.sk.split("#", 2)
        found.append(
            Bucket(period=period, category=category, cents=int(record.cents), count=int(record.purchases))
        )
    return found
