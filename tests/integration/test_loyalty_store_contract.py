"""The loyalty store's contract: what the loyalty modules rely on from the repository
and the unit of work, run identically against the production repository on moto and against
`tests.unit.fakes.FakeLoyaltyStore`, on which the unit tier runs the service.

Every test takes `store` and runs once per backend. On `moto` nothing is replaced: the repository
functions and `db.UnitOfWork` are the production ones (checked), and its `commit` is only counted and
given a concurrent writer to run before its request, as the fake does. Each test states a behaviour:
reads (an account, lots oldest first across pages, the ledger a page at a time, the catalog); a
commit applied whole; every condition that `repository.stage` puts on the customer's own keys
failing with `StaleAccount` and nothing written; all-or-nothing across customers and other writes;
the transaction's limits; contention (`tests.contention` on moto) as `db.Contended`; and the
service's optimistic loop deciding again on each of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

import pytest
from botocore.client import BaseClient
from pynamodb.exceptions import TransactWriteError

from customer_id import clock, db
from customer_id import request as requests
from customer_id.errors import Busy, Conflict, Forbidden
from customer_id.loyalty import adjustments, redemptions, repository
from customer_id.loyalty import ledger as loyalty_ledger
from customer_id.loyalty.models import (
    ACCOUNT_SK,
    Account,
    CatalogItem,
    LedgerEntry,
    Lot,
    LoyaltyAccountRecord,
    RedemptionRecord,
    Source,
    lot_key,
)
from customer_id.loyalty.repository import AccountChange, Redemption, StaleAccount
from customer_id.profile.models import PROFILE_SK, ProfileRecord
from tests.contention import Contention, contention
from tests.unit.fakes import FakeLoyaltyStore, StoredRedemption, concurrent_change, seed_change

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
PRODUCTION = {name: getattr(repository, name) for name in FakeLoyaltyStore.REPLACED}
PRODUCTION_UNIT_OF_WORK = db.UnitOfWork
PRODUCTION_COMMIT = db.UnitOfWork.commit


class LoyaltyStore(Protocol):
    """What a backend offers the contract besides the repository functions themselves."""

    commit_attempts: int

    def open_account(
        self, customer_id: str, *, tier_id: str = ..., lifetime_points: int = ..., redemption_hold: bool = ...
    ) -> Account: ...
    def seed_lot(self, customer_id: str, points: int, earned_at: datetime, expires_at: datetime) -> Lot: ...
    def add_item(
        self, item_id: str, points_cost: int, min_tier: str, name: dict[str, str] | None = None
    ) -> None: ...
    def before_next_commit(self, action: Callable[[], None]) -> None: ...
    def concurrent_credit(self, customer_id: str, points: int) -> None: ...
    def set_redemption_hold(self, customer_id: str, hold: bool) -> None: ...
    def contention(self, reason: str = ..., *, every: int = ...) -> AbstractContextManager[Contention]: ...
    def stage_other(self, work: db.UnitOfWork, write: Any) -> None: ...
    def wrote_other(self, write: Any) -> bool: ...
    def redemption(self, customer_id: str, redemption_id: str) -> StoredRedemption | None: ...


class MotoLoyaltyStore:
    """The production repository on moto's loyalty table (provisioned by the `aws` fixture). The
    set-up commits through `repository.stage` and the production commit; another feature's write is
    a profile, in the profiles table."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.commit_attempts = 0
        self._before_commit: list[Callable[[], None]] = []
        self._seeds = 0
        store = self

        def commit(work: db.UnitOfWork) -> None:
            if len(work) > 0:  # an empty unit of work sends nothing, so it is no attempt
                store.commit_attempts += 1
                if store._before_commit:
                    store._before_commit.pop(0)()
            PRODUCTION_COMMIT(work)

        monkeypatch.setattr(db.UnitOfWork, "commit", commit)

    def _write(self, change: AccountChange) -> None:
        work = db.UnitOfWork()
        repository.stage(work, change)
        PRODUCTION_COMMIT(work)

    def _account(self, customer_id: str) -> Account:
        account = repository.get_account(customer_id)
        assert account is not None
        return account

    def open_account(
        self,
        customer_id: str,
        *,
        tier_id: str = "bronze",
        lifetime_points: int = 0,
        redemption_hold: bool = False,
    ) -> Account:
        LoyaltyAccountRecord(
            pk=db.customer_key(customer_id),
            sk=ACCOUNT_SK,
            customer_id=customer_id,
            balance=0,
            lifetime_points=lifetime_points,
            tier=tier_id,
            redemption_hold=redemption_hold,
            seq=0,
            opened_at=NOW,
        ).save()
        return self._account(customer_id)

    def seed_lot(self, customer_id: str, points: int, earned_at: datetime, expires_at: datetime) -> Lot:
        self._seeds += 1
        change = seed_change(self._account(customer_id), self._seeds, points, earned_at, expires_at)
        self._write(change)
        return change.new_lots[0]

    def add_item(
        self, item_id: str, points_cost: int, min_tier: str, name: dict[str, str] | None = None
    ) -> None:
        repository.put_catalog_item(
            CatalogItem(
                item_id, name or {"en": item_id.title(), "ar": f"ar:{item_id}"}, points_cost, min_tier
            )
        )

    def before_next_commit(self, action: Callable[[], None]) -> None:
        self._before_commit.append(action)

    def concurrent_credit(self, customer_id: str, points: int) -> None:
        account = self._account(customer_id)
        self._write(concurrent_change(account, points, repository.lots_oldest_first(customer_id)))

    def set_redemption_hold(self, customer_id: str, hold: bool) -> None:
        repository.set_redemption_hold(customer_id, hold)

    def contention(
        self, reason: str = "TransactionConflict", *, every: int = 1
    ) -> AbstractContextManager[Contention]:
        return contention(self.monkeypatch, reason, every=every)

    def stage_other(self, work: db.UnitOfWork, write: Any) -> None:
        work.put(
            ProfileRecord(
                pk=db.customer_key(write),
                sk=PROFILE_SK,
                customer_id=write,
                display_name="Layla",
                email="layla@example.com",
                language="ar",
                timezone="Asia/Riyadh",
                joined_at=NOW,
                updated_at=NOW,
            ),
            ProfileRecord.pk.does_not_exist(),
        )

    def wrote_other(self, write: Any) -> bool:
        try:
            ProfileRecord.get(db.customer_key(write), PROFILE_SK, consistent_read=True)
        except ProfileRecord.DoesNotExist:
            return False
        return True

    def redemption(self, customer_id: str, redemption_id: str) -> StoredRedemption | None:
        try:
            record = RedemptionRecord.get(
                db.customer_key(customer_id), f"REDEMPTION#{redemption_id}", consistent_read=True
            )
        except RedemptionRecord.DoesNotExist:
            return None
        return StoredRedemption(
            Redemption(record.redemption_id, record.item_id, record.voucher_code),
            record.transaction_id,
            int(record.points_spent),
        )


@pytest.fixture(params=["fake", "moto"])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> LoyaltyStore:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(db.time, "sleep", lambda _: None)  # db.retry's pauses
    # outside any request (and operation) an earlier test on this thread may have left behind
    requests.begin(requests.Request(caller=None, accept_language=None))
    if request.param == "fake":
        fake = FakeLoyaltyStore()
        fake.install(monkeypatch)
        send = BaseClient._make_api_call

        def no_dynamodb(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            if client.meta.service_model.service_name == "dynamodb":
                raise AssertionError(f"the fake store let DynamoDB's {operation} through")
            return send(client, operation, params)

        monkeypatch.setattr(BaseClient, "_make_api_call", no_dynamodb)  # the fake answers every read
        return fake
    assert {name: getattr(repository, name) for name in PRODUCTION} == PRODUCTION
    assert db.UnitOfWork is PRODUCTION_UNIT_OF_WORK
    return MotoLoyaltyStore(monkeypatch)


@pytest.fixture
def customer(store: LoyaltyStore) -> str:
    customer_id = unique("contract")
    store.open_account(customer_id)
    return customer_id


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def ledger(customer_id: str) -> list[LedgerEntry]:
    """The whole ledger through `repository.ledger_page`, oldest first."""
    entries, next_key = repository.ledger_page(customer_id, None, 1000, None)
    assert next_key is None
    return entries[::-1]


def snapshot(customer_id: str) -> tuple[Account | None, list[LedgerEntry], list[Lot]]:
    """What the repository reads of a customer: the account, the ledger and the live lots."""
    return (
        repository.get_account(customer_id),
        ledger(customer_id),
        list(repository.lots_oldest_first(customer_id)),
    )


def commit(*changes: AccountChange, other: Any = None, store: LoyaltyStore | None = None) -> None:
    """The changes (and another feature's write) in one unit of work, committed."""
    work = db.UnitOfWork()
    for change in changes:
        repository.stage(work, change)
    if other is not None:
        assert store is not None
        store.stage_other(work, other)
    work.commit()


def entry(seq: int, kind: str, points: int, balance_after: int) -> LedgerEntry:
    return LedgerEntry(
        unique("t"),
        seq,
        kind,
        points,
        balance_after,
        f"{kind} {points}",
        Source("admin", "contract"),
        NOW,
    )


def credit(account: Account, points: int) -> AccountChange:
    """A lot of `points` earned now, with its `adjust` entry."""
    seq = account.seq + 1
    new = entry(seq, "adjust", points, account.balance + points)
    lot = Lot(lot_key(NOW, seq), points, NOW, NOW + timedelta(days=365), new.transaction_id)
    after = replace(account, balance=new.balance_after, seq=seq)
    return AccountChange(before=account, after=after, entries=[new], new_lots=[lot])


def spend(account: Account, lots: list[Lot], points: int, redemption_id: str | None = None) -> AccountChange:
    """`points` taken from `lots` oldest first (emptied lots deleted), with a redemption if named."""
    change = concurrent_change(account, -points, lots)
    [debit] = change.entries
    change.entries = [
        replace(debit, transaction_id=unique("t"), type="redeem" if redemption_id else "adjust")
    ]
    if redemption_id is not None:
        change.redemption = Redemption(redemption_id, "coffee", "ABCD-EFGH-JKMN")
    return change


def seeded(store: LoyaltyStore, customer_id: str) -> tuple[Lot, Lot]:
    """Two lots: 100 points earned 10 days ago, 50 earned 5 days ago (seq 2, balance 150)."""
    older = store.seed_lot(customer_id, 100, NOW - timedelta(days=10), NOW + timedelta(days=355))
    newer = store.seed_lot(customer_id, 50, NOW - timedelta(days=5), NOW + timedelta(days=360))
    return older, newer


def account_of(customer_id: str) -> Account:
    account = repository.get_account(customer_id)
    assert account is not None
    return account


# ---- reads -------------------------------------------------------------------------------------


def test_an_account_reads_back_as_opened_and_a_missing_one_as_none(store: LoyaltyStore) -> None:
    customer_id = unique("contract")
    store.open_account(customer_id, tier_id="gold", lifetime_points=4200, redemption_hold=True)

    assert repository.get_account(customer_id) == Account(customer_id, 0, 4200, "gold", True, 0)
    assert repository.get_account(unique("nobody")) is None
    assert list(repository.lots_oldest_first(unique("nobody"))) == []


def test_seeded_lots_read_back_with_their_entries(store: LoyaltyStore, customer: str) -> None:
    older, newer = seeded(store, customer)

    assert repository.get_account(customer) == Account(customer, 150, 150, "bronze", False, 2)
    assert list(repository.lots_oldest_first(customer)) == [older, newer]
    assert [(e.seq, e.type, e.points, e.balance_after, e.created_at) for e in ledger(customer)] == [
        (1, "earn", 100, 100, NOW - timedelta(days=10)),
        (2, "earn", 50, 150, NOW - timedelta(days=5)),
    ]


def test_lots_come_oldest_first_across_pages(store: LoyaltyStore, customer: str) -> None:
    # written in an order unlike their age, and more than a page of the real query (25)
    days = [(index * 7) % 30 for index in range(30)]
    lots = [
        store.seed_lot(customer, 1, NOW - timedelta(days=d, minutes=i), NOW + timedelta(days=300))
        for i, d in enumerate(days)
    ]

    read = list(repository.lots_oldest_first(customer))

    assert read == sorted(lots, key=lambda lot: lot.earned_at)
    assert [lot.key for lot in read] == sorted(lot.key for lot in lots)


def test_the_ledger_pages_newest_first_and_says_when_nothing_follows(
    store: LoyaltyStore, customer: str
) -> None:
    account = account_of(customer)
    for points in range(1, 6):
        commit(credit(account, points))
        account = account_of(customer)

    first, key = repository.ledger_page(customer, None, 2, None)
    assert [e.points for e in first] == [5, 4]
    assert key == {"pk": {"S": db.customer_key(customer)}, "sk": {"S": "TXN#000000000004"}}
    second, key = repository.ledger_page(customer, None, 2, key)
    assert [e.points for e in second] == [3, 2]
    last, key = repository.ledger_page(customer, None, 2, key)
    assert ([e.points for e in last], key) == ([1], None)
    exactly, key = repository.ledger_page(customer, None, 5, None)
    assert (len(exactly), key) == (5, None)


def test_the_ledger_pages_one_type(store: LoyaltyStore, customer: str) -> None:
    older, newer = seeded(store, customer)
    account = account_of(customer)
    commit(spend(account, [older, newer], 10))  # adjust, seq 3
    account = account_of(customer)
    commit(credit(account, 7))  # adjust, seq 4

    page, key = repository.ledger_page(customer, "adjust", 1, None)
    assert [(e.seq, e.points) for e in page] == [(4, 7)]
    assert key == {
        "pk": {"S": db.customer_key(customer)},
        "sk": {"S": "TXN#000000000004"},
        "typeSk": {"S": "adjust#000000000004"},
    }
    rest, key = repository.ledger_page(customer, "adjust", 5, key)
    assert ([(e.seq, e.points) for e in rest], key) == ([(3, -10)], None)
    earned, key = repository.ledger_page(customer, "earn", 5, None)
    assert ([e.seq for e in earned], key) == ([2, 1], None)


def test_the_catalog_lists_items_by_id_and_finds_one(store: LoyaltyStore) -> None:
    tag = uuid.uuid4().hex[:8]
    for item_id, cost, tier in ((f"zz-{tag}", 5, "bronze"), (f"aa-{tag}", 300, "gold")):
        store.add_item(item_id, cost, tier, {"en": item_id, "ar": f"ar-{item_id}"})

    mine = [item for item in repository.catalog() if item.item_id.endswith(tag)]

    assert [item.item_id for item in mine] == [f"aa-{tag}", f"zz-{tag}"]
    assert repository.catalog_item(f"aa-{tag}") == CatalogItem(
        f"aa-{tag}", {"en": f"aa-{tag}", "ar": f"ar-aa-{tag}"}, 300, "gold"
    )
    assert repository.catalog_item(f"none-{tag}") is None


# ---- commits -----------------------------------------------------------------------------------


def test_a_committed_change_is_read_back_whole(store: LoyaltyStore, customer: str) -> None:
    older, newer = seeded(store, customer)
    redemption_id = unique("r")
    change = spend(account_of(customer), [older, newer], 120, redemption_id)
    other = unique("other")

    commit(change, other=other, store=store)

    assert repository.get_account(customer) == change.after
    assert ledger(customer)[-1] == change.entries[0]
    assert list(repository.lots_oldest_first(customer)) == [replace(newer, remaining=30)]  # older deleted
    assert store.redemption(customer, redemption_id) == StoredRedemption(
        Redemption(redemption_id, "coffee", "ABCD-EFGH-JKMN"), change.entries[0].transaction_id, 120
    )
    assert store.wrote_other(other)


def test_what_a_debit_owes_the_lots_reads_back_and_settling_writes_no_entry(
    store: LoyaltyStore, customer: str
) -> None:
    older, newer = seeded(store, customer)
    account = account_of(customer)
    debit = entry(3, "adjust", -120, 30)
    owing = AccountChange(
        before=account,
        after=replace(account, balance=30, seq=3, unsettled=120),
        entries=[debit],
    )

    commit(owing)

    assert snapshot(customer) == (owing.after, [*ledger(customer)[:2], debit], [older, newer])
    settling = AccountChange(
        before=owing.after,
        after=replace(owing.after, seq=4, unsettled=0),
        changed_lots=[replace(older, remaining=0), replace(newer, remaining=30)],
    )
    commit(settling)
    assert snapshot(customer) == (settling.after, ledger(customer), [replace(newer, remaining=30)])
    assert [e.seq for e in ledger(customer)] == [1, 2, 3]


def stale_change(store: LoyaltyStore, customer_id: str, case: str) -> AccountChange:
    """A change decided on the customer's records (two seeded lots), then made stale by `case`: only
    that one condition of `repository.stage` fails."""
    older, newer = seeded(store, customer_id)
    account = account_of(customer_id)
    if case == "account moved":
        change = spend(account, [older, newer], 10)
        store.concurrent_credit(customer_id, 5)
    elif case == "hold placed":
        change = spend(account, [older, newer], 10)
        store.set_redemption_hold(customer_id, True)
    elif case == "no account":
        change = credit(Account(unique("never-opened"), 0, 0, "bronze", False, 0), 5)
    elif case == "ledger entry written":  # decided as if seq 2 were free
        change = credit(account, 5)
        change.entries = [replace(change.entries[0], seq=2)]
    elif case == "lot written":
        change = credit(account, 5)
        change.new_lots = [replace(change.new_lots[0], key=newer.key)]
    elif case == "lot to update gone":
        change = spend(account, [replace(newer, key=lot_key(NOW - timedelta(days=1), 9))], 10)
    elif case == "lot to delete gone":
        change = spend(account, [replace(newer, key=lot_key(NOW - timedelta(days=1), 9))], 50)
    elif case == "redemption written":
        redemption_id = unique("r")
        commit(spend(account, [older, newer], 10, redemption_id))
        change = spend(account_of(customer_id), [replace(older, remaining=90), newer], 10, redemption_id)
    else:
        raise AssertionError(case)
    return change


STALE_CASES = [
    "account moved",
    "hold placed",
    "no account",
    "ledger entry written",
    "lot written",
    "lot to update gone",
    "lot to delete gone",
    "redemption written",
]


@pytest.mark.parametrize("case", STALE_CASES)
def test_a_condition_failing_on_the_customers_own_keys_is_stale_and_writes_nothing(
    store: LoyaltyStore, customer: str, case: str
) -> None:
    change = stale_change(store, customer, case)
    before = snapshot(customer), snapshot(change.before.customer_id)
    other = unique("other")

    with pytest.raises(StaleAccount):
        commit(change, other=other, store=store)

    assert (snapshot(customer), snapshot(change.before.customer_id)) == before
    assert not store.wrote_other(other)


def test_the_stale_cases_commit_once_decided_again(store: LoyaltyStore, customer: str) -> None:
    """The control for the stale cases: the same kind of change, decided on what is stored, commits."""
    seeded(store, customer)
    store.concurrent_credit(customer, 5)
    store.set_redemption_hold(customer, True)
    account = account_of(customer)

    commit(spend(account, list(repository.lots_oldest_first(customer)), 10, unique("r")))

    assert account_of(customer) == replace(account, balance=145, seq=4)


def test_a_unit_of_work_commits_every_customers_change_or_none(store: LoyaltyStore, customer: str) -> None:
    second = unique("contract")
    store.open_account(second)
    fresh = credit(account_of(customer), 10)
    stale = credit(account_of(second), 20)
    store.concurrent_credit(second, 1)
    other = unique("other")

    with pytest.raises(StaleAccount):
        commit(fresh, stale, other=other, store=store)
    assert (account_of(customer).seq, ledger(customer), store.wrote_other(other)) == (0, [], False)

    commit(fresh, credit(account_of(second), 20), other=other, store=store)
    assert (account_of(customer).balance, account_of(second).balance, store.wrote_other(other)) == (
        10,
        21,
        True,
    )


def test_two_changes_of_one_account_in_one_unit_of_work_are_refused(
    store: LoyaltyStore, customer: str
) -> None:
    account = account_of(customer)

    with pytest.raises(TransactWriteError):
        commit(credit(account, 1), credit(replace(account, seq=5), 2))

    assert snapshot(customer) == (account, [], [])


def test_more_writes_than_one_transaction_holds_are_refused_before_sending(
    store: LoyaltyStore, customer: str
) -> None:
    account = account_of(customer)
    change = credit(account, 1)
    change.new_lots += [
        replace(change.new_lots[0], key=lot_key(NOW, 100 + n)) for n in range(db.MAX_TRANSACTION_ITEMS)
    ]

    with store.contention(every=1) as injected, pytest.raises(ValueError, match="do not fit one transaction"):
        commit(change)

    assert injected.answered == 0  # never sent
    assert snapshot(customer) == (account, [], [])


def test_an_empty_unit_of_work_sends_nothing(store: LoyaltyStore) -> None:
    with store.contention(every=1) as injected:
        db.UnitOfWork().commit()

    assert (injected.answered, store.commit_attempts) == (0, 0)


@pytest.mark.parametrize("reason", ["TransactionConflict", "ThrottlingError"])
def test_contention_is_contended_and_writes_nothing(store: LoyaltyStore, customer: str, reason: str) -> None:
    account = account_of(customer)
    other = unique("other")

    with store.contention(reason, every=1) as injected, pytest.raises(db.Contended):
        commit(credit(account, 10), other=other, store=store)

    assert injected.answered == 1
    assert snapshot(customer) == (account, [], [])
    assert not store.wrote_other(other)


def test_a_hold_moves_neither_seq_nor_balance(store: LoyaltyStore, customer: str) -> None:
    seeded(store, customer)
    account = account_of(customer)

    store.set_redemption_hold(customer, True)

    assert account_of(customer) == replace(account, redemption_hold=True)


# ---- the service's optimistic loop on the store's rules ---------------------------------------


def test_a_move_decided_on_a_moved_account_is_decided_again(store: LoyaltyStore, customer: str) -> None:
    seeded(store, customer)
    store.before_next_commit(lambda: store.concurrent_credit(customer, 5))

    result = loyalty_ledger.earn(customer, Decimal("100"), "purchase", Source("purchase", "o-1"))

    assert store.commit_attempts == 2
    assert result.balance_after == 255  # decided again on the account the other request left
    assert [(e.seq, e.type, e.balance_after) for e in ledger(customer)][2:] == [
        (3, "adjust", 155),
        (4, "earn", 255),
    ]


def test_a_redemption_racing_a_spend_that_empties_its_lot_cannot_overdraw(
    store: LoyaltyStore, customer: str
) -> None:
    store.seed_lot(customer, 300, NOW - timedelta(days=5), NOW + timedelta(days=360))
    item = unique("coffee")
    store.add_item(item, 200, "bronze")
    store.before_next_commit(lambda: store.concurrent_credit(customer, -200))

    with pytest.raises(Conflict) as raised:
        redemptions.redeem(customer, item)

    assert (raised.value.code, raised.value.params) == (
        "insufficient_points",
        {"needed": 200, "available": 100},
    )
    assert store.commit_attempts == 1
    assert account_of(customer).balance == 100
    assert [lot.remaining for lot in repository.lots_oldest_first(customer)] == [100]


def test_a_hold_placed_between_read_and_commit_stops_the_redemption(
    store: LoyaltyStore, customer: str
) -> None:
    seeded(store, customer)
    item = unique("coffee")
    store.add_item(item, 100, "bronze")
    store.before_next_commit(lambda: store.set_redemption_hold(customer, True))

    with pytest.raises(Forbidden) as raised:
        redemptions.redeem(customer, item)

    assert raised.value.code == "redemption_hold"
    assert store.commit_attempts == 1
    assert account_of(customer).balance == 150


def test_contention_is_retried_until_the_move_commits(store: LoyaltyStore, customer: str) -> None:
    with store.contention(every=2) as injected:
        first = adjustments.adjust(customer, 10, "goodwill", "admin-1")  # request 1: through
        second = adjustments.adjust(customer, 20, "goodwill", "admin-1")  # 2: contended, 3: through

    assert (injected.answered, store.commit_attempts) == (1, 3)
    assert (first.balance_after, second.balance_after) == (10, 30)
    assert [e.seq for e in ledger(customer)] == [1, 2]


def test_an_account_that_keeps_moving_ends_in_busy(
    store: LoyaltyStore, customer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loyalty_ledger, "MAX_ATTEMPTS", 4)  # as good as 30 for the rule, quicker on moto
    for _ in range(loyalty_ledger.MAX_ATTEMPTS):
        store.before_next_commit(lambda: store.concurrent_credit(customer, 1))

    with pytest.raises(Busy) as raised:
        loyalty_ledger.earn(customer, Decimal("10"), "purchase", Source("purchase", "o-1"))

    assert raised.value.code == "busy"
    assert store.commit_attempts == loyalty_ledger.MAX_ATTEMPTS
    assert [e.type for e in ledger(customer)] == ["adjust"] * loyalty_ledger.MAX_ATTEMPTS


def test_contention_that_lasts_ends_in_busy_with_nothing_written(
    store: LoyaltyStore, customer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loyalty_ledger, "MAX_ATTEMPTS", 4)
    account = account_of(customer)

    with store.contention("ThrottlingError", every=1) as injected, pytest.raises(Busy) as raised:
        adjustments.adjust(customer, 10, "goodwill", "admin-1")

    assert raised.value.code == "busy"
    assert injected.answered == loyalty_ledger.MAX_ATTEMPTS
    assert snapshot(customer) == (account, [], [])


# ---- the real backend's own promise ------------------------------------------------------------


def test_the_real_reads_the_service_decides_on_are_strongly_consistent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fake reads its own dictionaries, always current; on DynamoDB the account and the lots a
    change is decided on must be read consistently (moto is consistent either way, so the request
    is what can be checked)."""
    sent: list[tuple[str, dict[str, Any]]] = []
    original = BaseClient._make_api_call

    def record(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        sent.append((operation, params))
        return original(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    repository.get_account("contract-anyone")
    list(repository.lots_oldest_first("contract-anyone"))

    assert [(operation, params.get("ConsistentRead")) for operation, params in sent] == [
        ("GetItem", True),
        ("Query", True),
    ]
