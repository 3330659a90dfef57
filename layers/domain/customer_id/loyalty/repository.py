"""The loyalty table: the only code that reads or writes loyalty records."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from customer_id import db
from customer_id.loyalty.models import (
    ACCOUNT_SK,
    CATALOG_PK,
    Account,
    CatalogItem,
    CatalogItemRecord,
    LedgerEntry,
    LedgerEntryRecord,
    Lot,
    LoyaltyAccountRecord,
    PointLotRecord,
    RedemptionRecord,
    Source,
    SourceAttribute,
    customer_key,
    entry_key,
    entry_type_key,
)

MAX_TRANSACTION_ITEMS = 100


class StaleAccount(Exception):
    """The account changed since it was read: re-read and decide again."""


@dataclass(frozen=True)
class Redemption:
    redemption_id: str
    item_id: str
    voucher_code: str


@dataclass
class AccountChange:
    """Everything one value move writes, committed in one transaction conditioned on `before.seq`."""

    before: Account
    after: Account
    entries: list[LedgerEntry] = field(default_factory=list)
    new_lots: list[Lot] = field(default_factory=list)
    changed_lots: list[Lot] = field(default_factory=list)  # remaining > 0: updated; 0: deleted
    redemption: Redemption | None = None
    also: Callable[[TransactWrite], None] | None = None  # another feature's writes in the same step

    def item_count(self) -> int:
        return (
            1
            + len(self.entries)
            + len(self.new_lots)
            + len(self.changed_lots)
            + (self.redemption is not None)
        )


def open_account(transaction: TransactWrite, customer_id: str, at: datetime) -> None:
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
    transaction.save(record, condition=LoyaltyAccountRecord.pk.does_not_exist())


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
    )


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


def commit(change: AccountChange) -> None:
    """Write the change atomically; `StaleAccount` if the account moved since it was read."""
    customer = customer_key(change.before.customer_id)
    after = change.after
    transaction = db.transaction()
    try:
        with transaction:
            account = LoyaltyAccountRecord(pk=customer, sk=ACCOUNT_SK)
            transaction.update(
                account,
                actions=[
                    LoyaltyAccountRecord.balance.set(after.balance),
                    LoyaltyAccountRecord.lifetime_points.set(after.lifetime_points),
                    LoyaltyAccountRecord.tier.set(after.tier_id),
                    LoyaltyAccountRecord.redemption_hold.set(after.redemption_hold),
                    LoyaltyAccountRecord.seq.set(after.seq),
                ],
                condition=(LoyaltyAccountRecord.seq == change.before.seq)
                & (LoyaltyAccountRecord.redemption_hold == change.before.redemption_hold),
            )
            for entry in change.entries:
                transaction.save(
                    _entry_record(customer, entry), condition=LedgerEntryRecord.sk.does_not_exist()
                )
            for lot in change.new_lots:
                transaction.save(_lot_record(customer, lot), condition=PointLotRecord.sk.does_not_exist())
            for lot in change.changed_lots:
                record = PointLotRecord(pk=customer, sk=lot.key)
                if lot.remaining > 0:
                    transaction.update(
                        record,
                        actions=[PointLotRecord.remaining.set(lot.remaining)],
                        condition=PointLotRecord.sk.exists(),
                    )
                else:
                    transaction.delete(record, condition=PointLotRecord.sk.exists())
            if change.redemption is not None:
                transaction.save(
                    _redemption_record(customer, change), condition=RedemptionRecord.sk.does_not_exist()
                )
            if change.also is not None:
                change.also(transaction)
    except TransactWriteError as error:
        # Every write of the ledger's own is conditioned on the state the change was decided from;
        # a failure among them means that state moved. A failure elsewhere is the caller's `also`.
        table = LoyaltyAccountRecord.Meta.table_name
        failed = db.failed_keys(transaction, error)
        if db.contended(error) or any(key[:2] == (table, customer) for key in failed):
            raise StaleAccount from error
        if failed:
            raise db.ConditionFailed(failed) from error
        raise


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


def _lot_record(customer: str, lot: Lot) -> PointLotRecord:
    return PointLotRecord(
        pk=customer,
        sk=lot.key,
        remaining=lot.remaining,
        earned_at=lot.earned_at,
        expires_at=lot.expires_at,
        expires_on=lot.expires_at.astimezone(UTC).date().isoformat(),
        transaction_id=lot.transaction_id,
    )


def customers_with_lots_expiring_on(day: date) -> Iterator[str]:
    """Customer ids with a live lot expiring on `day` (UTC), once per lot, through the expiry index."""
    for record in PointLotRecord.by_expiry_date.query(day.isoformat()):
        yield record.pk.removeprefix("CUSTOMER#")


def _redemption_record(customer: str, change: AccountChange) -> RedemptionRecord:
    assert change.redemption is not None
    entry = change.entries[-1]
    return RedemptionRecord(
        pk=customer,
        sk=f"REDEMPTION#{change.redemption.redemption_id}",
        redemption_id=change.redemption.redemption_id,
        transaction_id=entry.transaction_id,
        item_id=change.redemption.item_id,
        points_spent=-entry.points,
        voucher_code=change.redemption.voucher_code,
        created_at=entry.created_at,
    )


def ledger_page(
    customer_id: str, entry_type: str | None, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[LedgerEntry], dict[str, Any] | None]:
    """A page of the ledger, newest first, optionally of one type."""
    customer = customer_key(customer_id)
    if entry_type is None:
        records, next_key = db.newest_first(
            LedgerEntryRecord.query,
            customer,
            LedgerEntryRecord.sk.startswith("TXN#"),
            limit,
            start_key,
            ("pk", "sk"),
        )
    else:
        records, next_key = db.newest_first(
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
