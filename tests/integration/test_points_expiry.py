"""The daily points expiry on moto: lots found through the expiry-date index, written off with an
`expire` transaction once, whatever the number of runs, and only the customers concerned visited;
the "points expiring" notification a week ahead, once per customer and expiry date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import botocore.client
import pytest

from customer_id import clock, db
from customer_id.loyalty import repository, service
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


def _expire() -> Any:
    function = template().function("PointsExpiryScheduleFunction")
    return handler("PointsExpiryScheduleFunction")(sample_event(function), None)


def _earn(at: Callable[[datetime], None], customer_id: str, moment: datetime, amount: str) -> None:
    at(moment)
    assert purchase(customer_id, f"O-{moment.isoformat()}", amount).status == 201


def test_expired_points_are_written_off_once(at: Callable[[datetime], None]) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, EARNED, "100")
    _earn(at, ME, datetime(2025, 12, 1, tzinfo=UTC), "50")
    at(RUN)
    assert account(ME)["pointsBalance"] == 50  # due, not yet written off
    assert [entry["type"] for entry in ledger(ME)] == ["earn", "earn"]

    assert _expire() == {"day": "2026-06-12", "customers": 1, "points": 100, "noticed": 0}

    expired, *earned = ledger(ME)
    assert (expired["type"], expired["points"], expired["balanceAfter"]) == ("expire", -100, 50)
    assert expired["source"] == {"kind": "lot", "id": earned[-1]["transactionId"]}
    assert expired["createdAt"] == clock.iso(RUN)
    loyalty = account(ME)
    assert (loyalty["pointsBalance"], loyalty["lifetimePoints"]) == (50, 150)

    assert _expire() == {"day": "2026-06-12", "customers": 0, "points": 0, "noticed": 0}
    assert [entry["type"] for entry in ledger(ME)] == ["expire", "earn", "earn"]
    assert [entry["type"] for entry in ledger(ME, type="expire")] == ["expire"]


def test_a_lot_expiring_later_in_the_day_is_written_off_by_the_next_run(
    at: Callable[[datetime], None],
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 12, 15, 0, tzinfo=UTC), "40")
    at(RUN)
    assert _expire() == {"day": "2026-06-12", "customers": 1, "points": 0, "noticed": 0}
    assert account(ME)["pointsBalance"] == 40
    at(datetime(2026, 6, 13, 0, 30, tzinfo=UTC))
    assert _expire() == {"day": "2026-06-13", "customers": 1, "points": 40, "noticed": 0}
    assert [(entry["type"], entry["balanceAfter"]) for entry in ledger(ME)] == [("expire", 0), ("earn", 40)]


def test_points_a_debit_already_wrote_off_are_not_expired_again(at: Callable[[datetime], None]) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, EARNED, "100")
    _earn(at, ME, datetime(2026, 1, 5, tzinfo=UTC), "80")
    at(RUN)
    assert adjust(ME, -30).status == 201  # writes off the expired lot on its way
    assert _expire() == {"day": "2026-06-12", "customers": 0, "points": 0, "noticed": 0}
    assert [(entry["type"], entry["points"]) for entry in ledger(ME)] == [
        ("adjust", -30),
        ("expire", -100),
        ("earn", 80),
        ("earn", 100),
    ]
    assert account(ME)["pointsBalance"] == 50


def test_new_lots_are_indexed_by_their_utc_expiry_date(at: Callable[[datetime], None]) -> None:
    at(EARNED)
    create_profile(ME, timezone="Pacific/Kiritimati")  # already 11 June there: the index is in UTC
    _earn(at, ME, EARNED, "10")
    assert list(repository.customers_with_lots_expiring_on(date(2026, 6, 10))) == [ME]
    assert list(repository.customers_with_lots_expiring_on(date(2026, 6, 11))) == []


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
    at: Callable[[datetime], None], dynamodb_requests: list[str]
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, EARNED, "100")
    for index in range(10):  # bystanders: lots expiring in a month, or none at all
        customer_id = f"customer-{index}"
        create_profile(customer_id)
        if index % 2:
            _earn(at, customer_id, datetime(2025, 7, 10, tzinfo=UTC), "20")
    at(RUN)
    dynamodb_requests.clear()
    assert _expire()["customers"] == 1
    # the index, for the run's day, the days it catches up and the week it announces; then the one
    # customer's account, lots, and their write-off
    assert sorted(dynamodb_requests) == sorted(
        ["Query"] * (8 + 7) + ["GetItem", "Query", "TransactWriteItems"]
    )
    assert account("customer-1")["pointsBalance"] == 20  # untouched


# ---- "points expiring" ------------------------------------------------------------------------


def test_points_expiring_within_a_week_are_announced_once_per_date(
    at: Callable[[datetime], None], queued_notifications: Any
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "70")
    _earn(at, ME, datetime(2025, 6, 15, 18, 0, tzinfo=UTC), "30")  # the same expiry date: one notice
    _earn(at, ME, datetime(2025, 6, 25, 10, 0, tzinfo=UTC), "20")
    at(datetime(2026, 6, 7, 0, 30, tzinfo=UTC))  # 15 June is 8 days ahead: not yet
    assert _expire()["noticed"] == 0
    assert adjust(ME, -50).status == 201  # spends 50 of the oldest lot
    at(datetime(2026, 6, 8, 0, 30, tzinfo=UTC))  # a week ahead
    assert _expire()["noticed"] == 1
    assert _expire()["noticed"] == 0  # the same day again
    at(datetime(2026, 6, 9, 0, 30, tzinfo=UTC))
    assert _expire()["noticed"] == 0  # the next day: announced already
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
    assert _expire() == {"day": "2026-06-18", "customers": 1, "points": 50, "noticed": 1}
    [later] = queued_notifications("points_expiring")
    assert (later["messageId"], later["params"]["points"]) == (f"expiring:{ME}:2026-06-25", 20)


def test_missed_runs_still_announce_before_the_expiry(
    at: Callable[[datetime], None], queued_notifications: Any
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 13, 0, 30, tzinfo=UTC))  # the runs of 8 to 12 June never happened
    assert _expire()["noticed"] == 1
    assert [notice["params"]["points"] for notice in queued_notifications("points_expiring")] == [40]


def test_points_spent_before_the_run_are_not_announced(
    at: Callable[[datetime], None], queued_notifications: Any
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 8, 0, 30, tzinfo=UTC))
    assert adjust(ME, -40).status == 201
    assert _expire()["noticed"] == 0
    assert queued_notifications("points_expiring") == []


def test_a_run_that_dies_after_committing_a_notice_does_not_repeat_it(
    at: Callable[[datetime], None], queued_notifications: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(EARNED)
    create_profile(ME)
    _earn(at, ME, datetime(2025, 6, 15, 10, 0, tzinfo=UTC), "40")
    at(datetime(2026, 6, 8, 0, 30, tzinfo=UTC))
    real = db.UnitOfWork.commit

    def dying(work: db.UnitOfWork) -> None:
        real(work)
        raise RuntimeError("died after the commit")

    with monkeypatch.context() as crash:
        crash.setattr(db.UnitOfWork, "commit", dying)
        with pytest.raises(RuntimeError, match="died after the commit"):
            _expire()
    assert _expire()["noticed"] == 0  # the retried run finds the notice's marker
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
    runs = race(monkeypatch, lambda: service.notice_expiring(ME, on), lambda: service.notice_expiring(ME, on))
    assert sorted(runs) == [False, True]
    assert len(queued_notifications("points_expiring")) == 1
