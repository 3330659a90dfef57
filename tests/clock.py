"""A frozen clock for the integration tier (time-machine): every test starts at one fixed instant,
and the time stands still until the test moves it.

time-machine replaces `datetime.now`, `time.time` and their kin in the whole process, so the
domain's `customer_id.clock`, powertools' idempotency expiry, moto's timestamps and TOTP codes all
read the same instant. `time.monotonic` and `time.perf_counter` are left alone (pollers' batching
windows and timings keep working).

- `DEFAULT_INSTANT` is far from every calendar boundary the tests' customers live by: mid-June,
  mid-week, no daylight-saving change near, the same date in UTC, Asia/Riyadh (11:30),
  America/Los_Angeles (01:30) and Pacific/Kiritimati (22:30); with microseconds, as a real clock has.
- `@pytest.mark.clock("2026-11-30T22:00:00Z")` starts a test at another instant (anything
  time-machine accepts: an aware `datetime`, an ISO string, a timestamp).
- `@pytest.mark.real_clock` opts a test out: it runs on the wall clock (`frozen_clock` is None).
- The `frozen_clock` fixture is the test's clock: `frozen_clock.now()`, `.move_to(instant)`,
  `.shift(delta)`; it stays frozen wherever it is moved.

Frozen (`tick=False`), not ticking: the same inputs give the same timestamps, so a test can assert
an exact `createdAt` or `claimBy`, and a boundary instant stays the boundary for the whole test.
Threads read the same instant; nothing in the tier waits for wall time to pass (retries sleep,
pollers use `time.monotonic`) except moto's SQS, which keeps the wall clock (its long poll would
never end). What a frozen clock takes away is the order that distinct times gave
for free: two records created in one test share their instant, and a test that relies on "created
later" moves the clock between them (`frozen_clock.shift`).

`frozen_clock` is set up before every other fixture of the test (`pytest_collection_modifyitems`
puts it first), so the emulated AWS and its demo data are set up at the test's instant too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import moto.sqs.models
import pytest
import time_machine

DEFAULT_INSTANT = datetime(2026, 6, 17, 8, 30, 15, 123456, tzinfo=UTC)

# Instants where calendars part: the UTC date against the customer's local one.
BOUNDARIES = {
    # 01:00 on 1 December in Riyadh (UTC+3), still 30 November in UTC and Los Angeles
    "month-end": datetime(2026, 11, 30, 22, 0, tzinfo=UTC),
    # 01:30 on 1 January 2027 in Riyadh, still 2026 in UTC and Los Angeles
    "year-end": datetime(2026, 12, 31, 22, 30, tzinfo=UTC),
    # 00:30 on 1 March in Riyadh; 28 February, a common year's stand-in for 29 February, in UTC and LA
    "common-feb-28": datetime(2027, 2, 28, 21, 30, tzinfo=UTC),
    # 29 February 2028 everywhere from UTC-12 to UTC+11 (12:00 UTC); 1 March in Kiritimati (UTC+14)
    "leap-day": datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
}


def at_instants(*names: str, default: bool = False) -> list[Any]:
    """Parameters for `pytest.mark.parametrize("instant", ...)`: each runs the test with its clock
    frozen at one of `BOUNDARIES` (and at `DEFAULT_INSTANT` if `default`)."""
    chosen = [("default", DEFAULT_INSTANT)] if default else []
    chosen += [(name, BOUNDARIES[name]) for name in names or BOUNDARIES]
    return [pytest.param(instant, marks=pytest.mark.clock(instant), id=name) for name, instant in chosen]


@dataclass(frozen=True)
class FrozenClock:
    """The test's clock: it stands still wherever it is put."""

    traveller: time_machine.Traveller
    start: datetime  # the instant the test began at

    def now(self) -> datetime:
        return datetime.now(UTC)

    def move_to(self, instant: datetime | str) -> None:
        self.traveller.move_to(instant, tick=False)

    def shift(self, delta: timedelta) -> None:
        self.traveller.shift(delta)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The frozen clock first: fixtures set up before it would read the wall clock."""
    for item in items:
        names: list[str] = getattr(item, "fixturenames", [])
        if "frozen_clock" in names:
            names.remove("frozen_clock")
            names.insert(0, "frozen_clock")


@pytest.fixture(autouse=True)
def frozen_clock(request: pytest.FixtureRequest) -> Iterator[FrozenClock | None]:
    """The test's clock, frozen at `DEFAULT_INSTANT` or the instant of its `clock` marker; None for
    a test marked `real_clock`."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    marker = request.node.get_closest_marker("clock")
    with (
        time_machine.travel(marker.args[0] if marker else DEFAULT_INSTANT, tick=False) as traveller,
        pytest.MonkeyPatch.context() as patch,
    ):
        # moto's SQS keeps the wall clock: its long poll waits until the time has moved on (forever,
        # frozen), and visibility timeouts and delays pass as the pollers expect
        patch.setattr(moto.sqs.models, "unix_time", _wall_clock)
        patch.setattr(moto.sqs.models, "unix_time_millis", lambda: _wall_clock() * 1000.0)
        yield FrozenClock(traveller, datetime.now(UTC))


def _wall_clock() -> float:
    return time_machine.escape_hatch.time.time()
