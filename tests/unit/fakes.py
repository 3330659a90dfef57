"""In-memory stand-ins for the repositories, held to the real ones by a contract.

`FakeLoyaltyStore` replaces the functions of `customer_id.loyalty.repository` that
the loyalty modules use, and `db.UnitOfWork` with `FakeUnitOfWork` (so `db.retry` makes
those): `repository.stage` keeps the change on the unit of work, other features' writes join it
through `FakeLoyaltyStore.stage_other`, and committing the unit of work is all-or-nothing like the
DynamoDB transaction the real one sends, with the real one's errors:

- `StaleAccount` when any condition `repository.stage` puts on the customer's own keys fails (the
  account's `seq` or `redemption_hold` moved or the account is missing, a ledger entry, lot or
  redemption key already written, a lot to spend already gone): `stage` names that error for each;
- `db.Contended` for a commit that `contention(...)` strikes (DynamoDB's TransactionConflict or
  throttling), with nothing written;
- `ValueError` for more than `MAX_TRANSACTION_ITEMS` writes (`db.UnitOfWork.commit` refuses them
  before sending), pynamodb's `TransactWriteError` for two changes of one account (DynamoDB refuses
  two operations on one item in a transaction).

`tests/integration/test_loyalty_store_contract.py` runs the same tests against this fake and against
the production repository on moto; a behaviour of the fake that the service tests rely on belongs
there. The set-up helpers (`seed_lot`, `concurrent_credit`) build their changes with the functions
below, which the moto side of the contract commits through the real repository.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest
from pynamodb.exceptions import TransactWriteError

from customer_id import db, outbox
from customer_id.db import customer_key
from customer_id.loyalty import repository
from customer_id.loyalty.models import (
    Account,
    CatalogItem,
    LedgerEntry,
    Lot,
    Source,
    entry_key,
    entry_type_key,
    lot_key,
)
from customer_id.loyalty.repository import MAX_TRANSACTION_ITEMS, AccountChange, StaleAccount
from tests.contention import Contention

CONCURRENT_AT = datetime(2000, 1, 1, tzinfo=UTC)
CONCURRENT_EXPIRY = datetime(2100, 1, 1, tzinfo=UTC)


# ---- changes the set-up helpers commit (shared with the moto side of the contract) ----------------


def seed_change(
    account: Account, number: int, points: int, earned_at: datetime, expires_at: datetime
) -> AccountChange:
    """An earlier purchase: an `earn` entry and its lot, counted towards the lifetime points."""
    seq = account.seq + 1
    entry = LedgerEntry(
        transaction_id=f"seed-{number}",
        seq=seq,
        type="earn",
        points=points,
        balance_after=account.balance + points,
        reason="seeded purchase",
        source=Source("purchase", f"p{number}"),
        created_at=earned_at,
    )
    lot = Lot(lot_key(earned_at, seq), points, earned_at, expires_at, entry.transaction_id)
    after = replace(
        account, balance=entry.balance_after, lifetime_points=account.lifetime_points + points, seq=seq
    )
    return AccountChange(before=account, after=after, entries=[entry], new_lots=[lot])


def concurrent_change(account: Account, points: int, lots_oldest_first: Iterable[Lot]) -> AccountChange:
    """Another request's adjustment of `points`: a new lot when positive, else taken from the oldest
    lots (emptied ones deleted). `lots_oldest_first` is read only for a negative one."""
    seq = account.seq + 1
    entry = LedgerEntry(
        transaction_id=f"concurrent-{seq}",
        seq=seq,
        type="adjust",
        points=points,
        balance_after=account.balance + points,
        reason="concurrent",
        source=Source("admin", "other"),
        created_at=CONCURRENT_AT,
    )
    change = AccountChange(
        before=account, after=replace(account, balance=entry.balance_after, seq=seq), entries=[entry]
    )
    if points >= 0:
        change.new_lots.append(
            Lot(lot_key(CONCURRENT_AT, seq), points, CONCURRENT_AT, CONCURRENT_EXPIRY, entry.transaction_id)
        )
        return change
    owed = -points
    for lot in lots_oldest_first:
        taken = min(owed, lot.remaining)
        owed -= taken
        change.changed_lots.append(replace(lot, remaining=lot.remaining - taken))
        if owed == 0:
            return change
    raise ValueError(f"the lots do not cover {points}")


# ---- the fake ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredRedemption:
    redemption: repository.Redemption
    transaction_id: str
    points_spent: int


@dataclass(frozen=True)
class Emitted:
    """An outbox message (`outbox.emit`) joining a fake unit of work as one of its other writes."""

    queue: str
    message_id: str
    message: Any


def emit_to_fake(work: db.UnitOfWork, queue: str, message_id: str, message: Any) -> None:
    """`outbox.emit` in unit tests: the message joins the fake unit of work, committed with it."""
    if not isinstance(work, FakeUnitOfWork):
        raise TypeError("an outbox message in a unit test without the fake store")
    work.other_writes.append(Emitted(queue, message_id, message))


class FakeUnitOfWork(db.UnitOfWork):
    """`db.UnitOfWork` while a `FakeLoyaltyStore` is installed: the loyalty changes staged into it
    and the other features' writes stay in memory until `commit`, which the store applies. Its
    outbox messages are then listed in `published` (queue, message), as the relay would send them."""

    store: ClassVar[FakeLoyaltyStore]
    published: ClassVar[list[tuple[str, Any]]] = []

    def __init__(self) -> None:
        super().__init__()
        self.changes: list[AccountChange] = []
        self.other_writes: list[Any] = []

    def __len__(self) -> int:
        """The writes of the transaction, as the real unit of work counts them."""
        return sum(change.item_count() for change in self.changes) + len(self.other_writes)

    def _add(self, kind: db.Kind, request: dict[str, Any], fails_with: Exception | None) -> None:
        raise TypeError(f"a DynamoDB {kind} in a unit test: the fake store cannot apply it")

    def commit(self) -> None:
        self.store.commit(self)
        self.published.extend(
            (write.queue, write.message) for write in self.other_writes if isinstance(write, Emitted)
        )


class FakeLoyaltyStore:
    REPLACED = ("get_account", "lots_oldest_first", "stage", "ledger_page", "catalog", "catalog_item")

    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.lots: dict[str, dict[str, Lot]] = {}
        self.ledger: dict[str, dict[int, LedgerEntry]] = {}
        self.redemptions: dict[str, dict[str, StoredRedemption]] = {}
        self.items: dict[str, CatalogItem] = {}
        self.commit_attempts = 0
        self.committed: list[AccountChange] = []
        self.other_writes: list[Any] = []
        self._before_commit: list[Callable[[], None]] = []
        self._contention: Contention | None = None
        self._lot_counter = 0

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in self.REPLACED:
            monkeypatch.setattr(repository, name, getattr(self, name))
        monkeypatch.setattr(FakeUnitOfWork, "store", self, raising=False)
        monkeypatch.setattr(db, "UnitOfWork", FakeUnitOfWork)
        monkeypatch.setattr(outbox, "emit", emit_to_fake)

    # ---- test set-up ----------------------------------------------------------------------------

    def open_account(
        self,
        customer_id: str,
        *,
        tier_id: str = "bronze",
        lifetime_points: int = 0,
        redemption_hold: bool = False,
    ) -> Account:
        account = Account(
            customer_id=customer_id,
            balance=0,
            lifetime_points=lifetime_points,
            tier_id=tier_id,
            redemption_hold=redemption_hold,
            seq=0,
        )
        self.accounts[customer_id] = account
        self.lots[customer_id] = {}
        self.ledger[customer_id] = {}
        self.redemptions[customer_id] = {}
        return account

    def seed_lot(self, customer_id: str, points: int, earned_at: datetime, expires_at: datetime) -> Lot:
        """A lot earned in the past, with its `earn` entry, as if an earlier purchase had written it."""
        self._lot_counter += 1
        change = seed_change(self.accounts[customer_id], self._lot_counter, points, earned_at, expires_at)
        self._check(change)
        self._apply(change)
        return change.new_lots[0]

    def add_item(
        self, item_id: str, points_cost: int, min_tier: str, name: dict[str, str] | None = None
    ) -> None:
        self.items[item_id] = CatalogItem(
            item_id=item_id,
            name=name or {"en": item_id.title(), "ar": f"ar:{item_id}"},
            points_cost=points_cost,
            min_tier=min_tier,
        )

    def before_next_commit(self, action: Callable[[], None]) -> None:
        """Run `action` (a concurrent writer) between the service's read and its next commit."""
        self._before_commit.append(action)

    def concurrent_credit(self, customer_id: str, points: int) -> None:
        """Another request's committed adjustment (`concurrent_change`): moves `seq` and the balance."""
        change = concurrent_change(self.accounts[customer_id], points, self.lots_oldest_first(customer_id))
        self._check(change)
        self._apply(change)

    def set_redemption_hold(self, customer_id: str, hold: bool) -> None:
        """As `repository.set_redemption_hold`: the hold alone, `seq` unchanged."""
        self.accounts[customer_id] = replace(self.accounts[customer_id], redemption_hold=hold)

    @contextmanager
    def contention(self, reason: str = "TransactionConflict", *, every: int = 1) -> Iterator[Contention]:
        """As `tests.contention.contention` on moto: every `every`-th commit that sends a request is
        answered `db.Contended`, with nothing written."""
        self._contention = Contention(
            reason,
            ("TransactWriteItems",),
            every=every,
            first=None,
            share=0.0,
            random=random.Random(0),  # noqa: S311 - unused with `every`
        )
        try:
            yield self._contention
        finally:
            self._contention = None

    # ---- views for assertions -------------------------------------------------------------------

    def entries(self, customer_id: str) -> list[LedgerEntry]:
        """The ledger in write order (ascending `seq`)."""
        return [self.ledger[customer_id][seq] for seq in sorted(self.ledger[customer_id])]

    def live_lots(self, customer_id: str) -> list[Lot]:
        return [self.lots[customer_id][key] for key in sorted(self.lots[customer_id])]

    def redemption(self, customer_id: str, redemption_id: str) -> StoredRedemption | None:
        return self.redemptions.get(customer_id, {}).get(redemption_id)

    def wrote_other(self, write: Any) -> bool:
        return write in self.other_writes

    # ---- the repository functions ---------------------------------------------------------------

    def get_account(self, customer_id: str) -> Account | None:
        return self.accounts.get(customer_id)

    def lots_oldest_first(self, customer_id: str) -> Iterator[Lot]:
        # The sort key orders lots: LOT#<earnedAt>#<seq>.
        yield from [self.lots.get(customer_id, {})[key] for key in sorted(self.lots.get(customer_id, {}))]

    def stage(self, work: db.UnitOfWork, change: AccountChange) -> None:
        if not isinstance(work, FakeUnitOfWork):
            raise TypeError("a unit of work made before the fake store was installed")
        work.changes.append(change)

    def stage_other(self, work: db.UnitOfWork, write: Any) -> None:
        """Another feature's write joining the unit of work: committed with the loyalty changes, or not
        at all (it is recorded in `other_writes`)."""
        if not isinstance(work, FakeUnitOfWork):
            raise TypeError("a unit of work made before the fake store was installed")
        work.other_writes.append(write)

    def commit(self, work: FakeUnitOfWork) -> None:
        if len(work) == 0:  # as the real unit of work: nothing to write, no request
            return
        self.commit_attempts += 1
        if self._before_commit:
            self._before_commit.pop(0)()
        count = len(work)
        if count > MAX_TRANSACTION_ITEMS:  # as `db.UnitOfWork.commit`: refused before sending
            raise ValueError(f"{count} writes do not fit one transaction")
        if self._contention is not None and self._contention.strikes():
            self._contention.answered += 1
            self._contention.log.append("TransactWriteItems")
            raise db.Contended(str([self._contention.reason]))
        customers = [change.before.customer_id for change in work.changes]
        if len(set(customers)) < len(customers):  # DynamoDB: one operation per item in a transaction
            raise TransactWriteError("Transaction request cannot include multiple operations on one item")
        for change in work.changes:
            self._check(change)
        # every condition holds: write it all
        for change in work.changes:
            self._apply(change)
        self.other_writes.extend(work.other_writes)
        self.committed.extend(work.changes)

    def _check(self, change: AccountChange) -> None:
        """The conditions `repository.stage` puts on the change's writes; it names `StaleAccount` as
        the failure of each."""
        customer_id = change.before.customer_id
        stored = self.accounts.get(customer_id)
        if (
            stored is None
            or stored.seq != change.before.seq
            or stored.redemption_hold != change.before.redemption_hold
        ):
            raise StaleAccount
        ledger, lots = self.ledger[customer_id], self.lots[customer_id]
        if (
            any(entry.seq in ledger for entry in change.entries)
            or any(lot.key in lots for lot in change.new_lots)
            or any(lot.key not in lots for lot in change.changed_lots)
            or (
                change.redemption is not None
                and change.redemption.redemption_id in self.redemptions[customer_id]
            )
        ):
            raise StaleAccount

    def _apply(self, change: AccountChange) -> None:
        customer_id = change.before.customer_id
        ledger, lots = self.ledger[customer_id], self.lots[customer_id]
        self.accounts[customer_id] = change.after
        for entry in change.entries:
            ledger[entry.seq] = entry
        for lot in change.new_lots:
            lots[lot.key] = lot
        for lot in change.changed_lots:
            if lot.remaining > 0:
                lots[lot.key] = replace(lots[lot.key], remaining=lot.remaining)
            else:
                del lots[lot.key]
        if change.redemption is not None:
            last = change.entries[-1]
            self.redemptions[customer_id][change.redemption.redemption_id] = StoredRedemption(
                change.redemption, last.transaction_id, -last.points
            )

    def ledger_page(
        self, customer_id: str, entry_type: str | None, limit: int, start_key: dict[str, Any] | None
    ) -> tuple[list[LedgerEntry], dict[str, Any] | None]:
        newest_first = [
            entry
            for seq, entry in sorted(self.ledger.get(customer_id, {}).items(), reverse=True)
            if entry_type is None or entry.type == entry_type
        ]
        if start_key is not None:
            after = start_key["sk"]["S"]
            newest_first = [entry for entry in newest_first if entry_key(entry.seq) < after]
        page = newest_first[:limit]
        if len(newest_first) <= limit:
            return page, None
        last = page[-1]
        key: dict[str, Any] = {"pk": {"S": customer_key(customer_id)}, "sk": {"S": entry_key(last.seq)}}
        if entry_type is not None:
            key["typeSk"] = {"S": entry_type_key(entry_type, last.seq)}
        return page, key  # the serialized key, as `db.page` gives it

    def catalog(self) -> list[CatalogItem]:
        return [self.items[item_id] for item_id in sorted(self.items)]

    def catalog_item(self, item_id: str) -> CatalogItem | None:
        return self.items.get(item_id)
