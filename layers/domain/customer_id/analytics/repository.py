"""The analytics table: the only code that reads or writes analytics records, but for the engagement
counters (`engagement.py`) and the aggregate reads other features' facts make (`reads.py`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pynamodb.exceptions import DoesNotExist

from customer_id import clock, db
from customer_id.analytics.models import SUMMARY_SK, BucketRecord, Purchase, PurchaseRecord, SummaryRecord
from customer_id.analytics.reads import PURCHASE, to_purchase
from customer_id.analytics.return_models import (
    OrderRecord,
    PurchaseIdRecord,
    PurchaseState,
    Return,
    ReturnIdRecord,
    ReturnRecord,
)
from customer_id.db import customer_key
from customer_id.errors import Conflict
from customer_id.money import from_cents, to_cents


class PurchaseMoved(Exception):
    """The purchase's returns changed since it was read: re-read and decide again."""


def purchase_key(occurred_at: datetime, seq: int) -> str:
    return f"{PURCHASE}{clock.iso(occurred_at)}#{seq:012d}"


def order(customer_id: str, order_id: str) -> OrderRecord | None:
    try:
        return OrderRecord.get(customer_key(customer_id), f"ORDER#{order_id}", consistent_read=True)
    except DoesNotExist:
        return None


def record_purchase(
    work: db.UnitOfWork,
    customer_id: str,
    purchase: Purchase,
    seq: int,
    day: str,
    month: str,
) -> str:
    """Add the purchase, its order marker and every aggregate it moves to `work`; the key of the
    purchase record. The order must be new: its commit raises `Conflict("duplicate_order")` if not.
    `seq` is the purchase count after this one, read in the same step as the caller's lock on the
    customer (the loyalty account), which serializes a customer's purchases."""
    customer = customer_key(customer_id)
    sk = purchase_key(purchase.occurred_at, seq)
    work.put(
        PurchaseRecord(
            pk=customer,
            sk=sk,
            purchase_id=purchase.purchase_id,
            order_id=purchase.order_id,
            amount=f"{purchase.amount:.2f}",
            category=purchase.category,
            channel=purchase.channel,
            occurred_at=purchase.occurred_at,
            points_earned=purchase.points_earned,
            created_at=clock.now(),
            lifted_tier=purchase.lifted_tier,
        ),
        PurchaseRecord.sk.does_not_exist(),
    )
    # a fresh purchase id (random, or derived from an operation whose outcome is checked first)
    work.put(PurchaseIdRecord(pk=customer, sk=_purchase_id_key(purchase.purchase_id), purchase_sk=sk))
    work.put(
        OrderRecord(
            pk=customer, sk=f"ORDER#{purchase.order_id}", purchase_id=purchase.purchase_id, purchase_sk=sk
        ),
        OrderRecord.sk.does_not_exist(),
        fails_with=Conflict("duplicate_order", orderId=purchase.order_id),
    )
    cents = to_cents(purchase.amount)
    work.update(
        SummaryRecord(pk=customer, sk=SUMMARY_SK),
        [SummaryRecord.purchase_count.add(1), SummaryRecord.spend_cents.add(cents)],
    )
    for bucket in (f"DAY#{day}#", f"MONTH#{month}#{purchase.category or ''}"):
        work.update(
            BucketRecord(pk=customer, sk=bucket),
            [BucketRecord.cents.add(cents), BucketRecord.purchases.add(1)],
        )
    return sk


def purchase_by_key(customer_id: str, purchase_sk: str) -> PurchaseRecord:
    return PurchaseRecord.get(customer_key(customer_id), purchase_sk, consistent_read=True)


# ---- returns ------------------------------------------------------------------------------------


def _purchase_id_key(purchase_id: str) -> str:
    return f"PURCHASE_ID#{purchase_id}"


def _return_key(purchase_id: str, number: int) -> str:
    return f"RETURN#{purchase_id}#{number:06d}"


def _return_id_key(return_id: str) -> str:
    return f"RETURN_ID#{return_id}"


def purchase_state(customer_id: str, purchase_id: str) -> PurchaseState | None:
    """The purchase of that id with its returns so far (None: no such purchase): two reads."""
    try:
        lookup = PurchaseIdRecord.get(
            customer_key(customer_id), _purchase_id_key(purchase_id), consistent_read=True
        )
        record = PurchaseRecord.get(customer_key(customer_id), lookup.purchase_sk, consistent_read=True)
    except DoesNotExist:
        return None
    return PurchaseState(
        purchase=to_purchase(record),
        sk=record.sk,
        returned_cents=int(record.returned_cents or 0),
        points_reversed=int(record.points_reversed or 0),
        return_count=int(record.return_count or 0),
    )


def return_used(customer_id: str, return_id: str) -> bool:
    try:
        ReturnIdRecord.get(customer_key(customer_id), _return_id_key(return_id), consistent_read=True)
    except DoesNotExist:
        return False
    return True


def returns_of(customer_id: str, purchase_id: str) -> list[Return]:
    """The purchase's returns, oldest first."""
    records = ReturnRecord.query(
        customer_key(customer_id),
        ReturnRecord.sk.startswith(f"RETURN#{purchase_id}#"),
        consistent_read=True,
    )
    return [_return(record) for record in records]


def returns_by_purchase(customer_id: str) -> dict[str, list[Return]]:
    """Every return of the customer, by purchase id, each purchase's oldest first: one Query (of
    as many pages as it takes), for the data export."""
    found: dict[str, list[Return]] = {}
    for record in ReturnRecord.query(
        customer_key(customer_id), ReturnRecord.sk.startswith("RETURN#"), consistent_read=True
    ):
        found.setdefault(record.purchase_id, []).append(_return(record))
    return found


def _return(record: ReturnRecord) -> Return:
    return Return(
        return_id=record.return_id,
        purchase_id=record.purchase_id,
        amount=Decimal(record.amount),
        points_reversed=int(record.points_reversed),
        reason=record.reason,
        created_at=record.created_at,
    )


def record_return(
    work: db.UnitOfWork, customer_id: str, state: PurchaseState, returned: Return, day: str, month: str
) -> None:
    """Add the return to `work`: its record and id (a used id: `Conflict("duplicate_return")`), the
    purchase's returned total (`PurchaseMoved` when another return changed it since `state` was
    read), and the aggregates netted by the returned amount in the purchase's own day and month
    buckets (the customer's calendar, `day` and `month`), counts unchanged."""
    customer = customer_key(customer_id)
    purchase = state.purchase
    number = state.return_count + 1
    return_sk = _return_key(purchase.purchase_id, number)
    work.put(
        ReturnIdRecord(
            pk=customer,
            sk=_return_id_key(returned.return_id),
            purchase_id=purchase.purchase_id,
            return_sk=return_sk,
        ),
        ReturnIdRecord.sk.does_not_exist(),
        fails_with=Conflict("duplicate_return", returnId=returned.return_id),
    )
    cents = to_cents(returned.amount)
    work.update(
        PurchaseRecord(pk=customer, sk=state.sk),
        [
            PurchaseRecord.returned_cents.set(state.returned_cents + cents),
            PurchaseRecord.points_reversed.set(state.points_reversed + returned.points_reversed),
            PurchaseRecord.return_count.set(number),
        ],
        PurchaseRecord.return_count.does_not_exist()
        if state.return_count == 0
        else PurchaseRecord.return_count == state.return_count,
        fails_with=PurchaseMoved(),
    )
    # its key is the purchase's return count, read and moved under the purchase's condition above
    work.put(
        ReturnRecord(
            pk=customer,
            sk=return_sk,
            return_id=returned.return_id,
            purchase_id=purchase.purchase_id,
            amount=f"{returned.amount:.2f}",
            points_reversed=returned.points_reversed,
            reason=returned.reason,
            created_at=returned.created_at,
        )
    )
    work.update(SummaryRecord(pk=customer, sk=SUMMARY_SK), [SummaryRecord.spend_cents.add(-cents)])
    for bucket in (f"DAY#{day}#", f"MONTH#{month}#{purchase.category or ''}"):
        work.update(BucketRecord(pk=customer, sk=bucket), [BucketRecord.cents.add(-cents)])


def returned_amount(state: PurchaseState) -> Decimal:
    return from_cents(state.returned_cents)


def purchases_page(
    customer_id: str,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    start_key: dict[str, Any] | None,
) -> tuple[list[Purchase], dict[str, Any] | None]:
    """Newest first; `since` inclusive, `until` exclusive."""
    low = f"{PURCHASE}{clock.iso(since)}" if since else PURCHASE
    high = f"{PURCHASE}{clock.iso(until)}" if until else "PURCHASE$"  # '$' sorts right after '#'
    records, next_key = db.page(
        PurchaseRecord.query,
        customer_key(customer_id),
        PurchaseRecord.sk.between(low, high),
        limit,
        start_key,
        ("pk", "sk"),
    )
    return [to_purchase(record) for record in records], next_key
