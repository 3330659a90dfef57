"""Schedule events (EventBridge rules and Scheduler), run on demand or, optionally, on their
expression while the stack runs."""

from __future__ import annotations

import json
import re
import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from croniter import croniter

from local_stack.runtime import Handler, context_for
from local_stack.template import Function, ScheduleSource

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")


@dataclass(frozen=True)
class Schedule:
    function: Function
    handler: Handler
    source: ScheduleSource

    @property
    def name(self) -> str:
        return f"{self.function.logical_id}.{self.source.name}"

    def event(self, at: datetime, region: str) -> dict[str, Any]:
        if self.source.input is not None:
            payload: dict[str, Any] = json.loads(self.source.input)
            return payload
        return {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": region,
            "resources": [f"arn:aws:events:{region}:123456789012:rule/{self.name}"],
            "detail": {},
        }

    def run(self, region: str, at: datetime | None = None) -> Any:
        moment = at or datetime.now(UTC)
        print(f"schedule {self.name} ({self.source.expression})", file=sys.stderr)
        return self.handler(self.event(moment, region), context_for(self.function))

    def next_run(self, after: datetime) -> datetime:
        expression = self.source.expression.strip()
        rate = _RATE.match(expression)
        if rate:
            amount, unit = int(rate.group(1)), rate.group(2).rstrip("s")
            return after + timedelta(**{f"{unit}s": amount})
        if expression.startswith("cron(") and expression.endswith(")"):
            return croniter(_unix_cron(expression[5:-1]), after).get_next(datetime)
        raise ValueError(f"unsupported schedule expression {expression!r}")


def _unix_cron(aws: str) -> str:
    """AWS cron has six fields (minute hour day-of-month month day-of-week year) and `?`; the year
    field is dropped and `?` means any. Day-of-week numbers are 1-7 from Sunday in AWS, 0-6 in cron."""
    minute, hour, day, month, weekday, _year = aws.split()
    if weekday not in ("?", "*"):
        weekday = re.sub(r"\d", lambda digit: str(int(digit.group()) - 1), weekday)
    return " ".join(part.replace("?", "*") for part in (minute, hour, day, month, weekday))


class Scheduler(threading.Thread):
    """Runs every schedule on its expression until stopped."""

    def __init__(self, schedules: list[Schedule], region: str) -> None:
        super().__init__(name="scheduler", daemon=True)
        self.schedules = schedules
        self.region = region
        self.stopping = threading.Event()

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        now = datetime.now(UTC)
        due = {schedule.name: schedule.next_run(now) for schedule in self.schedules}
        while not self.stopping.is_set():
            now = datetime.now(UTC)
            for schedule in self.schedules:
                if due[schedule.name] <= now:
                    try:
                        schedule.run(self.region, due[schedule.name])
                    except Exception as error:
                        print(f"schedule {schedule.name} failed: {error!r}", file=sys.stderr)
                    due[schedule.name] = schedule.next_run(now)
            self.stopping.wait(1)
