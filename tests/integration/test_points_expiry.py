"""The daily points expiry on moto, run as deployed (the schedule plans each ended day once, the
worker does its units from the queue): lots found through the sharded expiry index, written off with
an `expire` transaction once, whatever the number of runs, and only the customers concerned visited;
missed days caught up; the "points expiring" notification a week ahead, once per customer and expiry
date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import botocore.client
import pytest

from customer_id import clock, db, jobs, shards
from customer_id.loyalty import expiry, repository
from customer_id.loyalty import ledger as loyalty_ledger
from customer_id.loyalty.models import PointLotRecord
from tests.clock import FrozenClock
from tests.harness import handler, sample_event, template
from tests.integration.helpers import account, adjust, create_profile, ledger, purchase
from tests.races import race

ME = "customer-expiring"
EARNED = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)  # expires 2026-06-10T09:00Z
RUN = datetime(2026, 6, 12, 0, 30, tzinfo=UTC)  # two daily runs late


@pytest.fixture
def at(frozen_clock: FrozenClock) -> Callable[[datetime], None]:
    """Moves the frozen clock: every service, powertools and moto read the new time."""
    return frozen_clock.move_to


@pytest.fixture
def expire(consume: Callable[[str], int], monkeypatch: pytest.MonkeyPatch) -> Callable[[], dict[str, Any]]:
    """Runs the job: its schedule, then its worker on the units queued (real SQS batches). Answers
    the days planned and what their units did, summed: the customers visited, the points written
    off and the notices queued."""
    done = {"customers": 0, "points": 0, "noticed": 0}
    visit, notice = loyalty_ledger.expire_due, expiry.notice_expiring

    def visiting(customer_id: str, at: datetime | None = None) -> int:
        points = visit(customer_id, at)
        done["customers"] += 1
        done["points"] += points
        return points

    def noticing(customer_id: str, on: date) -> bool:
        queued = notice(customer_id, on)
        done["noticed"] += queued
        return queued

    monkeypatch.setattr(loyalty_ledger, "expire_due", visiting)
    monkeypatch.setattr(expiry, "notice_expiring", noticing)

    def run() -> dict[str, Any]:
        done.update(customers=0, points=0, noticed=0)
        function = template().function("PointsExpiryScheduleFunction")
        planned = handler("PointsExpiryScheduleFunction")(sample_event(function), None)["planned"]
        consume("PointsExpiryWorkerFunction")
        return {"days": [day[:10] for day in planned], **done}

    return run


def _earn(at: Callable[[datetime], None], customer_id: str, moment: datetime, amount: str) -> None:
    at(moment)
    assert purchase(customer_id, f"O-{moment.isoformat()}", amount).status == 201


Expire = Callable[[], dict[str, Any]]


def test_expired_points_are_written_off_once(at: Callable[[datetime], None], expire: Expire) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, EARNED, "100")
    _earn(at, ME, datetime(2025, 12, 1, tzinfo=UTC), "50")
    at(datetime(2026, 6, 9, 0, 30, tzinfo=UTC))
    assert expire() == {"days": ["2026-06-08"], "customers": 0, "points": 0, "noticed": 0}
    at(RUN)  # the runs of 10 and 11 June never happened
    assert account(ME)["pointsBalance"] == 50  # due, not yet written off
    assert [entry["type"] for entry in ledger(ME)] == ["earn", "earn"]

    assert expire() == {
        "days": ["2026-06-09", "2026-06-10", "2026-06-11"],
        "customers": 1,
        "points": 100,
        "noticed": 0,
    }

    expired, *earned = ledger(ME)
    assert (expired["type"], expired["points"], expired["balanceAfter"]) == ("expire", -100, 50)
    assert expired["source"] == {"kind": "lot", "id": earned[-1]["transactionId"]}
    assert expired["createdAt"] == clock.iso(RUN)
    loyalty = account(ME)
    assert (loyalty["pointsBalance"], loyalty["lifetimePoints"]) == (50, 150)

    assert expire() == {"days": [], "customers": 0, "points": 0, "noticed": 0}  # planned once
    for unit in jobs.units(expiry.EXPIRY, datetime(2026, 6, 10, tzinfo=UTC)):  # done again by hand
        assert expiry.expire_unit(unit).points == 0
    assert [entry["type"] for entry in ledger(ME)] == ["expire", "earn", "earn"]
    assert [entry["type"] for entry in ledger(ME, type="expire")] == ["expire"]


def test_a_lot_expiring_later_in_the_day_is_written_off_once_the_day_is_over(
    at: Callable[[datetime], None], expire: Expire
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 12, 15, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 12, 16, 0, tzinfo=UTC))  # due since 15:00, its day not over
    assert expire() == {"days": ["2026-06-11"], "customers": 0, "points": 0, "noticed": 0}
    assert [entry["type"] for entry in ledger(ME)] == ["earn"]  # not written off yet
    at(datetime(2026, 6, 13, 0, 30, tzinfo=UTC))
    assert expire() == {"days": ["2026-06-12"], "customers": 1, "points": 40, "noticed": 0}
    assert [(entry["type"], entry["balanceAfter"]) for entry in ledger(ME)] == [("expire", 0), ("earn", 40)]


def test_points_a_debit_already_wrote_off_are_not_expired_again(
    at: Callable[[datetime], None], expire: Expire
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, EARNED, "100")
    _earn(at, ME, datetime(2026, 1, 5, tzinfo=UTC), "80")
    at(datetime(2026, 6, 10, 0, 30, tzinfo=UTC))
    expire()
    at(RUN)
    assert adjust(ME, -30).status == 201  # writes off the expired lot on its way
    assert expire() == {"days": ["2026-06-10", "2026-06-11"], "customers": 0, "points": 0, "noticed": 0}
    assert [(entry["type"], entry["points"]) for entry in ledger(ME)] == [
        ("adjust", -30),
        ("expire", -100),
        ("earn", 80),
        ("earn", 100),
    ]
    assert account(ME)["pointsBalance"] == 50


def test_new_lots_are_indexed_by_their_utc_expiry_date_and_the_customers_shard(
    at: Callable[[datetime], None],
) -> None:
    at(EARNED)
    create_profile(ME, timezone="Pacific/Kiritimati")  # already 11 June there: the index is in UTC
    _earn(at, ME, EARNED, "10")
    mine = shards.shard_of(ME, expiry.EXPIRY.shards)
    assert list(repository.customers_with_lots_expiring_on(date(2026, 6, 10), mine)) == [ME]
    assert list(repository.customers_with_lots_expiring_on(date(2026, 6, 11), mine)) == []
    other = (mine + 1) % expiry.EXPIRY.shards
    assert list(repository.customers_with_lots_expiring_on(date(2026, 6, 10), other)) == []


def test_a_days_lots_spread_over_the_shards(at: Callable[[datetime], None]) -> None:
    """A sale day's lots are keyed under many index partitions, not one per day."""
    at(EARNED)
    customers = [f"buyer-{index}" for index in range(40)]
    for customer_id in customers:
        create_profile(customer_id)
        assert purchase(customer_id, f"O-{customer_id}", "10").status == 201
    keys = {record.expiry_shard for record in PointLotRecord.scan(PointLotRecord.sk.startswith("LOT#"))}
    assert {key.split("#")[0] for key in keys} == {"2026-06-10"}
    assert len(keys) > 20  # 40 customers over 32 shards
    found = [
        customer_id
        for shard in range(expiry.EXPIRY.shards)
        for customer_id in repository.customers_with_lots_expiring_on(date(2026, 6, 10), shard)
    ]
    assert sorted(found) == sorted(customers)


@pytest.fixture
def dynamodb_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, parameters: Any) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            made.append(operation)
        return original(self, operation, parameters)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    return made


def test_the_expiry_reads_only_the_customers_whose_points_expire(
    at: Callable[[datetime], None], dynamodb_requests: list[str], expire: Expire
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, EARNED, "100")
    for index in range(10):  # bystanders: lots expiring in a month, or none at all
        customer_id = f"customer-{index}"
        create_profile(customer_id)
        if index % 2:
            _earn(at, customer_id, datetime(2025, 7, 10, tzinfo=UTC), "20")
    at(datetime(2026, 6, 11, 0, 30, tzinfo=UTC))
    dynamodb_requests.clear()
    assert expire()["customers"] == 1
    shards = expiry.EXPIRY.shards
    # the schedule: its cursor, read once and moved with the day's units; each unit: its shard of the
    # index for the day and for the day a week ahead; the one customer's account, lots, write-off
    assert sorted(dynamodb_requests) == sorted(
        ["GetItem", "TransactWriteItems"]
        + ["Query"] * (2 * shards)
        + ["GetItem", "Query", "TransactWriteItems"]
    )
    assert account("customer-1")["pointsBalance"] == 20  # untouched


# ---- "points expiring" ------------------------------------------------------------------------


def test_points_expiring_within_a_week_are_announced_once_per_date(
    at: Callable[[datetime], None], queued_notifications: Any, expire: Expire
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "70")
    _earn(at, ME, datetime(2025, 6, 15, 18, 0, tzinfo=UTC), "30")  # the same expiry date: one notice
    _earn(at, ME, datetime(2025, 6, 25, 10, 0, tzinfo=UTC), "20")
    at(datetime(2026, 6, 7, 0, 30, tzinfo=UTC))  # 15 June is 8 days ahead: not yet
    assert expire()["noticed"] == 0
    assert adjust(ME, -50).status == 201  # spends 50 of the oldest lot
    at(datetime(2026, 6, 8, 0, 30, tzinfo=UTC))  # a week ahead
    assert expire()["noticed"] == 1
    assert expire()["noticed"] == 0  # the same day again
    at(datetime(2026, 6, 9, 0, 30, tzinfo=UTC))
    assert expire()["noticed"] == 0  # the next day: announced already
    [notice] = queued_notifications("points_expiring")
    assert (notice["messageId"], notice["customerId"], notice["category"]) == (
        f"expiring:{ME}:2026-06-15",
        ME,
        "loyalty",
    )
    assert notice["params"] == {
        "points": 50,
        "expiresAt": clock.iso(datetime(2026, 6, 15, 10, 0, tzinfo=UTC)),
    }
    at(datetime(2026, 6, 18, 0, 30, tzinfo=UTC))  # 25 June's lot, a week ahead
    assert expire() == {
        "days": [f"2026-06-{day:02d}" for day in range(9, 18)],
        "customers": 1,
        "points": 50,
        "noticed": 1,
    }
    [later] = queued_notifications("points_expiring")
    assert (later["messageId"], later["params"]["points"]) == (f"expiring:{ME}:2026-06-25", 20)


def test_missed_runs_still_announce_before_the_expiry(
    at: Callable[[datetime], None], queued_notifications: Any, expire: Expire
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 1, 0, 30, tzinfo=UTC))
    expire()
    at(datetime(2026, 6, 13, 0, 30, tzinfo=UTC))  # the runs of 2 to 12 June never happened
    assert expire()["noticed"] == 1  # caught up: the day a week before 15 June was planned too
    assert [notice["params"]["points"] for notice in queued_notifications("points_expiring")] == [40]


def test_caught_up_days_do_not_announce_what_has_expired(
    at: Callable[[datetime], None], queued_notifications: Any, expire: Expire
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 1, 0, 30, tzinfo=UTC))
    expire()
    at(datetime(2026, 6, 20, 0, 30, tzinfo=UTC))  # three weeks of runs missed: 15 June is past
    assert expire() == {
        "days": [f"2026-06-{day:02d}" for day in range(1, 20)],
        "customers": 1,
        "points": 40,
        "noticed": 0,
    }
    assert queued_notifications("points_expiring") == []


def test_points_spent_before_the_run_are_not_announced(
    at: Callable[[datetime], None], queued_notifications: Any, expire: Expire
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 8, 0, 30, tzinfo=UTC))
    assert adjust(ME, -40).status == 201
    assert expire()["noticed"] == 0
    assert queued_notifications("points_expiring") == []


def test_a_unit_that_dies_after_committing_a_notice_does_not_repeat_it(
    at: Callable[[datetime], None], queued_notifications: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 8, 0, 30, tzinfo=UTC))
    [unit] = [
        unit
        for unit in jobs.units(expiry.EXPIRY, datetime(2026, 6, 7, tzinfo=UTC))
        if unit.shard == shards.shard_of(ME, expiry.EXPIRY.shards)
    ]
    real = db.UnitOfWork.commit

    def dying(work: db.UnitOfWork) -> None:
        real(work)
        raise RuntimeError("died after the commit")

    with monkeypatch.context() as crash:
        crash.setattr(db.UnitOfWork, "commit", dying)
        with pytest.raises(RuntimeError, match="died after the commit"):
            expiry.expire_unit(unit)
    assert expiry.expire_unit(unit).noticed == 0  # the unit, received again, finds the marker
    assert [notice["messageId"] for notice in queued_notifications("points_expiring")] == [
        f"expiring:{ME}:2026-06-15"
    ]


@pytest.mark.guard("loyalty.repository:note_expiry_notice")
def test_racing_runs_announce_a_date_once(
    at: Callable[[datetime], None], queued_notifications: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 8, 0, 30, tzinfo=UTC))
    on = date(2026, 6, 15)
    runs = race(monkeypatch, lambda: expiry.notice_expiring(ME, on), lambda: expiry.notice_expiring(ME, on))
    assert sorted(runs) == [False, True]
    assert len(queued_notifications("points_expiring")) == 1
