"""Scheduled jobs that fan out: a schedule plans bounded units of work, a queue's workers do them.

A job runs over periods (a UTC day, or an hour). Its schedule calls `plan`, which keeps the job's
cursor (the last period planned, an item of the idempotency table) and plans every period that has
ended since, however many runs were missed: for each period, one transaction moves the cursor on
by that period (on the condition that it still stands where it was read) and puts one unit of work
per shard into the outbox for the job's queue. So a period is planned completely or not at all,
and once, even when two runs overlap; a run that stopped halfway is continued by the next. The
first run of a job plans the period that has just ended.

Units are bounded: a unit is one period and one shard, and features key the date indexes the jobs
read by period and shard (`shards.sharded`), so that a unit reads 1/`shards` of a period's customers and
no index partition takes the writes of every customer of a day. The job's worker consumes its
queue in batches with partial failures (`work`): a unit that fails is received again, and after
`maxReceiveCount` goes to the job's dead-letter queue, which has an alarm. A unit's work must be
idempotent: a unit delivered twice, or a period done again by hand, changes nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel, ConfigDict
from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from customer_id import clock, db, observability, outbox

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


class Unit(BaseModel):
    """One period (its first instant, UTC) and one shard of a job."""

    model_config = ConfigDict(frozen=True)

    job: str
    start: datetime
    shard: int


class Job(NamedTuple):
    name: str
    queue: outbox.Queue
    period: timedelta  # DAY or HOUR
    shards: int

    def last_ended(self, now: datetime) -> datetime:
        """The first instant of the last period that has ended at `now`."""
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        return epoch + (now - epoch) // self.period * self.period - self.period


class CursorRecord(Model):
    """`id` = `job#<name>`; `through`: the first instant of the last period planned."""

    Meta = db.meta("idempotency_table")

    id = UnicodeAttribute(hash_key=True)
    through = UnicodeAttribute()


class _Moved(Exception):
    """Another run moved the cursor since it was read."""


def plan(job: Job, now: datetime | None = None) -> list[datetime]:
    """Plan every period of `job` that has ended by `now` and was not planned yet; the periods
    planned (their first instants), oldest first."""
    last = job.last_ended(now or clock.now())
    planned: list[datetime] = []
    through = _cursor(job)
    while True:
        start = last if through is None else through + job.period
        if start > last:
            return planned
        try:
            db.retry(partial(_plan_period, job=job, start=start, through=through))
        except _Moved:
            through = _cursor(job)  # another run planned it: read where the cursor stands now
            continue
        planned.append(start)
        through = start  # where this run moved the cursor


def _plan_period(work: db.UnitOfWork, job: Job, start: datetime, through: datetime | None) -> None:
    cursor = CursorRecord(id=f"job#{job.name}", through=start.isoformat())
    condition = (
        CursorRecord.id.does_not_exist() if through is None else CursorRecord.through == through.isoformat()
    )
    work.put(cursor, condition, fails_with=_Moved())
    for unit in units(job, start):
        outbox.emit(work, job.queue, f"{job.name}:{start.isoformat()}:{unit.shard}", unit)


def _cursor(job: Job) -> datetime | None:
    try:
        record = CursorRecord.get(f"job#{job.name}", consistent_read=True)
    except CursorRecord.DoesNotExist:
        return None
    return datetime.fromisoformat(record.through)


def units(job: Job, start: datetime) -> Iterator[Unit]:
    """The units of one period, as `plan` queues them (and as a run by hand would)."""
    for shard in range(job.shards):
        yield Unit(job=job.name, start=start, shard=shard)


def unit_of(body: str, job: Job) -> Unit:
    """A queued unit of `job` (a message body): a unit of another job is an error, never done."""
    unit = Unit.model_validate(json.loads(body))
    if unit.job != job.name or not 0 <= unit.shard < job.shards:
        raise ValueError(f"not a unit of {job.name}: {body[:200]}")
    return unit


# ---- the functions' wiring --------------------------------------------------------------------


def planner(job: Job) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A job's schedule (`entry.schedule(jobs.planner(JOB), ...)`): plans what has ended."""

    def run(event: dict[str, Any]) -> dict[str, Any]:
        return {"job": job.name, "planned": [start.isoformat() for start in plan(job)]}

    return run


def worker(job: Job, do: Callable[[Unit], object]) -> Callable[[SQSRecord], object]:
    """A job's queue consumer (`entry.batch(BatchProcessor(EventType.SQS), jobs.worker(JOB, do))`):
    `do(unit)` for each unit received; what it returns is logged."""

    def handle(record: SQSRecord) -> object:
        unit = unit_of(record.body, job)
        done = do(unit)
        summary = asdict(done) if is_dataclass(done) and not isinstance(done, type) else done
        where = {"job": job.name, "start": unit.start.isoformat(), "shard": unit.shard}
        observability.logger().info("unit done", extra={**where, "done": summary})
        return done

    return handle
