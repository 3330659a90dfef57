"""The loyalty account record (`ACCOUNT`) on its own: the account as read, and the redemption hold
that security puts and lifts, with no other loyalty record (the ledger's lots, entries, redemptions,
catalog: `loyalty.models`; `loyalty.repository` re-exports these for the ledger)."""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist

from customer_id import db
from customer_id.db import customer_key

ACCOUNT_SK = "ACCOUNT"


@dataclass(frozen=True)
class Account:
    customer_id: str
    balance: int
    lifetime_points: int
    tier_id: str
    redemption_hold: bool
    seq: int
    unsettled: int = 0  # spent from the oldest lots, not yet taken off them (see `loyalty.models`)
    points_debt: int = 0  # reversed points the balance could not cover (see `loyalty.models`)


class LoyaltyTableModel(db.TableModel):
    """The loyalty table's records."""

    Meta = db.meta("loyalty_table")


class LoyaltyAccountRecord(LoyaltyTableModel):
    customer_id = UnicodeAttribute()
    balance = NumberAttribute()
    lifetime_points = NumberAttribute()
    tier = UnicodeAttribute()
    redemption_hold = BooleanAttribute(default=False)
    seq = NumberAttribute()
    unsettled = NumberAttribute(null=True)  # absent on accounts that never owed their lots: 0
    points_debt = NumberAttribute(null=True)  # absent on accounts that never owed points: 0
    opened_at = UTCDateTimeAttribute()


def get_account(customer_id: str) -> Account | None:
    try:
        record = LoyaltyAccountRecord.get(customer_key(customer_id), ACCOUNT_SK, consistent_read=True)
    except DoesNotExist:
        return None
    return Account(
        customer_id=record.customer_id,
        balance=int(record.balance),
        lifetime_points=int(record.lifetime_points),
        tier_id=record.tier,
        redemption_hold=bool(record.redemption_hold),
        seq=int(record.seq),
        unsettled=int(record.unsettled or 0),
        points_debt=int(record.points_debt or 0),
    )


def stage_redemption_hold(work: db.UnitOfWork, customer_id: str, hold: bool, *, moved: Exception) -> None:
    """Put or lift the hold (fraud) in `work`, from the other state as read: `moved` when the hold
    changed or the account went meanwhile. Redemptions commit only if the hold is what they read."""
    work.update(
        LoyaltyAccountRecord(pk=customer_key(customer_id), sk=ACCOUNT_SK),
        [LoyaltyAccountRecord.redemption_hold.set(hold)],
        LoyaltyAccountRecord.pk.exists() & (LoyaltyAccountRecord.redemption_hold == (not hold)),
        fails_with=moved,
    )
