"""The daily segment refresh on moto, run as deployed: the schedule (`SegmentRefreshFunction`) plans
one unit per ended UTC day and review-index shard on the segment-refresh queue (through the outbox),
the worker (`SegmentRefreshWorkerFunction`) re-assigns the customers of a unit's shard due for
review on its day. Missed days are caught up, a unit done twice changes nothing more, and the
review index is keyed by day and customer shard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from customer_id import clock, jobs, shards
from customer_id.db import customer_key
from customer_id.segments import repository, service
from customer_id.segments.models import (
    ASSIGNMENT_SK,
    REVIEW_SHARDS,
    STATS_SK,
    SegmentAssignmentRecord,
)
from customer_id.settings import settings
from tests.clock import DEFAULT_INSTANT, FrozenClock
from tests.harness import deliver, handler, invoke, sample_event, template
from tests.integration.helpers import ADMIN, create_profile, purchase
from tests.integration.writes import record_writes

ME = "customer-segmented"
WORKER = "SegmentRefreshWorkerFunction"
TODAY = DEFAULT_INSTANT.date()  # 2026-06-17, 08:30 UTC: the same date in every zone used here


def _plan() -> list[str]:
    """The schedule's run: the days it planned."""
    function = template().function("SegmentRefreshFunction")
    result: dict[str, Any] = handler(function.logical_id)(sample_event(function), None)
    assert result["job"] == "segment-refresh"
    planned: list[str] = result["planned"]
    return planned


def _days(first: date, count: int) -> list[str]:
    return [datetime.combine(first + timedelta(days=n), time(), UTC).isoformat() for n in range(count)]


def _stats(segment_id: str) -> int:
    reply = invoke("GetSegmentStatsFunction", path={"segmentId": segment_id}, caller=ADMIN)
    assert reply.status == 200, reply.body
    count: int = reply.body["customerCount"]
    return count


def _stored(customer_id: str) -> SegmentAssignmentRecord:
    return SegmentAssignmentRecord.get(customer_key(customer_id), ASSIGNMENT_SK, consistent_read=True)


def _customer_due(customer_id: str, review_on: date, timezone: str = "UTC") -> None:
    """A customer whose only purchase (today, recency 5) makes time alone move their recency score
    on `review_on` (a local date): 15 days after the purchase (recency 5 holds for 14 days)."""
    create_profile(customer_id, timezone=timezone)
    bought = datetime.combine(review_on - timedelta(days=15), time(12), ZoneInfo(timezone))
    assert purchase(customer_id, f"O-{customer_id}", "50", occurredAt=clock.iso(bought)).status == 201
    assert _stored(customer_id).review_shard == _review_key(customer_id, review_on)
    assert _stored(customer_id).recency == 5


def _review_key(customer_id: str, day: date) -> str:
    return f"{day.isoformat()}#{shards.shard_of(customer_id, REVIEW_SHARDS):02d}"


def _on_distinct_shards(count: int) -> list[str]:
    found: dict[int, str] = {}
    number = 0
    while len(found) < count:
        found.setdefault(shards.shard_of(f"customer-{number}", REVIEW_SHARDS), f"customer-{number}")
        number += 1
    return list(found.values())


def _unit(day: date, shard: int) -> jobs.Unit:
    return jobs.Unit(job=service.REFRESH.name, start=datetime.combine(day, time(), UTC), shard=shard)


def test_the_daily_refresh_moves_customers_whose_scores_time_changes(
    frozen_clock: FrozenClock, consume: Callable[[str], int]
) -> None:
    create_profile(ME, timezone="UTC")
    bought = DEFAULT_INSTANT - timedelta(days=20)  # recency 4: new; 3 (promising) from day 31
    assert purchase(ME, "O-1", "50", occurredAt=clock.iso(bought)).status == 201
    assert (_stored(ME).segment_id, _stored(ME).recency) == ("new", 4)
    assert _stored(ME).review_shard == _review_key(ME, TODAY + timedelta(days=11))
    frozen_clock.move_to(DEFAULT_INSTANT + timedelta(days=11))  # the review day has not ended
    assert _plan() == _days(TODAY + timedelta(days=10), 1)  # a first run plans the day just ended
    assert consume(WORKER) == REVIEW_SHARDS
    assert (_stored(ME).segment_id, _stats("new"), _stats("promising")) == ("new", 1, 0)
    frozen_clock.move_to(DEFAULT_INSTANT + timedelta(days=12))
    assert _plan() == _days(TODAY + timedelta(days=11), 1)
    assert consume(WORKER) == REVIEW_SHARDS
    assert (_stored(ME).segment_id, _stored(ME).recency) == ("promising", 3)
    assert (_stats("new"), _stats("promising")) == (0, 1)
    assert _stored(ME).review_shard == _review_key(ME, TODAY + timedelta(days=41))  # recency 3 -> 2


def test_the_refresh_of_a_customer_who_stays_writes_no_counter(
    frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch, consume: Callable[[str], int]
) -> None:
    _customer_due(ME, TODAY + timedelta(days=1))
    frozen_clock.move_to(DEFAULT_INSTANT + timedelta(days=2))  # recency 5 -> 4: still new, same spend
    written = record_writes(monkeypatch)
    assert _plan() == _days(TODAY + timedelta(days=1), 1)
    assert consume(WORKER) == REVIEW_SHARDS
    assert (_stored(ME).segment_id, _stored(ME).recency) == ("new", 4)
    assert [
        item.pk for item in written if item.table == settings().segments_table and item.sk != STATS_SK
    ] == [customer_key(ME)]
    assert [item for item in written if item.table == settings().segments_table and item.sk == STATS_SK] == []
    assert _stats("new") == 1


def test_missed_days_are_caught_up_however_many(
    frozen_clock: FrozenClock, consume: Callable[[str], int]
) -> None:
    customers = [f"customer-due-{n}" for n in range(6)]
    for n, customer_id in enumerate(customers):  # due on 18, 19, 20, 21, 22 and 23 June
        _customer_due(customer_id, TODAY + timedelta(days=1 + n))
    frozen_clock.move_to(DEFAULT_INSTANT + timedelta(days=1))
    assert _plan() == _days(TODAY, 1)  # the last run: 17 June
    assert consume(WORKER) == REVIEW_SHARDS

    frozen_clock.move_to(DEFAULT_INSTANT + timedelta(days=6))  # five runs missed: 23 June, 08:30
    assert _plan() == _days(TODAY + timedelta(days=1), 5)  # 18 to 22 June, in one run
    assert consume(WORKER) == 5 * REVIEW_SHARDS
    assert [_stored(customer_id).recency for customer_id in customers] == [4, 4, 4, 4, 4, 5]
    for n, customer_id in enumerate(customers[:5]):  # looked at again when the purchase is 31 days old
        assert _stored(customer_id).review_shard == _review_key(customer_id, TODAY + timedelta(days=17 + n))
    assert _stored(customers[5]).review_shard == _review_key(customers[5], TODAY + timedelta(days=6))

    assert _plan() == []  # planned once: a second run plans nothing
    assert consume(WORKER) == 0


@pytest.mark.parametrize("timezone", ["Etc/GMT+12", "Pacific/Kiritimati"])  # UTC-12 and UTC+14
def test_a_unit_reviews_its_day_alone_in_every_timezone(
    frozen_clock: FrozenClock, consume: Callable[[str], int], timezone: str
) -> None:
    # once UTC 18 June has ended, it is 18 June (12:15, UTC-12) or later (19 June, UTC+14) everywhere
    _customer_due(ME, TODAY + timedelta(days=1), timezone)
    frozen_clock.move_to(datetime(2026, 6, 19, 0, 15, tzinfo=UTC))
    assert _plan() == _days(TODAY + timedelta(days=1), 1)
    assert consume(WORKER) == REVIEW_SHARDS
    assert _stored(ME).recency == 4


def test_a_unit_delivered_twice_changes_nothing_more(frozen_clock: FrozenClock) -> None:
    _customer_due(ME, TODAY + timedelta(days=1))
    frozen_clock.move_to(DEFAULT_INSTANT + timedelta(days=2))
    body = _unit(TODAY + timedelta(days=1), shards.shard_of(ME, REVIEW_SHARDS)).model_dump_json()
    assert deliver(WORKER, body) == {"batchItemFailures": []}
    once = _stored(ME)
    assert (once.version, once.recency) == (3, 4)  # signup, purchase, refresh
    stats = invoke("GetSegmentStatsFunction", path={"segmentId": "new"}, caller=ADMIN).body
    frozen_clock.shift(timedelta(hours=1))
    assert deliver(WORKER, body) == {"batchItemFailures": []}
    assert _stored(ME).attribute_values == once.attribute_values
    assert invoke("GetSegmentStatsFunction", path={"segmentId": "new"}, caller=ADMIN).body == stats


def test_a_unit_of_another_job_fails_alone_and_is_never_done(frozen_clock: FrozenClock) -> None:
    _customer_due(ME, TODAY + timedelta(days=1))
    frozen_clock.move_to(DEFAULT_INSTANT + timedelta(days=2))
    unit = _unit(TODAY + timedelta(days=1), shards.shard_of(ME, REVIEW_SHARDS))
    foreign = unit.model_copy(update={"job": "points-expiry"}).model_dump_json()
    assert deliver(WORKER, foreign, unit.model_dump_json()) == {
        "batchItemFailures": [{"itemIdentifier": "sqs-1"}]
    }
    assert (_stored(ME).version, _stored(ME).recency) == (3, 4)  # done once: by the segment-refresh unit


def test_the_review_index_is_sharded_by_day_and_customer(frozen_clock: FrozenClock) -> None:
    first, second = _on_distinct_shards(2)
    due = TODAY + timedelta(days=1)
    _customer_due(first, due)
    _customer_due(second, due)
    drawn = shards.shard_of(first, REVIEW_SHARDS), shards.shard_of(second, REVIEW_SHARDS)
    assert drawn[0] != drawn[1]
    assert (_stored(first).review_shard, _stored(second).review_shard) == (
        f"2026-06-18#{drawn[0]:02d}",
        f"2026-06-18#{drawn[1]:02d}",
    )
    assert list(repository.due_for_review(due, shards.shard_of(first, REVIEW_SHARDS))) == [first]

    frozen_clock.move_to(DEFAULT_INSTANT + timedelta(days=2))
    assert service.refresh_unit(_unit(due, shards.shard_of(first, REVIEW_SHARDS))) == service.RefreshRun(1)
    assert (_stored(first).recency, _stored(second).recency) == (4, 5)  # the other shard is not read
    assert service.refresh_unit(_unit(due, shards.shard_of(second, REVIEW_SHARDS))) == service.RefreshRun(1)
    assert (_stored(first).recency, _stored(second).recency) == (4, 4)
