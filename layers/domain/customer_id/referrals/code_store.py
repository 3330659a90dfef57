"""The referral codes in the referrals table: a customer's one code under both keys,
`CODE#<code>` / `CODE` (who owns a code) and `CUSTOMER#<id>` / `CODE` (the customer's code); the
only code that reads or writes them. Writes join the caller's `db.UnitOfWork`."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist

from customer_id import db
from customer_id.db import customer_key
from customer_id.referrals.table import ReferralsModel


class ReferralCodeRecord(ReferralsModel):
    code = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()


class CodeTaken(Exception):
    """Another customer owns the code: draw another."""


class HasCode(Exception):
    """The customer has a code already (a concurrent call made it)."""


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


def create_code(work: db.UnitOfWork, customer_id: str, code: str, at: datetime) -> None:
    """The customer's one code, under both keys: `HasCode` if the customer has one (checked first),
    else `CodeTaken` if another customer owns this code."""

    def record(pk: str) -> ReferralCodeRecord:
        return ReferralCodeRecord(pk=pk, sk="CODE", code=code, customer_id=customer_id, created_at=at)

    work.put(record(customer_key(customer_id)), ReferralCodeRecord.pk.does_not_exist(), fails_with=HasCode())
    work.put(record(f"CODE#{code}"), ReferralCodeRecord.pk.does_not_exist(), fails_with=CodeTaken())


# ---- erasure (workflows/rights/erasure.py) ----------------------------------------------------


def forget_code(customer_id: str) -> None:
    """The customer's code resolves no more: its `CODE#<code>` item goes (the customer's own
    `CODE` item goes with their partition). Idempotent."""
    found = code_of(customer_id)
    if found is not None:
        ReferralCodeRecord(pk=f"CODE#{found.code}", sk="CODE").delete()
