"""The fake store keeps the real repository's promises, or the service tests would prove nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from customer_id import db
from customer_id.loyalty import repository
from customer_id.loyalty.models import LedgerEntry, Lot, Source, lot_key
from customer_id.loyalty.repository import AccountChange, StaleAccount
from tests.unit.fakes import FakeLoyaltyStore, FakeTransactionError, FakeUnitOfWork

AT = datetime(2026, 6, 15, tzinfo=UTC)


def credit(store: FakeLoyaltyStore, customer_id: str, points: int) -> AccountChange:
    before = store.accounts[customer_id]
    seq = before.seq + 1
    entry = LedgerEntry(
        f"t{seq}", seq, "adjust", points, before.balance + points, "r", Source("admin", "a"), AT
    )
    lot = Lot(lot_key(AT, seq), points, AT, AT + timedelta(days=365), entry.transaction_id)
    after = replace(before, balance=entry.balance_after, seq=seq)
    return AccountChange(before=before, after=after, entries=[entry], new_lots=[lot])


def commit(change: AccountChange) -> None:
    """The change on its own, as the service commits it: staged into a unit of work."""
    work = db.UnitOfWork()
    repository.stage(work, change)
    work.commit()


def test_install_replaces_the_repository_functions(store: FakeLoyaltyStore) -> None:
    for name in FakeLoyaltyStore.REPLACED:
        assert getattr(repository, name) == getattr(store, name)
    assert db.UnitOfWork is FakeUnitOfWork


def test_commit_applies_the_whole_change(store: FakeLoyaltyStore) -> None:
    store.open_account("c")

    commit(credit(store, "c", 10))

    assert store.accounts["c"].balance == 10
    assert [e.seq for e in store.entries("c")] == [1]
    assert [lot.remaining for lot in store.live_lots("c")] == [10]


def test_commit_on_a_moved_account_is_stale_and_writes_nothing(store: FakeLoyaltyStore) -> None:
    store.open_account("c")
    change = credit(store, "c", 10)
    commit(credit(store, "c", 5))

    with pytest.raises(StaleAccount):
        commit(change)

    assert store.accounts["c"].balance == 5
    assert len(store.entries("c")) == 1


def test_commit_after_a_hold_change_is_stale(store: FakeLoyaltyStore) -> None:
    store.open_account("c")
    change = credit(store, "c", 10)
    store.set_redemption_hold("c", True)

    with pytest.raises(StaleAccount):
        commit(change)


def test_commit_with_a_missing_lot_writes_nothing(store: FakeLoyaltyStore) -> None:
    store.open_account("c")
    change = credit(store, "c", 10)
    change.changed_lots = [Lot("LOT#nope", 0, AT, AT, "t0")]

    with pytest.raises(FakeTransactionError):
        commit(change)

    assert store.accounts["c"].seq == 0
    assert store.entries("c") == []


def test_other_writes_commit_with_the_change_or_not_at_all(store: FakeLoyaltyStore) -> None:
    store.open_account("c")
    change = credit(store, "c", 10)
    commit(credit(store, "c", 5))
    stale = db.UnitOfWork()
    repository.stage(stale, change)
    store.stage_other(stale, "stale purchase")

    with pytest.raises(StaleAccount):
        stale.commit()
    assert store.other_writes == []

    work = db.UnitOfWork()
    repository.stage(work, credit(store, "c", 7))
    store.stage_other(work, "purchase")
    assert len(work) == 1 + 1 + 1 + 1  # the account, its entry, its lot and the other write
    work.commit()
    assert store.other_writes == ["purchase"]
    assert store.accounts["c"].balance == 12


def test_an_empty_unit_of_work_sends_nothing(store: FakeLoyaltyStore) -> None:
    db.UnitOfWork().commit()
    assert store.commit_attempts == 0


def test_lots_come_oldest_first(store: FakeLoyaltyStore) -> None:
    store.open_account("c")
    newer = store.seed_lot("c", 1, AT, AT + timedelta(days=365))
    older = store.seed_lot("c", 2, AT - timedelta(days=1), AT + timedelta(days=364))

    assert [lot.key for lot in repository.lots_oldest_first("c")] == [older.key, newer.key]
