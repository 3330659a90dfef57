"""Loyalty rules, run on the in-memory `FakeLoyaltyStore`: earning, tiers, lots spent oldest first,
expired lots written off before a debit, redemptions, the account view and optimistic retries.

The fake answers as the production repository does (`StaleAccount` for any failed condition on the
customer's keys, `db.Contended`, the transaction's limits), which
`tests/integration/test_loyalty_store_contract.py` checks by running the same behaviours, and the
retry scenarios below, on both."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from customer_id import clock, db
from customer_id.codes import ALPHABET
from customer_id.errors import Busy, Conflict, Forbidden, InvalidInput, NotFound
from customer_id.loyalty import accounts, adjustments, ledger, redemptions, transactions
from customer_id.loyalty.catalog import list_catalog
from customer_id.loyalty.models import LedgerEntry, Lot, Source
from customer_id.loyalty.repository import MAX_TRANSACTION_ITEMS, StaleAccount
from tests.unit.fakes import FakeLoyaltyStore

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
Published = list[tuple[str, Any]]
CUSTOMER = "cust-1"
PURCHASE = Source("purchase", "order-1")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def seed(store: FakeLoyaltyStore, points: int, days_ago: float, customer_id: str = CUSTOMER) -> Lot:
    """A lot earned `days_ago` days before NOW, expiring 12 calendar months after that."""
    earned_at = NOW - timedelta(days=days_ago)
    return store.seed_lot(customer_id, points, earned_at, ledger.expiry_of(earned_at))


def assert_ledger_consistent(store: FakeLoyaltyStore, customer_id: str = CUSTOMER) -> list[LedgerEntry]:
    """Each entry's balanceAfter is the previous one plus its points; seqs run 1, 2, 3…; the last
    balanceAfter is the account balance, which is also what the live lots hold."""
    entries = store.entries(customer_id)
    balance = 0
    for expected_seq, entry in enumerate(entries, start=1):
        assert entry.seq == expected_seq
        balance += entry.points
        assert entry.balance_after == balance, entry
    account = store.accounts[customer_id]
    assert account.seq == len(entries)
    assert account.balance == balance
    assert sum(lot.remaining for lot in store.live_lots(customer_id)) == balance
    return entries


# ---- expiry_of ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earned", "expires"),
    [
        (datetime(2026, 3, 15, 10, 30, tzinfo=UTC), datetime(2027, 3, 15, 10, 30, tzinfo=UTC)),
        (datetime(2028, 2, 29, 23, 59, 59, tzinfo=UTC), datetime(2029, 2, 28, 23, 59, 59, tzinfo=UTC)),
        (datetime(2027, 2, 28, tzinfo=UTC), datetime(2028, 2, 28, tzinfo=UTC)),  # not moved to the 29th
        (
            datetime(2026, 12, 31, 1, 2, 3, 456000, tzinfo=UTC),
            datetime(2027, 12, 31, 1, 2, 3, 456000, tzinfo=UTC),
        ),
    ],
)
def test_expiry_of_is_twelve_calendar_months_later(earned: datetime, expires: datetime) -> None:
    assert ledger.expiry_of(earned) == expires


# ---- earn --------------------------------------------------------------------------------------


def test_earn_credits_a_lot_and_an_earn_entry(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    seed(store, 10, days_ago=5)

    result = ledger.earn(CUSTOMER, Decimal("149.90"), "purchase order-1", PURCHASE)

    assert result.points == 149
    assert result.balance_after == 159
    assert result.tier_id == "bronze"
    assert result.tier_changed is False
    entry = store.entries(CUSTOMER)[-1]
    assert (entry.type, entry.points, entry.balance_after) == ("earn", 149, 159)
    assert (entry.reason, entry.source, entry.created_at) == ("purchase order-1", PURCHASE, NOW)
    assert result.transaction_id == entry.transaction_id
    new_lot = store.live_lots(CUSTOMER)[-1]
    assert new_lot.remaining == 149
    assert new_lot.earned_at == NOW
    assert new_lot.expires_at == datetime(2027, 6, 15, 12, 0, tzinfo=UTC)
    assert new_lot.transaction_id == entry.transaction_id
    account = store.accounts[CUSTOMER]
    assert (account.balance, account.lifetime_points) == (159, 159)
    assert_ledger_consistent(store)


def test_earn_uses_the_tier_multiplier(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER, tier_id="silver", lifetime_points=1000)

    result = ledger.earn(CUSTOMER, Decimal("149.90"), "purchase", PURCHASE)

    assert result.points == 187
    assert store.accounts[CUSTOMER].lifetime_points == 1187


@pytest.mark.parametrize(
    ("amount", "tier_id", "changed"),
    [
        ("99.99", "bronze", False),
        ("100.00", "silver", True),
        ("4099", "silver", True),
        ("4200", "gold", True),
    ],
)
def test_tier_upgrades_when_lifetime_crosses_the_threshold(
    store: FakeLoyaltyStore, amount: str, tier_id: str, changed: bool
) -> None:
    store.open_account(CUSTOMER)
    seed(store, 900, days_ago=30)

    result = ledger.earn(CUSTOMER, Decimal(amount), "purchase", PURCHASE)

    assert result.points == int(Decimal(amount))  # earned at the bronze rate it was made at
    assert (result.tier_id, result.tier_changed) == (tier_id, changed)
    assert store.accounts[CUSTOMER].tier_id == tier_id


def test_tier_never_goes_down_on_earn(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER, tier_id="gold", lifetime_points=0)

    result = ledger.earn(CUSTOMER, Decimal("10"), "purchase", PURCHASE)

    assert result.points == 15  # the gold multiplier
    assert (result.tier_id, result.tier_changed) == ("gold", False)
    assert store.accounts[CUSTOMER].tier_id == "gold"


def test_negative_adjustment_lowers_neither_tier_nor_lifetime(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER, tier_id="silver")
    seed(store, 1200, days_ago=30)

    adjustments.adjust(CUSTOMER, -1100, "correction", "admin-1")

    account = store.accounts[CUSTOMER]
    assert (account.tier_id, account.lifetime_points, account.balance) == ("silver", 1200, 100)


def test_positive_adjustment_adds_a_lot_but_no_lifetime_points(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    seed(store, 900, days_ago=30)

    output = adjustments.adjust(CUSTOMER, 500, "goodwill", "admin-1")

    assert (output.type, output.points, output.balance_after) == ("adjust", 500, 1400)
    assert (output.source.kind, output.source.id) == ("admin", "admin-1")
    account = store.accounts[CUSTOMER]
    assert (account.tier_id, account.lifetime_points, account.balance) == ("bronze", 900, 1400)
    assert store.live_lots(CUSTOMER)[-1].remaining == 500
    assert_ledger_consistent(store)


def earn_with_a_purchase_record(store: FakeLoyaltyStore, amount: Decimal) -> ledger.EarnResult:
    """A workflow's step: the points a purchase earns and another feature's write that knows them (a
    purchase record), staged into one unit of work and committed together."""

    def attempt(work: db.UnitOfWork) -> ledger.EarnResult:
        change = ledger.plan_earn(ledger.require_account(CUSTOMER), amount, "purchase", PURCHASE, NOW)
        ledger.stage(work, change)
        result = ledger.earned(change)
        store.stage_other(work, ("purchase-record", result.points))
        return result

    return db.retry(attempt, retry_on=(StaleAccount,), attempts=ledger.MAX_ATTEMPTS)


def test_earn_of_less_than_one_point_writes_no_entry_but_commits_the_callers_writes(
    store: FakeLoyaltyStore,
) -> None:
    store.open_account(CUSTOMER)
    seed(store, 10, days_ago=5)
    before = store.accounts[CUSTOMER]

    result = earn_with_a_purchase_record(store, Decimal("0.99"))

    assert (result.points, result.transaction_id, result.balance_after) == (0, None, 10)
    # the balance is untouched; the account's seq still moves, so that concurrent purchases serialize
    assert store.accounts[CUSTOMER] == replace(before, seq=before.seq + 1)
    assert len(store.entries(CUSTOMER)) == 1
    assert store.other_writes == [("purchase-record", 0)]


def test_earn_commits_the_callers_writes_in_the_same_step(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)

    earn_with_a_purchase_record(store, Decimal("20"))

    assert len(store.committed) == 1
    assert store.other_writes == [("purchase-record", 20)]


def test_earn_without_an_account_is_profile_not_found(store: FakeLoyaltyStore) -> None:
    with pytest.raises(NotFound) as raised:
        ledger.earn("nobody", Decimal("10"), "purchase", PURCHASE)
    assert raised.value.code == "profile_not_found"
    assert raised.value.params == {"customerId": "nobody"}


# ---- debits: oldest lots first, expired lots written off -----------------------------------------


def test_negative_adjustment_consumes_oldest_lots_first(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    oldest = seed(store, 30, days_ago=200)
    middle = seed(store, 50, days_ago=100)
    newest = seed(store, 20, days_ago=10)

    output = adjustments.adjust(CUSTOMER, -60, "correction", "admin-1")

    assert (output.type, output.points, output.balance_after) == ("adjust", -60, 40)
    remaining = {lot.key: lot.remaining for lot in store.live_lots(CUSTOMER)}
    assert remaining == {middle.key: 20, newest.key: 20}
    assert oldest.key not in remaining
    assert_ledger_consistent(store)


def test_negative_adjustment_may_spend_everything(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    seed(store, 30, days_ago=200)
    seed(store, 70, days_ago=100)

    output = adjustments.adjust(CUSTOMER, -100, "close", "admin-1")

    assert output.balance_after == 0
    assert store.live_lots(CUSTOMER) == []
    assert_ledger_consistent(store)


def test_negative_adjustment_may_not_overdraw(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    seed(store, 100, days_ago=10)
    before = store.accounts[CUSTOMER]

    with pytest.raises(Conflict) as raised:
        adjustments.adjust(CUSTOMER, -101, "too much", "admin-1")

    assert raised.value.code == "insufficient_points"
    assert raised.value.params == {"needed": 101, "available": 100}
    assert store.accounts[CUSTOMER] == before
    assert store.committed == []


def test_debit_writes_off_expired_lots_first(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    expired_1 = seed(store, 30, days_ago=400)
    expired_2 = seed(store, 20, days_ago=380)
    live_1 = seed(store, 50, days_ago=100)
    live_2 = seed(store, 40, days_ago=10)
    assert expired_1.expires_at < NOW
    assert expired_2.expires_at < NOW

    output = adjustments.adjust(CUSTOMER, -60, "correction", "admin-1")

    new_entries = store.entries(CUSTOMER)[4:]
    assert [(e.type, e.points, e.balance_after) for e in new_entries] == [
        ("expire", -30, 110),
        ("expire", -20, 90),
        ("adjust", -60, 30),
    ]
    assert [e.source for e in new_entries[:2]] == [
        Source("lot", expired_1.transaction_id),
        Source("lot", expired_2.transaction_id),
    ]
    assert all(e.created_at == NOW for e in new_entries)
    assert output.balance_after == 30
    assert {lot.key: lot.remaining for lot in store.live_lots(CUSTOMER)} == {live_2.key: 30}
    assert live_1.key not in {lot.key for lot in store.live_lots(CUSTOMER)}
    assert_ledger_consistent(store)


def test_redemption_writes_off_expired_lots_first(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    store.add_item("coffee", 40, "bronze")
    seed(store, 25, days_ago=370)
    seed(store, 100, days_ago=30)

    output = redemptions.redeem(CUSTOMER, "coffee")

    assert (output.points_spent, output.balance_after) == (40, 60)
    entries = assert_ledger_consistent(store)
    assert [(e.type, e.points, e.balance_after) for e in entries[2:]] == [
        ("expire", -25, 100),
        ("redeem", -40, 60),
    ]
    assert output.transaction_id == entries[-1].transaction_id


def test_expired_points_do_not_count_towards_a_debit(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    seed(store, 100, days_ago=400)
    seed(store, 50, days_ago=10)
    before = store.accounts[CUSTOMER]
    assert before.balance == 150

    with pytest.raises(Conflict) as raised:
        adjustments.adjust(CUSTOMER, -120, "too much", "admin-1")

    assert raised.value.code == "insufficient_points"
    assert raised.value.params == {"needed": 120, "available": 50}
    assert store.accounts[CUSTOMER] == before
    assert len(store.live_lots(CUSTOMER)) == 2


def test_a_lot_expiring_exactly_now_is_expired(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    store.seed_lot(CUSTOMER, 10, NOW - timedelta(days=365), expires_at=NOW)
    seed(store, 10, days_ago=10)

    with pytest.raises(Conflict, match="insufficient_points"):
        adjustments.adjust(CUSTOMER, -11, "x", "admin-1")


# ---- redemptions -------------------------------------------------------------------------------


@pytest.fixture
def catalog(store: FakeLoyaltyStore) -> FakeLoyaltyStore:
    store.add_item("coffee", 200, "bronze", {"en": "Coffee", "ar": "قهوة"})
    store.add_item("tote", 300, "silver", {"en": "Tote bag", "ar": "حقيبة"})
    store.add_item("lounge", 100, "gold", {"en": "Lounge pass"})
    return store


def test_redeem_spends_points_and_issues_a_voucher(catalog: FakeLoyaltyStore) -> None:
    catalog.open_account(CUSTOMER, tier_id="silver")
    seed(catalog, 500, days_ago=20)

    output = redemptions.redeem(CUSTOMER, "tote")

    assert (output.points_spent, output.balance_after) == (300, 200)
    letters = re.escape(ALPHABET)
    assert re.fullmatch(rf"[{letters}]{{4}}-[{letters}]{{4}}-[{letters}]{{4}}", output.voucher_code)
    entry = catalog.entries(CUSTOMER)[-1]
    assert (entry.type, entry.points, entry.balance_after) == ("redeem", -300, 200)
    assert entry.source == Source("redemption", output.redemption_id)
    assert entry.transaction_id == output.transaction_id
    stored = catalog.redemptions[CUSTOMER][output.redemption_id]
    assert (stored.redemption.item_id, stored.redemption.voucher_code) == ("tote", output.voucher_code)
    assert (stored.transaction_id, stored.points_spent) == (output.transaction_id, 300)
    assert_ledger_consistent(catalog)


def test_two_redemptions_get_distinct_ids_and_vouchers(catalog: FakeLoyaltyStore) -> None:
    catalog.open_account(CUSTOMER)
    seed(catalog, 500, days_ago=20)

    first = redemptions.redeem(CUSTOMER, "coffee")
    second = redemptions.redeem(CUSTOMER, "coffee")

    assert first.redemption_id != second.redemption_id
    assert first.voucher_code != second.voucher_code
    assert second.balance_after == 100


def test_redeem_with_insufficient_points_is_a_conflict(catalog: FakeLoyaltyStore) -> None:
    catalog.open_account(CUSTOMER)
    seed(catalog, 50, days_ago=20)

    with pytest.raises(Conflict) as raised:
        redemptions.redeem(CUSTOMER, "coffee")

    assert raised.value.status == 409
    assert raised.value.code == "insufficient_points"
    assert raised.value.params == {"needed": 200, "available": 50}
    assert catalog.committed == []
    assert catalog.redemptions[CUSTOMER] == {}


def test_redeem_above_ones_tier_is_a_conflict(catalog: FakeLoyaltyStore) -> None:
    catalog.open_account(CUSTOMER, tier_id="silver")
    seed(catalog, 5000, days_ago=20)  # plenty of points, but the tier decides

    with pytest.raises(Conflict) as raised:
        redemptions.redeem(CUSTOMER, "lounge")

    assert raised.value.code == "tier_too_low"
    assert raised.value.params == {"minTier": "gold"}
    assert catalog.committed == []


def test_redeem_while_on_hold_is_forbidden(catalog: FakeLoyaltyStore) -> None:
    catalog.open_account(CUSTOMER, redemption_hold=True)
    seed(catalog, 500, days_ago=20)

    with pytest.raises(Forbidden) as raised:
        redemptions.redeem(CUSTOMER, "coffee")

    assert raised.value.status == 403
    assert raised.value.code == "redemption_hold"
    assert catalog.committed == []


def test_redeem_of_an_unknown_item_is_not_found(catalog: FakeLoyaltyStore) -> None:
    catalog.open_account(CUSTOMER)
    seed(catalog, 500, days_ago=20)

    with pytest.raises(NotFound) as raised:
        redemptions.redeem(CUSTOMER, "unicorn")

    assert raised.value.code == "catalog_item_not_found"
    assert raised.value.params == {"itemId": "unicorn"}


def test_redeem_without_an_account_is_profile_not_found(catalog: FakeLoyaltyStore) -> None:
    with pytest.raises(NotFound) as raised:
        redemptions.redeem("nobody", "coffee")
    assert raised.value.code == "profile_not_found"


# ---- the account view --------------------------------------------------------------------------


def test_get_account_subtracts_expired_lots_and_lists_points_expiring_within_30_days(
    store: FakeLoyaltyStore,
) -> None:
    store.open_account(CUSTOMER)
    seed(store, 30, days_ago=400)  # expired, not yet written off
    seed(store, 20, days_ago=355)  # expires in 10 days
    seed(store, 15, days_ago=340)  # in 25 days
    seed(store, 50, days_ago=320)  # in 45 days
    seed(store, 5, days_ago=1)

    output = accounts.get_account(CUSTOMER, now=NOW)

    assert output.points_balance == 120 - 30
    assert output.lifetime_points == 120
    assert [(e.points, e.expires_at) for e in output.expiring_points] == [
        (20, NOW + timedelta(days=10)),
        (15, NOW + timedelta(days=25)),
    ]
    assert output.tier == "bronze"
    assert output.next_tier is not None
    assert (output.next_tier.tier_id, output.next_tier.points_needed) == ("silver", 880)
    assert output.redemption_hold is False


def test_get_account_expiring_window_boundaries(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    earned = NOW - timedelta(days=300)
    store.seed_lot(CUSTOMER, 7, earned, expires_at=NOW)  # due now: not "expiring", already gone
    store.seed_lot(CUSTOMER, 11, earned + timedelta(seconds=1), expires_at=NOW + timedelta(days=30))
    store.seed_lot(
        CUSTOMER, 13, earned + timedelta(seconds=2), expires_at=NOW + timedelta(days=30, seconds=1)
    )

    output = accounts.get_account(CUSTOMER, now=NOW)

    assert output.points_balance == 24
    assert [(e.points, e.expires_at) for e in output.expiring_points] == [(11, NOW + timedelta(days=30))]


def test_get_account_wire_shape(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER, tier_id="platinum", lifetime_points=20000, redemption_hold=True)
    seed(store, 40, days_ago=350)

    body = accounts.get_account(CUSTOMER, now=NOW).model_dump(mode="json", by_alias=True)

    assert body == {
        "customerId": CUSTOMER,
        "tier": "platinum",
        "pointsBalance": 40,
        "lifetimePoints": 20040,
        "nextTier": None,
        "expiringPoints": [{"points": 40, "expiresAt": "2026-06-30T12:00:00.000Z"}],
        "redemptionHold": True,
        "pointsDebt": 0,
    }


def test_get_account_without_an_account_is_not_found(store: FakeLoyaltyStore) -> None:
    with pytest.raises(NotFound, match="profile_not_found"):
        accounts.get_account("nobody", now=NOW)


# ---- optimistic concurrency --------------------------------------------------------------------


def test_a_stale_account_is_read_again_and_the_move_retried(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    seed(store, 10, days_ago=5)
    store.before_next_commit(lambda: store.concurrent_credit(CUSTOMER, 5))

    result = ledger.earn(CUSTOMER, Decimal("100"), "purchase", PURCHASE)

    assert store.commit_attempts == 2
    assert len(store.committed) == 1
    assert result.balance_after == 115  # decided again on the account the other request left
    entries = assert_ledger_consistent(store)
    assert [(e.type, e.seq) for e in entries] == [("earn", 1), ("adjust", 2), ("earn", 3)]


def test_a_concurrent_spend_cannot_overdraw(catalog: FakeLoyaltyStore) -> None:
    catalog.open_account(CUSTOMER)
    seed(catalog, 300, days_ago=5)
    catalog.before_next_commit(lambda: catalog.concurrent_credit(CUSTOMER, -200))

    with pytest.raises(Conflict) as raised:
        redemptions.redeem(CUSTOMER, "coffee")

    assert raised.value.code == "insufficient_points"
    assert catalog.accounts[CUSTOMER].balance == 100
    assert catalog.redemptions[CUSTOMER] == {}
    assert_ledger_consistent(catalog)


def test_a_hold_placed_concurrently_stops_the_redemption(catalog: FakeLoyaltyStore) -> None:
    catalog.open_account(CUSTOMER)
    seed(catalog, 300, days_ago=5)
    catalog.before_next_commit(lambda: catalog.set_redemption_hold(CUSTOMER, True))

    with pytest.raises(Forbidden, match="redemption_hold"):
        redemptions.redeem(CUSTOMER, "coffee")

    assert catalog.commit_attempts == 1
    assert catalog.accounts[CUSTOMER].balance == 300


def test_an_account_that_keeps_moving_ends_in_busy(
    store: FakeLoyaltyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.time, "sleep", lambda _: None)
    store.open_account(CUSTOMER)
    for _ in range(ledger.MAX_ATTEMPTS):
        store.before_next_commit(lambda: store.concurrent_credit(CUSTOMER, 1))

    with pytest.raises(Busy) as raised:
        ledger.earn(CUSTOMER, Decimal("10"), "purchase", PURCHASE)

    assert raised.value.code == "busy"
    assert store.commit_attempts == ledger.MAX_ATTEMPTS
    assert store.committed == []


# ---- transaction size --------------------------------------------------------------------------


def _expired_lots(store: FakeLoyaltyStore, count: int) -> None:
    store.open_account(CUSTOMER)
    earned = NOW - timedelta(days=400)
    for index in range(count):
        at = earned + timedelta(minutes=index)
        store.seed_lot(CUSTOMER, 1, at, ledger.expiry_of(at))


def test_a_debit_over_more_expired_lots_than_fit_writes_them_off_first(
    store: FakeLoyaltyStore,
) -> None:
    # each expired lot costs two writes: 60 of them are more than one transaction holds
    _expired_lots(store, 60)
    seed(store, 100, days_ago=10)

    output = adjustments.adjust(CUSTOMER, -10, "correction", "admin-1")

    assert output.balance_after == 90
    # the write-offs in two moves of their own (48 fit one), then the debit
    assert [[entry.type for entry in change.entries] for change in store.committed[-3:]] == [
        ["expire"] * 48,
        ["expire"] * 12,
        ["adjust"],
    ]
    entries = assert_ledger_consistent(store)
    assert [entry.type for entry in entries[61:]] == ["expire"] * 60 + ["adjust"]
    assert [lot.remaining for lot in store.live_lots(CUSTOMER)] == [90]


def test_a_debit_over_as_many_expired_lots_as_fit_stays_within_one_transaction(
    store: FakeLoyaltyStore,
) -> None:
    # two writes each, and the live lot, the adjust entry and the account: 48 lots in 99 items
    fitting = (MAX_TRANSACTION_ITEMS - 3) // 2
    _expired_lots(store, fitting)
    seed(store, 100, days_ago=10)
    output = adjustments.adjust(CUSTOMER, -10, "correction", "admin-1")
    assert output.balance_after == 90
    [change] = store.committed
    assert [entry.type for entry in change.entries] == ["expire"] * fitting + ["adjust"]
    assert change.item_count() <= MAX_TRANSACTION_ITEMS


def test_a_debit_covered_by_the_maximum_number_of_lots_succeeds(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    earned = NOW - timedelta(days=100)
    for index in range(ledger.LOT_WRITES_PER_MOVE + 1):
        at = earned + timedelta(minutes=index)
        store.seed_lot(CUSTOMER, 1, at, ledger.expiry_of(at))

    output = adjustments.adjust(CUSTOMER, -ledger.LOT_WRITES_PER_MOVE, "correction", "admin-1")

    assert output.balance_after == 1
    assert store.committed[-1].item_count() <= MAX_TRANSACTION_ITEMS


def assert_owes_nothing(store: FakeLoyaltyStore, customer_id: str = CUSTOMER) -> list[LedgerEntry]:
    """As `assert_ledger_consistent`, where settling moves `seq` without an entry: entries keep
    ascending seqs, and the lots hold the balance exactly, owing nothing."""
    entries = store.entries(customer_id)
    balance = 0
    for entry in entries:
        balance += entry.points
        assert entry.balance_after == balance, entry
    assert [entry.seq for entry in entries] == sorted({entry.seq for entry in entries})
    account = store.accounts[customer_id]
    assert (account.balance, account.unsettled) == (balance, 0)
    assert sum(lot.remaining for lot in store.live_lots(customer_id)) == balance
    return entries


def _lots(store: FakeLoyaltyStore, count: int, points: int, *, apart: timedelta, newest: datetime) -> None:
    """`count` lots of `points`, the newest earned at `newest`, each `apart` after the one before."""
    for index in range(count - 1, -1, -1):
        at = newest - apart * index
        store.seed_lot(CUSTOMER, points, at, ledger.expiry_of(at))


def test_a_redemption_spends_more_lots_than_a_transaction_holds(catalog: FakeLoyaltyStore) -> None:
    # the issue: 110 credits of +5 make 550 points, which a 500-point item needs 100 lots of
    catalog.open_account(CUSTOMER)
    catalog.add_item("big", 500, "bronze")
    _lots(catalog, 110, 5, apart=timedelta(hours=1), newest=NOW - timedelta(days=1))
    newest = catalog.live_lots(CUSTOMER)[-10:]

    output = redemptions.redeem(CUSTOMER, "big")

    assert (output.points_spent, output.balance_after) == (500, 50)
    redeemed, settled = catalog.committed[-2:]
    assert [entry.type for entry in redeemed.entries] == ["redeem"]
    assert redeemed.after.unsettled == 500 - 5 * ledger.REDEMPTION_LOT_WRITES  # what did not fit
    assert settled.entries == []  # settling is no value move
    assert settled.after.balance == 50
    assert redeemed.item_count() + 2 <= MAX_TRANSACTION_ITEMS  # with its fraud signal and outcome
    entries = assert_owes_nothing(catalog)
    assert [entry.type for entry in entries] == ["earn"] * 110 + ["redeem"]
    assert catalog.live_lots(CUSTOMER) == newest  # the oldest 100 were spent


def test_ten_thousand_lots_are_spent_oldest_first(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    _lots(store, 10_000, 5, apart=timedelta(minutes=1), newest=NOW - timedelta(days=1))
    newest = store.live_lots(CUSTOMER)[-1]

    output = adjustments.adjust(CUSTOMER, -49_995, "correction", "admin-1")

    assert output.balance_after == 5
    entries = assert_owes_nothing(store)
    assert [entry.type for entry in entries[10_000:]] == ["adjust"]
    assert store.live_lots(CUSTOMER) == [newest]


def test_ten_thousand_lots_on_as_many_days_are_written_off_then_spent(store: FakeLoyaltyStore) -> None:
    # a lot a day for 10,000 days: the 365 of the last year are live, each on its own expiry day
    store.open_account(CUSTOMER)
    _lots(store, 10_000, 1, apart=timedelta(days=1), newest=NOW - timedelta(hours=1))
    live = [lot for lot in store.live_lots(CUSTOMER) if lot.expires_at > NOW]
    assert len({lot.expires_at.date() for lot in live}) == len(live) == 365

    output = adjustments.adjust(CUSTOMER, -300, "correction", "admin-1")

    assert output.balance_after == 65
    entries = assert_owes_nothing(store)
    assert [entry.type for entry in entries[10_000:]] == ["expire"] * 9_635 + ["adjust"]
    assert entries[-1].balance_after == 65
    assert store.live_lots(CUSTOMER) == live[300:]


def test_points_owed_to_the_lots_are_not_shown_expiring_nor_written_off(
    catalog: FakeLoyaltyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 110 lots of 5 expiring within the next 10 days; the redemption leaves its debt unsettled
    catalog.open_account(CUSTOMER)
    catalog.add_item("big", 500, "bronze")
    _lots(catalog, 110, 5, apart=timedelta(hours=2), newest=NOW - timedelta(days=355))
    monkeypatch.setattr(ledger, "settle", lambda customer_id, at: None)
    redemptions.redeem(CUSTOMER, "big")
    assert catalog.accounts[CUSTOMER].unsettled > 0

    view = accounts.get_account(CUSTOMER)
    assert view.points_balance == 50
    assert sum(points.points for points in view.expiring_points) == 50

    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=11))
    assert ledger.expire_due(CUSTOMER) == 50
    entries = assert_owes_nothing(catalog)
    assert [entry.points for entry in entries[111:]] == [-5] * 10
    assert catalog.live_lots(CUSTOMER) == []


def test_a_debit_settles_the_debt_an_earlier_one_left(
    store: FakeLoyaltyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.open_account(CUSTOMER)
    _lots(store, 300, 1, apart=timedelta(minutes=1), newest=NOW - timedelta(days=1))
    with monkeypatch.context() as patched:
        patched.setattr(ledger, "settle", lambda customer_id, at: None)
        adjustments.adjust(CUSTOMER, -150, "first", "admin-1")
    assert store.accounts[CUSTOMER].unsettled == 150 - ledger.LOT_WRITES_PER_MOVE

    output = adjustments.adjust(CUSTOMER, -100, "second", "admin-1")

    assert output.balance_after == 50
    assert_owes_nothing(store)
    assert len(store.live_lots(CUSTOMER)) == 50


def test_a_move_meanwhile_makes_settling_decide_again(store: FakeLoyaltyStore) -> None:
    store.open_account(CUSTOMER)
    _lots(store, 200, 1, apart=timedelta(minutes=1), newest=NOW - timedelta(days=1))
    store.before_next_commit(lambda: None)  # the debit itself
    store.before_next_commit(lambda: store.concurrent_credit(CUSTOMER, 7))  # before the settlement

    output = adjustments.adjust(CUSTOMER, -150, "correction", "admin-1")

    assert output.balance_after == 50
    assert store.accounts[CUSTOMER].balance == 57
    assert_owes_nothing(store)


# ---- reads -------------------------------------------------------------------------------------


def test_list_transactions_pages_newest_first(store: FakeLoyaltyStore, cursor_key: str) -> None:
    store.open_account(CUSTOMER)
    ids = [
        adjustments.adjust(CUSTOMER, points, f"adj {points}", "admin-1").transaction_id
        for points in range(1, 6)
    ]

    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = transactions.list_transactions(CUSTOMER, None, 2, cursor)
        pages += 1
        seen += [item.transaction_id for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert pages == 3
    assert seen == ids[::-1]


def test_list_transactions_filters_by_type(store: FakeLoyaltyStore, cursor_key: str) -> None:
    store.open_account(CUSTOMER)
    seed(store, 100, days_ago=10)
    adjustments.adjust(CUSTOMER, -5, "a", "admin-1")
    adjustments.adjust(CUSTOMER, -6, "b", "admin-1")

    page = transactions.list_transactions(CUSTOMER, "adjust", 1, None)
    assert [(i.type, i.points) for i in page.items] == [("adjust", -6)]
    assert page.next_cursor is not None
    rest = transactions.list_transactions(CUSTOMER, "adjust", 5, page.next_cursor)
    assert [(i.type, i.points) for i in rest.items] == [("adjust", -5)]
    assert rest.next_cursor is None


def test_list_transactions_cursor_is_bound_to_customer_and_filter(
    store: FakeLoyaltyStore, cursor_key: str
) -> None:
    store.open_account(CUSTOMER)
    store.open_account("cust-2")
    for points in (1, 2, 3):
        adjustments.adjust(CUSTOMER, points, "x", "admin-1")
        adjustments.adjust("cust-2", points, "x", "admin-1")
    cursor = transactions.list_transactions(CUSTOMER, None, 1, None).next_cursor
    assert cursor is not None

    with pytest.raises(InvalidInput, match="invalid_cursor"):
        transactions.list_transactions("cust-2", None, 1, cursor)
    with pytest.raises(InvalidInput, match="invalid_cursor"):
        transactions.list_transactions(CUSTOMER, "adjust", 1, cursor)


def test_list_catalog_orders_by_tier_then_cost_and_localizes(catalog: FakeLoyaltyStore) -> None:
    catalog.add_item("mug", 200, "bronze", {"en": "Mug", "ar": "كوب"})
    catalog.add_item("cap", 150, "bronze", {"en": "Cap", "ar": "قبعة"})

    items = list_catalog("ar").items

    assert [i.item_id for i in items] == ["cap", "coffee", "mug", "tote", "lounge"]
    assert [i.name for i in items] == ["قبعة", "قهوة", "كوب", "حقيبة", "Lounge pass"]  # no ar name: en
    assert [i.min_tier for i in items] == ["bronze", "bronze", "bronze", "silver", "gold"]


def test_a_redemption_is_signalled_to_the_fraud_scorer_with_its_change(
    store: FakeLoyaltyStore, published: Published
) -> None:
    store.open_account(CUSTOMER)
    seed(store, 1000, days_ago=5)
    store.add_item("coffee", 300, "bronze")
    output = redemptions.redeem(CUSTOMER, "coffee")
    [(queue, signal)] = published
    assert (queue, signal.kind, signal.customer_id, signal.message_id) == (
        "fraud",
        "redemption",
        CUSTOMER,
        f"redemption:{output.redemption_id}",
    )
    assert signal.data["pointsSpent"] == 300


# ---- the tier upgrade's notification (every account change passes `stage`) ------------------------


def _notifications(published: Published) -> list[Any]:
    return [message for queue, message in published if queue == "notifications"]


@pytest.mark.parametrize(
    ("move", "tier_id"),
    [
        (lambda: ledger.earn(CUSTOMER, Decimal("150"), "purchase", PURCHASE), "silver"),
        (lambda: ledger.credit_bonus(CUSTOMER, 4200, "referral bonus", Source("referral", "r1")), "gold"),
    ],
    ids=["earn", "bonus"],
)
def test_a_change_that_raises_the_tier_queues_its_notification_with_it(
    store: FakeLoyaltyStore, published: Published, move: Callable[[], object], tier_id: str
) -> None:
    store.open_account(CUSTOMER)
    seed(store, 900, days_ago=30)

    move()

    [notification] = _notifications(published)
    assert (notification.message_id, notification.category, notification.template) == (
        f"tier:{CUSTOMER}:{tier_id}",
        "loyalty",
        "tier_upgrade",
    )
    assert notification.params == {"tier": tier_id}
    assert store.accounts[CUSTOMER].tier_id == tier_id


def test_a_change_within_the_tier_queues_no_notification(
    store: FakeLoyaltyStore, published: Published
) -> None:
    store.open_account(CUSTOMER)
    seed(store, 900, days_ago=30)

    ledger.earn(CUSTOMER, Decimal("99"), "purchase", PURCHASE)  # 999: still bronze
    adjustments.adjust(CUSTOMER, 5000, "goodwill", "admin-1")  # adjustments never move the tier
    adjustments.adjust(CUSTOMER, -100, "correction", "admin-1")

    assert _notifications(published) == []
    assert store.accounts[CUSTOMER].tier_id == "bronze"


def test_the_notification_is_lost_with_a_change_that_does_not_commit(
    store: FakeLoyaltyStore, published: Published
) -> None:
    store.open_account(CUSTOMER)
    seed(store, 900, days_ago=30)
    store.before_next_commit(lambda: store.concurrent_credit(CUSTOMER, 5))  # the first try is stale

    ledger.earn(CUSTOMER, Decimal("150"), "purchase", PURCHASE)

    assert store.commit_attempts == 2
    assert [notification.message_id for notification in _notifications(published)] == [
        f"tier:{CUSTOMER}:silver"
    ]
