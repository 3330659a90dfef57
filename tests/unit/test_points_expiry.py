"""The daily points expiry, run on the in-memory `FakeLoyaltyStore` (held to the production
repository by `tests/integration/test_loyalty_store_contract.py`): expired lots written off with an
`expire` entry each, in as many transactions as they need, once; customers found by expiry date."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest

from customer_id import clock, jobs, shards
from customer_id.loyalty import expiry, ledger, repository
from customer_id.loyalty.models import Lot, Source
from customer_id.loyalty.repository import MAX_TRANSACTION_ITEMS
from tests.unit.fakes import FakeLoyaltyStore

NOW = datetime(2026, 6, 15, 0, 30, tzinfo=UTC)
CUSTOMER = "cust-1"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def seed(store: FakeLoyaltyStore, points: int, days_ago: float, customer_id: str = CUSTOMER) -> Lot:
    earned_at = NOW - timedelta(days=days_ago)
    return store.seed_lot(customer_id, points, earned_at, ledger.expiry_of(earned_at))


def test_expired_lots_are_written_off_oldest_first(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    first, second = seed(store, 30, days_ago=400), seed(store, 20, days_ago=366)
    live = seed(store, 50, days_ago=300)

    assert ledger.expire_due(CUSTOMER) == 50

    entries = store.entries(CUSTOMER)[3:]
    assert [(e.type, e.points, e.balance_after, e.source) for e in entries] == [
        ("expire", -30, 70, Source("lot", first.transaction_id)),
        ("expire", -20, 50, Source("lot", second.transaction_id)),
    ]
    assert all(entry.created_at == NOW for entry in entries)
    assert store.live_lots(CUSTOMER) == [live]
    assert (store.accounts[CUSTOMER].balance, store.accounts[CUSTOMER].lifetime_points) == (50, 100)
    assert len(store.committed) == 1


def test_a_second_run_finds_nothing_and_writes_nothing(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    seed(store, 30, days_ago=400)
    seed(store, 50, days_ago=10)
    ledger.expire_due(CUSTOMER)
    attempts = store.commit_attempts

    assert ledger.expire_due(CUSTOMER) == 0
    assert store.commit_attempts == attempts
    assert [entry.type for entry in store.entries(CUSTOMER)] == ["earn", "earn", "expire"]


def test_a_lot_expiring_later_today_is_left_for_the_next_run(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    earned_at = NOW - timedelta(days=365) + timedelta(hours=5)
    store.seed_lot(CUSTOMER, 40, earned_at, ledger.expiry_of(earned_at))

    assert ledger.expire_due(CUSTOMER) == 0
    assert store.commit_attempts == 0


def test_many_expired_lots_take_several_transactions(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    for index in range(120):
        seed(store, 1 + index % 3, days_ago=500 - index)
    seed(store, 7, days_ago=1)

    assert ledger.expire_due(CUSTOMER) == sum(1 + index % 3 for index in range(120))

    assert [len(change.entries) for change in store.committed] == [48, 48, 24]
    assert all(change.item_count() <= MAX_TRANSACTION_ITEMS for change in store.committed)
    assert [lot.remaining for lot in store.live_lots(CUSTOMER)] == [7]
    balance = 0
    for entry in store.entries(CUSTOMER):
        balance += entry.points
        assert entry.balance_after == balance
    assert store.accounts[CUSTOMER].balance == 7


def test_an_account_moving_meanwhile_is_read_again(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    seed(store, 30, days_ago=400)
    seed(store, 50, days_ago=10)
    store.before_next_commit(lambda: store.set_redemption_hold(CUSTOMER, True))  # a fraud review

    assert ledger.expire_due(CUSTOMER) == 30
    assert store.commit_attempts == 2
    assert [(e.type, e.points, e.balance_after) for e in store.entries(CUSTOMER)][2:] == [("expire", -30, 50)]
    assert store.accounts[CUSTOMER].redemption_hold is True


def test_a_unit_visits_each_customer_of_its_day_and_shard_once(
    store: FakeLoyaltyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = NOW.date() - timedelta(days=1)  # the day that has just ended
    ahead = day + timedelta(days=1 + expiry.NOTICE_DAYS)  # a week after the day the unit runs
    index = {
        (day, 3): ["cust-1", "cust-2", "cust-1"],  # two lots of cust-1
        (day, 4): ["cust-9"],  # another shard's
        (day - timedelta(days=1), 3): ["cust-3"],  # another day's
        (day + timedelta(days=2), 3): ["cust-5"],  # noticed by an earlier unit
        (ahead, 3): ["cust-1", "cust-6", "cust-6"],
        (ahead + timedelta(days=1), 3): ["cust-7"],  # noticed by a later unit
    }
    asked: list[tuple[date, int]] = []

    def expiring_on(on: date, shard: int) -> Iterator[str]:
        asked.append((on, shard))
        yield from index.get((on, shard), [])

    visited: Counter[str] = Counter()
    noticed: list[tuple[str, date]] = []

    def expire_due(customer_id: str) -> int:
        visited[customer_id] += 1
        return 10

    def notice_expiring(customer_id: str, on: date) -> bool:
        noticed.append((customer_id, on))
        return customer_id != "cust-6"  # as if cust-6 had had its notice from an earlier run

    monkeypatch.setattr(repository, "customers_with_lots_expiring_on", expiring_on)
    monkeypatch.setattr(ledger, "expire_due", expire_due)
    monkeypatch.setattr(expiry, "notice_expiring", notice_expiring)

    run = expiry.expire_unit(
        jobs.Unit(job="points-expiry", start=datetime.combine(day, time(), UTC), shard=3)
    )

    assert asked == [(day, 3), (ahead, 3)]
    assert visited == Counter({"cust-1": 1, "cust-2": 1})
    assert noticed == [("cust-1", ahead), ("cust-6", ahead)]
    assert run == expiry.ExpiryRun(customers=2, points=20, noticed=1)


def test_a_caught_up_unit_announces_no_date_already_past(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[date] = []

    def expiring_on(on: date, shard: int) -> Iterator[str]:
        asked.append(on)
        yield from ["cust-1"]

    monkeypatch.setattr(repository, "customers_with_lots_expiring_on", expiring_on)
    monkeypatch.setattr(ledger, "expire_due", lambda customer_id: 0)
    monkeypatch.setattr(expiry, "notice_expiring", lambda customer_id, on: pytest.fail("announced"))
    old = NOW.date() - timedelta(days=1 + expiry.NOTICE_DAYS)  # its week ahead is today: too late
    expiry.expire_unit(jobs.Unit(job="points-expiry", start=datetime.combine(old, time(), UTC), shard=0))
    assert asked == [old]


def test_expiry_dates_are_utc_dates() -> None:
    lot = Lot(
        key="LOT#x",
        remaining=1,
        earned_at=datetime(2025, 6, 15, 23, 30, tzinfo=UTC),
        expires_at=datetime(2026, 6, 15, 23, 30, tzinfo=UTC),
        transaction_id="t",
    )
    shard = shards.shard_of("c", expiry.EXPIRY.shards)
    assert repository._lot_record("c", lot).expiry_shard == f"2026-06-15#{shard:02d}"
