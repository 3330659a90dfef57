"""The loyalty table: the only code that reads or writes loyalty records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist

from customer_id import db, shards
from customer_id.db import customer_key
from customer_id.loyalty.account import get_account as get_account
from customer_id.loyalty.account import stage_redemption_hold as stage_redemption_hold
from customer_id.loyalty.models import (
    ACCOUNT_SK,
    CATALOG_PK,
    Account,
    CatalogItem,
    CatalogItemRecord,
    ExpiryNoticeRecord,
    LedgerEntry,
    LedgerEntryRecord,
    Lot,
    LoyaltyAccountRecord,
    PointLotRecord,
    RedemptionRecord,
    Source,
    SourceAttribute,
    SpentLot,
    SpentLotAttribute,
    entry_key,
    entry_type_key,
    expiry_notice_key,
    expiry_shard,
)

MAX_TRANSACTION_ITEMS = db.MAX_TRANSACTION_ITEMS


class StaleAccount(Exception):
    """The account changed since it was read: re-read and decide again."""


class AlreadyNoticed(Exception):
    """The "points expiring" notice of that date was queued already (by another run)."""


@dataclass(frozen=True)
class Redemption:
    redemption_id: str
    item_id: str
    voucher_code: str


@dataclass(frozen=True)
class StoredRedemption:
    redemption_id: str
    item_id: str
    voucher_code: str
    points_spent: int
    created_at: datetime
    status: str  # active | cancelled
    lots: tuple[SpentLot, ...] | None  # where its points came from; None: too many to restore


@dataclass(frozen=True)
class Cancellation:
    """A redemption made void by the change, refunded by its ledger entry `transaction_id`."""

    redemption_id: str
    at: datetime
    transaction_id: str


@dataclass
class AccountChange:
    """Everything one value move writes, committed in one transaction conditioned on `before.seq`."""

    before: Account
    after: Account
    entries: list[LedgerEntry] = field(default_factory=list)
    new_lots: list[Lot] = field(default_factory=list)
    changed_lots: list[Lot] = field(default_factory=list)  # remaining > 0: updated; 0: deleted
    redemption: Redemption | None = None
    # a debit's: the lots its points came from, recorded on a redemption (None: more than a
    # cancellation can restore in one transaction)
    spent: list[SpentLot] | None = field(default_factory=list)
    cancellation: Cancellation | None = None
    repaid: int = 0  # of the account's debt, by this change's credits (`ledger.stage`, once)

    def item_count(self) -> int:
        return (
            1
            + len(self.entries)
            + len(self.new_lots)
            + len(self.changed_lots)
            + (self.redemption is not None)
            + (self.cancellation is not None)
        )


def open_account(work: db.UnitOfWork, customer_id: str, at: datetime) -> None:
    record = LoyaltyAccountRecord(
        pk=customer_key(customer_id),
        sk=ACCOUNT_SK,
        customer_id=customer_id,
        balance=0,
        lifetime_points=0,
        tier="bronze",
        redemption_hold=False,
        seq=0,
        opened_at=at,
    )
    work.put(record, LoyaltyAccountRecord.pk.does_not_exist())


def lots_oldest_first(customer_id: str) -> Iterator[Lot]:
    """The live lots, oldest first, read page by page as the caller iterates."""
    for record in PointLotRecord.query(
        customer_key(customer_id),
        PointLotRecord.sk.startswith("LOT#"),
        consistent_read=True,
        page_size=25,
    ):
        yield Lot(
            key=record.sk,
            remaining=int(record.remaining),
            earned_at=record.earned_at,
            expires_at=record.expires_at,
            transaction_id=record.transaction_id,
        )


def stage(work: db.UnitOfWork, change: AccountChange) -> None:
    """Add the change's writes to `work`, each conditioned on the state it was decided from: if any
    fails, the account moved since it was read (`StaleAccount`: decide again)."""
    customer = customer_key(change.before.customer_id)
    after = change.after
    stale = StaleAccount()
    work.update(
        LoyaltyAccountRecord(pk=customer, sk=ACCOUNT_SK),
        [
            LoyaltyAccountRecord.balance.set(after.balance),
            LoyaltyAccountRecord.lifetime_points.set(after.lifetime_points),
            LoyaltyAccountRecord.tier.set(after.tier_id),
            LoyaltyAccountRecord.redemption_hold.set(after.redemption_hold),
            LoyaltyAccountRecord.seq.set(after.seq),
            LoyaltyAccountRecord.unsettled.set(after.unsettled),
            LoyaltyAccountRecord.points_debt.set(after.points_debt),
        ],
        (LoyaltyAccountRecord.seq == change.before.seq)
        & (LoyaltyAccountRecord.redemption_hold == change.before.redemption_hold),
        fails_with=stale,
    )
    for entry in change.entries:
        work.put(_entry_record(customer, entry), LedgerEntryRecord.sk.does_not_exist(), fails_with=stale)
    for lot in change.new_lots:
        work.put(
            _lot_record(change.before.customer_id, lot), PointLotRecord.sk.does_not_exist(), fails_with=stale
        )
    for lot in change.changed_lots:
        record = PointLotRecord(pk=customer, sk=lot.key)
        if lot.remaining > 0:
            work.update(
                record,
                [PointLotRecord.remaining.set(lot.remaining)],
                PointLotRecord.sk.exists(),
                fails_with=stale,
            )
        else:
            work.delete(record, PointLotRecord.sk.exists(), fails_with=stale)
    if change.redemption is not None:
        work.put(_redemption_record(customer, change), RedemptionRecord.sk.does_not_exist(), fails_with=stale)
    if change.cancellation is not None:
        cancellation = change.cancellation
        work.update(
            RedemptionRecord(pk=customer, sk=redemption_key(cancellation.redemption_id)),
            [
                RedemptionRecord.status.set(CANCELLED),
                RedemptionRecord.cancelled_at.set(cancellation.at),
                RedemptionRecord.refund_transaction_id.set(cancellation.transaction_id),
            ],
            RedemptionRecord.sk.exists()
            & (RedemptionRecord.status.does_not_exist() | (RedemptionRecord.status == ACTIVE)),
            fails_with=stale,
        )


def _entry_record(customer: str, entry: LedgerEntry) -> LedgerEntryRecord:
    return LedgerEntryRecord(
        pk=customer,
        sk=entry_key(entry.seq),
        type_sk=entry_type_key(entry.type, entry.seq),
        transaction_id=entry.transaction_id,
        seq=entry.seq,
        type=entry.type,
        points=entry.points,
        balance_after=entry.balance_after,
        reason=entry.reason,
        source=SourceAttribute(kind=entry.source.kind, id=entry.source.id),
        created_at=entry.created_at,
    )


def _lot_record(customer_id: str, lot: Lot) -> PointLotRecord:
    return PointLotRecord(
        pk=customer_key(customer_id),
        sk=lot.key,
        remaining=lot.remaining,
        earned_at=lot.earned_at,
        expires_at=lot.expires_at,
        expiry_shard=expiry_shard(customer_id, lot.expires_at.astimezone(UTC).date()),
        transaction_id=lot.transaction_id,
    )


def customers_with_lots_expiring_on(day: date, shard: int) -> Iterator[str]:
    """The customer ids of one shard with a live lot expiring on `day` (UTC), once per lot, through
    the expiry index."""
    for record in PointLotRecord.by_expiry_shard.query(shards.sharded(day.isoformat(), shard)):
        yield record.pk.removeprefix("CUSTOMER#")


def expiry_noticed(customer_id: str, expires_on: date) -> bool:
    try:
        ExpiryNoticeRecord.get(
            customer_key(customer_id), expiry_notice_key(expires_on.isoformat()), consistent_read=True
        )
    except DoesNotExist:
        return False
    return True


def note_expiry_notice(
    work: db.UnitOfWork, customer_id: str, expires_on: date, points: int, at: datetime
) -> None:
    """The marker of the notice of `expires_on`, written with its outbox message: `AlreadyNoticed`
    when another run wrote it first."""
    work.put(
        ExpiryNoticeRecord(
            pk=customer_key(customer_id),
            sk=expiry_notice_key(expires_on.isoformat()),
            points=points,
            noticed_at=at,
        ),
        ExpiryNoticeRecord.sk.does_not_exist(),
        fails_with=AlreadyNoticed(),
    )


ACTIVE = "active"
CANCELLED = "cancelled"


def redemption_key(redemption_id: str) -> str:
    return f"REDEMPTION#{redemption_id}"


def _redemption_record(customer: str, change: AccountChange) -> RedemptionRecord:
    assert change.redemption is not None
    entry = change.entries[-1]
    return RedemptionRecord(
        pk=customer,
        sk=redemption_key(change.redemption.redemption_id),
        redemption_id=change.redemption.redemption_id,
        transaction_id=entry.transaction_id,
        item_id=change.redemption.item_id,
        points_spent=-entry.points,
        voucher_code=change.redemption.voucher_code,
        created_at=entry.created_at,
        lots=None
        if change.spent is None
        else [
            SpentLotAttribute(
                key=lot.key,
                points=lot.points,
                earned_at=lot.earned_at,
                expires_at=lot.expires_at,
                transaction_id=lot.transaction_id,
            )
            for lot in change.spent
        ],
        status=ACTIVE,
    )


def get_redemption(customer_id: str, redemption_id: str) -> StoredRedemption | None:
    try:
        record = RedemptionRecord.get(
            customer_key(customer_id), redemption_key(redemption_id), consistent_read=True
        )
    except DoesNotExist:
        return None
    return StoredRedemption(
        redemption_id=record.redemption_id,
        item_id=record.item_id,
        voucher_code=record.voucher_code,
        points_spent=int(record.points_spent),
        created_at=record.created_at,
        status=record.status or ACTIVE,
        lots=_spent_lots(record),
    )


def _spent_lots(record: RedemptionRecord) -> tuple[SpentLot, ...] | None:
    """The lots a redemption's points came from, as recorded (None: too many to record)."""
    if record.lots is None:
        return None
    return tuple(
        SpentLot(
            key=lot.key,
            points=int(lot.points),
            earned_at=lot.earned_at,
            expires_at=lot.expires_at,
            transaction_id=lot.transaction_id,
        )
        for lot in record.lots
    )


def lots_by_key(customer_id: str, keys: Iterable[str]) -> dict[str, Lot]:
    """The stored lots of those keys that still exist (spent or expired lots are deleted)."""
    customer = customer_key(customer_id)
    return {
        record.sk: Lot(
            key=record.sk,
            remaining=int(record.remaining),
            earned_at=record.earned_at,
            expires_at=record.expires_at,
            transaction_id=record.transaction_id,
        )
        for record in PointLotRecord.batch_get(
            [(customer, key) for key in dict.fromkeys(keys)], consistent_read=True
        )
    }


def ledger_page(
    customer_id: str, entry_type: str | None, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[LedgerEntry], dict[str, Any] | None]:
    """A page of the ledger, newest first, optionally of one type."""
    customer = customer_key(customer_id)
    if entry_type is None:
        records, next_key = db.page(
            LedgerEntryRecord.query,
            customer,
            LedgerEntryRecord.sk.startswith("TXN#"),
            limit,
            start_key,
            ("pk", "sk"),
        )
    else:
        records, next_key = db.page(
            LedgerEntryRecord.by_type.query,
            customer,
            LedgerEntryRecord.type_sk.startswith(f"{entry_type}#"),
            limit,
            start_key,
            ("pk", "sk", "typeSk"),
        )
    entries = [
        LedgerEntry(
            transaction_id=record.transaction_id,
            seq=int(record.seq),
            type=record.type,
            points=int(record.points),
            balance_after=int(record.balance_after),
            reason=record.reason,
            source=Source(kind=record.source.kind, id=record.source.id),
            created_at=record.created_at,
        )
        for record in records
    ]
    return entries, next_key


def catalog() -> list[CatalogItem]:
    return [_catalog_item(record) for record in CatalogItemRecord.query(CATALOG_PK)]


def catalog_item(item_id: str) -> CatalogItem | None:
    try:
        return _catalog_item(CatalogItemRecord.get(CATALOG_PK, f"ITEM#{item_id}"))
    except DoesNotExist:
        return None


def put_catalog_item(item: CatalogItem) -> None:
    CatalogItemRecord(
        pk=CATALOG_PK,
        sk=f"ITEM#{item.item_id}",
        item_id=item.item_id,
        name=item.name,
        points_cost=item.points_cost,
        min_tier=item.min_tier,
    ).save()


def _catalog_item(record: CatalogItemRecord) -> CatalogItem:
    return CatalogItem(
        item_id=record.item_id,
        name=dict(record.name.as_dict()),
        points_cost=int(record.points_cost),
        min_tier=record.min_tier,
    )


def set_redemption_hold(customer_id: str, hold: bool) -> None:
    """Put or lift the hold (fraud). Redemptions commit only if the hold is what they read."""
    LoyaltyAccountRecord(pk=customer_key(customer_id), sk=ACCOUNT_SK).update(
        actions=[LoyaltyAccountRecord.redemption_hold.set(hold)], condition=LoyaltyAccountRecord.pk.exists()
    )


@dataclass(frozen=True)
class RedemptionHeld:
    """A redemption as stored, with its voucher, its status and the lots its points came from (for
    the customer's data export)."""

    redemption_id: str
    item_id: str
    voucher_code: str
    points_spent: int
    transaction_id: str
    created_at: datetime
    status: str  # active | cancelled
    cancelled_at: datetime | None
    refund_transaction_id: str | None
    lots: tuple[SpentLot, ...] | None  # None: more lots than the record holds


def redemptions(customer_id: str) -> list[RedemptionHeld]:
    """Every redemption of the customer, in id order."""
    return [
        RedemptionHeld(
            redemption_id=record.redemption_id,
            item_id=record.item_id,
            voucher_code=record.voucher_code,
            points_spent=int(record.points_spent),
            transaction_id=record.transaction_id,
            created_at=record.created_at,
            status=record.status or ACTIVE,
            cancelled_at=record.cancelled_at,
            refund_transaction_id=record.refund_transaction_id,
            lots=_spent_lots(record),
        )
        for record in RedemptionRecord.query(
            customer_key(customer_id), RedemptionRecord.sk.startswith("REDEMPTION#"), consistent_read=True
        )
    ]
