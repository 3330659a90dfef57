"""The daily points expiry, run on the in-memory `FakeLoyaltyStore` (held to the production
repository by `tests/integration/test_loyalty_store_contract.py`): expired lots written off with an
`expire` entry each, in as many transactions as they need, once; customers found by expiry date."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from customer_id import clock
from customer_id.loyalty import repository, service
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
    return store.seed_lot(customer_id, points, earned_at, service.expiry_of(earned_at))


def test_expired_lots_are_written_off_oldest_first(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    first, second = seed(store, 30, days_ago=400), seed(store, 20, days_ago=366)
    live = seed(store, 50, days_ago=300)

    assert service.expire_due(CUSTOMER) == 50

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
    service.expire_due(CUSTOMER)
    attempts = store.commit_attempts

    assert service.expire_due(CUSTOMER) == 0
    assert store.commit_attempts == attempts
    assert [entry.type for entry in store.entries(CUSTOMER)] == ["earn", "earn", "expire"]


def test_a_lot_expiring_later_today_is_left_for_the_next_run(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    earned_at = NOW - timedelta(days=365) + timedelta(hours=5)
    store.seed_lot(CUSTOMER, 40, earned_at, service.expiry_of(earned_at))

    assert service.expire_due(CUSTOMER) == 0
    assert store.commit_attempts == 0


def test_many_expired_lots_take_several_transactions(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    for index in range(120):
        seed(store, 1 + index % 3, days_ago=500 - index)
    seed(store, 7, days_ago=1)

    assert service.expire_due(CUSTOMER) == sum(1 + index % 3 for index in range(120))

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

    assert service.expire_due(CUSTOMER) == 30
    assert store.commit_attempts == 2
    assert [(e.type, e.points, e.balance_after) for e in store.entries(CUSTOMER)][2:] == [("expire", -30, 50)]
    assert store.accounts[CUSTOMER].redemption_hold is True


def test_the_daily_run_visits_each_customer_with_expiring_lots_once(
    store: FakeLoyaltyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = NOW.date()
    index = {
        today: ["cust-1", "cust-2"],
        today - timedelta(days=1): ["cust-1"],  # a second lot of the same customer
        today - timedelta(days=service.EXPIRY_CATCH_UP_DAYS): ["cust-3"],  # a missed run's
        today - timedelta(days=service.EXPIRY_CATCH_UP_DAYS + 1): ["cust-4"],  # caught long ago
        today + timedelta(days=1): ["cust-5", "cust-5"],  # two lots expiring tomorrow
        today + timedelta(days=service.NOTICE_DAYS): ["cust-1", "cust-6"],
        today + timedelta(days=service.NOTICE_DAYS + 1): ["cust-7"],  # announced by a later run
    }
    asked: list[date] = []

    def expiring_on(day: date) -> Iterator[str]:
        asked.append(day)
        yield from index.get(day, [])

    visited: Counter[str] = Counter()
    noticed: list[tuple[str, date]] = []

    def expire_due(customer_id: str) -> int:
        visited[customer_id] += 1
        return 10

    def notice_expiring(customer_id: str, on: date) -> bool:
        noticed.append((customer_id, on))
        return customer_id != "cust-6"  # as if cust-6 had had its notice from an earlier run

    monkeypatch.setattr(repository, "customers_with_lots_expiring_on", expiring_on)
    monkeypatch.setattr(service, "expire_due", expire_due)
    monkeypatch.setattr(service, "notice_expiring", notice_expiring)

    run = service.expire_points(today)

    assert sorted(asked) == [
        today + timedelta(days=offset)
        for offset in range(-service.EXPIRY_CATCH_UP_DAYS, service.NOTICE_DAYS + 1)
    ]
    assert visited == Counter({"cust-1": 1, "cust-2": 1, "cust-3": 1})
    assert sorted(noticed) == [
        ("cust-1", today + timedelta(days=service.NOTICE_DAYS)),
        ("cust-5", today + timedelta(days=1)),
        ("cust-6", today + timedelta(days=service.NOTICE_DAYS)),
    ]
    assert run == service.ExpiryRun(customers=3, points=30, noticed=2)


def test_expiry_dates_are_utc_dates() -> None:
    lot = Lot(
        key="LOT#x",
        remaining=1,
        earned_at=datetime(2025, 6, 15, 23, 30, tzinfo=UTC),
        expires_at=datetime(2026, 6, 15, 23, 30, tzinfo=UTC),
        transaction_id="t",
    )
    assert repository._lot_record("CUSTOMER#c", lot).expires_on == "2026-06-15"
