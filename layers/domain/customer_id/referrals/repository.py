"""The referrals table: the only code that reads or writes referral and payout records (the codes
are `code_store`'s). Writes join the caller's `db.UnitOfWork`, each condition naming what its
failure means."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from customer_id import clock, db
from customer_id.db import customer_key
from customer_id.errors import Conflict
from customer_id.referrals.models import (
    PayoutRecord,
    Referral,
    ReferralItemRecord,
    ReferralStatsRecord,
    ReferredByRecord,
)


class NotPending(Exception):
    """The referral was concluded (qualified or rejected) meanwhile."""


class AlreadyPaid(Exception):
    """This side of the referral was paid already (by a concurrent attempt)."""


def referred_by(referee_id: str) -> Referral | None:
    try:
        record = ReferredByRecord.get(customer_key(referee_id), "REFERRED_BY", consistent_read=True)
    except DoesNotExist:
        return None
    return Referral(
        referral_id=record.referral_id,
        referrer_id=record.referrer_id,
        referee_id=referee_id,
        status=record.status,
        created_at=record.created_at,
        referrer_item=record.referrer_item,
    )


def apply(work: db.UnitOfWork, referral: Referral, referee_name: str) -> None:
    """The referee's link (one per customer: else `already_referred`), the referrer's list item
    and counters."""
    work.put(
        ReferredByRecord(
            pk=customer_key(referral.referee_id),
            sk="REFERRED_BY",
            referral_id=referral.referral_id,
            referrer_id=referral.referrer_id,
            status="pending",
            created_at=referral.created_at,
            referrer_item=referral.referrer_item,
        ),
        ReferredByRecord.pk.does_not_exist(),
        fails_with=Conflict("already_referred"),
    )
    work.put(
        ReferralItemRecord(
            pk=customer_key(referral.referrer_id),
            sk=referral.referrer_item,
            referral_id=referral.referral_id,
            referee_id=referral.referee_id,
            referee_name=referee_name,
            status="pending",
            created_at=referral.created_at,
        ),
        ReferralItemRecord.sk.does_not_exist(),  # a new referral id: the referee's link above fails first
    )
    work.update(
        ReferralStatsRecord(pk=customer_key(referral.referrer_id), sk="REFERRAL_STATS"),
        [ReferralStatsRecord.total.add(1), ReferralStatsRecord.pending.add(1)],
    )


def conclude(work: db.UnitOfWork, referral: Referral, status: str, at: datetime) -> None:
    """pending -> qualified or rejected, once: `NotPending` when concluded meanwhile."""
    work.update(
        ReferredByRecord(pk=customer_key(referral.referee_id), sk="REFERRED_BY"),
        [ReferredByRecord.status.set(status), ReferredByRecord.qualified_at.set(at)],
        ReferredByRecord.status == "pending",
        fails_with=NotPending(),
    )
    work.update(
        ReferralItemRecord(pk=customer_key(referral.referrer_id), sk=referral.referrer_item),
        [ReferralItemRecord.status.set(status), ReferralItemRecord.qualified_at.set(at)],
    )
    counter = ReferralStatsRecord.qualified if status == "qualified" else ReferralStatsRecord.rejected
    work.update(
        ReferralStatsRecord(pk=customer_key(referral.referrer_id), sk="REFERRAL_STATS"),
        [ReferralStatsRecord.pending.add(-1), counter.add(1)],
    )


def is_paid(customer_id: str, referral_id: str) -> bool:
    try:
        PayoutRecord.get(customer_key(customer_id), f"PAYOUT#{referral_id}", consistent_read=True)
    except DoesNotExist:
        return False
    return True


def record_payout(
    work: db.UnitOfWork, customer_id: str, referral: Referral, transaction_id: str, points: int, at: datetime
) -> None:
    """The payout (the ledger entry `transaction_id` of `points`, made `at`): its marker (a second
    payout of the same side fails on it: `AlreadyPaid`) and its list item."""
    customer = customer_key(customer_id)
    marker = PayoutRecord(
        pk=customer,
        sk=f"PAYOUT#{referral.referral_id}",
        referral_id=referral.referral_id,
        transaction_id=transaction_id,
        points=points,
        created_at=at,
    )
    work.put(marker, PayoutRecord.sk.does_not_exist(), fails_with=AlreadyPaid())
    work.put(
        PayoutRecord(
            pk=customer,
            sk=f"REWARD#{clock.iso(at)}#{referral.referral_id}",
            referral_id=referral.referral_id,
            transaction_id=transaction_id,
            points=points,
            created_at=at,
        )
    )
    if customer_id == referral.referrer_id:
        work.update(
            ReferralItemRecord(pk=customer, sk=referral.referrer_item),
            [ReferralItemRecord.points_awarded.set(points)],
        )
        work.update(
            ReferralStatsRecord(pk=customer, sk="REFERRAL_STATS"),
            [ReferralStatsRecord.points_earned.add(points)],
        )


def stats(referrer_id: str) -> dict[str, int]:
    try:
        record = ReferralStatsRecord.get(customer_key(referrer_id), "REFERRAL_STATS")
    except DoesNotExist:
        return dict.fromkeys(("total", "pending", "qualified", "rejected", "points_earned"), 0)
    return {
        name: int(getattr(record, name) or 0)
        for name in ("total", "pending", "qualified", "rejected", "points_earned")
    }


def referrals_page(
    referrer_id: str, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[ReferralItemRecord], dict[str, Any] | None]:
    return db.page(
        ReferralItemRecord.query,
        customer_key(referrer_id),
        ReferralItemRecord.sk.startswith("REFERRAL#"),
        limit,
        start_key,
        ("pk", "sk"),
    )


def rewards_page(
    customer_id: str, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[PayoutRecord], dict[str, Any] | None]:
    return db.page(
        PayoutRecord.query,
        customer_key(customer_id),
        PayoutRecord.sk.startswith("REWARD#"),
        limit,
        start_key,
        ("pk", "sk"),
    )


# ---- erasure (workflows/rights/erasure.py) ----------------------------------------------------

DELETED_CUSTOMER = "Deleted customer"


def forget_referee(referee_id: str) -> None:
    """In the referrer's list, the referral the customer applied shows `Deleted customer`; its
    status, dates and points stay (the referrer's figures). Idempotent."""
    referral = referred_by(referee_id)
    if referral is None:
        return
    item = ReferralItemRecord(pk=customer_key(referral.referrer_id), sk=referral.referrer_item)
    try:  # on the condition that the item exists: never a stray item of the referrer
        item.update(
            actions=[ReferralItemRecord.referee_name.set(DELETED_CUSTOMER)],
            condition=ReferralItemRecord.pk.exists(),
        )
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
