"""The referrals table: the only code that reads or writes referral records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from customer_id import clock, db
from customer_id.db import customer_key
from customer_id.loyalty.models import LedgerEntry
from customer_id.referrals.models import (
    PayoutRecord,
    Referral,
    ReferralCodeRecord,
    ReferralItemRecord,
    ReferralStatsRecord,
    ReferredByRecord,
)


def code_of(customer_id: str) -> ReferralCodeRecord | None:
    try:
        return ReferralCodeRecord.get(customer_key(customer_id), "CODE", consistent_read=True)
    except DoesNotExist:
        return None


def owner_of(code: str) -> str | None:
    try:
        return ReferralCodeRecord.get(f"CODE#{code}", "CODE").customer_id
    except DoesNotExist:
        return None


def create_code(customer_id: str, code: str, at: datetime) -> str:
    """'created', 'taken' (another customer owns the code) or 'exists' (the customer has one)."""
    by_code = ReferralCodeRecord(
        pk=f"CODE#{code}", sk="CODE", code=code, customer_id=customer_id, created_at=at
    )
    by_customer = ReferralCodeRecord(
        pk=customer_key(customer_id), sk="CODE", code=code, customer_id=customer_id, created_at=at
    )
    transaction = db.transaction()
    try:
        with transaction:
            transaction.save(by_code, condition=ReferralCodeRecord.pk.does_not_exist())
            transaction.save(by_customer, condition=ReferralCodeRecord.pk.does_not_exist())
    except TransactWriteError as error:
        failed = {key[1] for key in db.failed_keys(transaction, error)}
        if by_customer.pk in failed:
            return "exists"
        if by_code.pk in failed:
            return "taken"
        raise
    return "created"


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


def apply(transaction: TransactWrite, referral: Referral, referee_name: str) -> None:
    """The referee's link (one per customer), the referrer's list item and counters."""
    transaction.save(
        ReferredByRecord(
            pk=customer_key(referral.referee_id),
            sk="REFERRED_BY",
            referral_id=referral.referral_id,
            referrer_id=referral.referrer_id,
            status="pending",
            created_at=referral.created_at,
            referrer_item=referral.referrer_item,
        ),
        condition=ReferredByRecord.pk.does_not_exist(),
    )
    transaction.save(
        ReferralItemRecord(
            pk=customer_key(referral.referrer_id),
            sk=referral.referrer_item,
            referral_id=referral.referral_id,
            referee_id=referral.referee_id,
            referee_name=referee_name,
            status="pending",
            created_at=referral.created_at,
        ),
        condition=ReferralItemRecord.sk.does_not_exist(),
    )
    transaction.update(
        ReferralStatsRecord(pk=customer_key(referral.referrer_id), sk="REFERRAL_STATS"),
        actions=[ReferralStatsRecord.total.add(1), ReferralStatsRecord.pending.add(1)],
    )


def referred_by_key(referee_id: str) -> tuple[str, str]:
    return customer_key(referee_id), "REFERRED_BY"


def conclude(transaction: TransactWrite, referral: Referral, status: str, at: datetime) -> None:
    """pending -> qualified or rejected, once: the condition makes a second attempt fail."""
    transaction.update(
        ReferredByRecord(pk=customer_key(referral.referee_id), sk="REFERRED_BY"),
        actions=[ReferredByRecord.status.set(status), ReferredByRecord.qualified_at.set(at)],
        condition=ReferredByRecord.status == "pending",
    )
    transaction.update(
        ReferralItemRecord(pk=customer_key(referral.referrer_id), sk=referral.referrer_item),
        actions=[ReferralItemRecord.status.set(status), ReferralItemRecord.qualified_at.set(at)],
    )
    counter = ReferralStatsRecord.qualified if status == "qualified" else ReferralStatsRecord.rejected
    transaction.update(
        ReferralStatsRecord(pk=customer_key(referral.referrer_id), sk="REFERRAL_STATS"),
        actions=[ReferralStatsRecord.pending.add(-1), counter.add(1)],
    )


def save_conclusion(referral: Referral, status: str, at: datetime) -> bool:
    """`conclude` on its own; False when the referral was no longer pending."""
    transaction = db.transaction()
    try:
        with transaction:
            conclude(transaction, referral, status, at)
    except TransactWriteError as error:
        if referred_by_key(referral.referee_id) in {key[1:] for key in db.failed_keys(transaction, error)}:
            return False
        raise
    return True


def payout_key(customer_id: str, referral_id: str) -> tuple[str, str, str]:
    return PayoutRecord.Meta.table_name, customer_key(customer_id), f"PAYOUT#{referral_id}"


def is_paid(customer_id: str, referral_id: str) -> bool:
    try:
        PayoutRecord.get(customer_key(customer_id), f"PAYOUT#{referral_id}", consistent_read=True)
    except DoesNotExist:
        return False
    return True


def record_payout(
    transaction: TransactWrite, customer_id: str, referral: Referral, entry: LedgerEntry
) -> None:
    """The payout's marker (a second payout of the same side fails on it) and its list item."""
    customer = customer_key(customer_id)
    marker = PayoutRecord(
        pk=customer,
        sk=f"PAYOUT#{referral.referral_id}",
        referral_id=referral.referral_id,
        transaction_id=entry.transaction_id,
        points=entry.points,
        created_at=entry.created_at,
    )
    transaction.save(marker, condition=PayoutRecord.sk.does_not_exist())
    transaction.save(
        PayoutRecord(
            pk=customer,
            sk=f"REWARD#{clock.iso(entry.created_at)}#{referral.referral_id}",
            referral_id=referral.referral_id,
            transaction_id=entry.transaction_id,
            points=entry.points,
            created_at=entry.created_at,
        )
    )
    if customer_id == referral.referrer_id:
        transaction.update(
            ReferralItemRecord(pk=customer, sk=referral.referrer_item),
            actions=[ReferralItemRecord.points_awarded.set(entry.points)],
        )
        transaction.update(
            ReferralStatsRecord(pk=customer, sk="REFERRAL_STATS"),
            actions=[ReferralStatsRecord.points_earned.add(entry.points)],
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
