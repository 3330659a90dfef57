"""The job kernel (`customer_id.jobs`) on moto: a schedule plans each ended period once, with one
unit per shard queued through the outbox in the same transaction as its cursor; missed periods are
caught up in order; racing or crashed planners neither skip nor repeat a period; a unit that keeps
failing ends in the job's dead-letter queue, alone."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from customer_id import jobs
from customer_id.loyalty import expiry
from customer_id.outbox import OutboxMessage
from local_stack.streams import StreamPoller
from local_stack.template import Template
from tests import faults
from tests.clock import FrozenClock
from tests.harness import deliver, queue_poller
from tests.races import race

JOB = expiry.EXPIRY  # a real job: its queue and worker are the template's


def _queued() -> list[dict[str, Any]]:
    """The units in the outbox, as their messages will be sent."""
    return sorted(
        (json.loads(item.body) for item in OutboxMessage.scan() if item.queue == JOB.queue),
        key=lambda unit: (unit["start"], unit["shard"]),
    )


def _days(*days: int) -> list[datetime]:
    return [datetime(2026, 6, day, tzinfo=UTC) for day in days]


def test_the_first_run_plans_the_period_that_has_just_ended(frozen_clock: FrozenClock) -> None:
    frozen_clock.move_to(datetime(2026, 6, 17, 0, 30, tzinfo=UTC))
    assert jobs.plan(JOB) == _days(16)
    units = _queued()
    assert [unit["shard"] for unit in units] == list(range(JOB.shards))
    assert {(unit["job"], unit["start"]) for unit in units} == {("points-expiry", "2026-06-16T00:00:00Z")}
    assert jobs.plan(JOB) == []  # the same day again: nothing
    assert len(_queued()) == JOB.shards


def test_missed_periods_are_planned_in_order_however_many(frozen_clock: FrozenClock) -> None:
    frozen_clock.move_to(datetime(2026, 6, 2, 0, 30, tzinfo=UTC))
    jobs.plan(JOB)
    frozen_clock.move_to(datetime(2026, 6, 6, 23, 59, tzinfo=UTC))  # 6 June is not over
    assert jobs.plan(JOB) == _days(2, 3, 4, 5)
    assert len(_queued()) == 5 * JOB.shards


def test_an_hourly_job_plans_hours() -> None:
    hourly = jobs.Job("test", "points-expiry", jobs.HOUR, 1)
    at = datetime(2026, 6, 17, 5, 0, 3, tzinfo=UTC)
    assert hourly.last_ended(at) == datetime(2026, 6, 17, 4, tzinfo=UTC)
    assert JOB.last_ended(at) == datetime(2026, 6, 16, tzinfo=UTC)
    assert JOB.last_ended(datetime(2026, 6, 17, tzinfo=UTC)) == datetime(2026, 6, 16, tzinfo=UTC)


@pytest.mark.guard("jobs:_plan_period")
def test_racing_planners_plan_each_period_once(
    frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_clock.move_to(datetime(2026, 6, 2, 0, 30, tzinfo=UTC))
    jobs.plan(JOB)
    frozen_clock.move_to(datetime(2026, 6, 5, 0, 30, tzinfo=UTC))
    first, second = race(monkeypatch, lambda: jobs.plan(JOB), lambda: jobs.plan(JOB))
    assert not set(first) & set(second)
    assert sorted(first + second) == _days(2, 3, 4)
    assert len(_queued()) == 4 * JOB.shards


def test_a_planner_that_crashed_is_continued_by_the_next_run(
    frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_clock.move_to(datetime(2026, 6, 2, 0, 30, tzinfo=UTC))
    jobs.plan(JOB)
    frozen_clock.move_to(datetime(2026, 6, 5, 0, 30, tzinfo=UTC))
    # the run dies right after the commit of its second period
    with faults.crash_after(monkeypatch, 2), pytest.raises(faults.InjectedCrash):
        jobs.plan(JOB)
    assert {unit["start"][:10] for unit in _queued()} == {"2026-06-01", "2026-06-02", "2026-06-03"}
    assert jobs.plan(JOB) == _days(4)
    assert len(_queued()) == 4 * JOB.shards


def test_a_unit_of_another_job_or_shard_is_refused() -> None:
    unit = jobs.Unit(job="points-expiry", start=datetime(2026, 6, 1, tzinfo=UTC), shard=3)
    assert jobs.unit_of(unit.model_dump_json(), JOB) == unit
    for wrong in (
        unit.model_copy(update={"job": "segment-refresh"}),
        unit.model_copy(update={"shard": JOB.shards}),
        unit.model_copy(update={"shard": -1}),
    ):
        with pytest.raises(ValueError, match="not a unit of points-expiry"):
            jobs.unit_of(wrong.model_dump_json(), JOB)


def test_a_failing_unit_is_retried_then_left_in_the_dead_letter_queue_alone(
    aws: Template, relay: StreamPoller, frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen_clock.move_to(datetime(2026, 6, 17, 0, 30, tzinfo=UTC))
    jobs.plan(JOB)
    done: list[tuple[Any, int]] = []

    def flaky(day: Any, shard: int) -> Any:
        if shard == 7:
            raise RuntimeError("shard 7 is broken")
        done.append((day, shard))
        return iter(())

    # the worker's unit reads the index through the repository: break one shard of it
    monkeypatch.setattr(expiry.repository, "customers_with_lots_expiring_on", flaky)
    poller = queue_poller(aws, "PointsExpiryWorkerFunction", faults.RedeliveringPoller)
    poller.on_redelivery = lambda: frozen_clock.shift(timedelta(seconds=361))
    relay.drain()
    while poller.poll_once() > 0:
        pass
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    left = sqs.receive_message(QueueUrl=aws.names["PointsExpiryJobsDeadLetterQueue"], MaxNumberOfMessages=10)
    [dead] = left["Messages"]
    assert json.loads(dead["Body"])["shard"] == 7
    assert sorted({shard for _, shard in done}) == [shard for shard in range(JOB.shards) if shard != 7]
    assert len(done) == len(set(done))  # the other units were done once, not again with the failing one
    with pytest.raises(BatchProcessingError, match="All records failed"):  # the invocation fails
        deliver("PointsExpiryWorkerFunction", dead["Body"])
