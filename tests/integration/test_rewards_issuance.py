"""The hourly special-date issuance through the template's functions: the schedule plans each ended
hour once (`SpecialDateRewardsScheduleFunction`), its units (an hour and an index shard) are relayed
to the rewards-issuance queue and done by `SpecialDateRewardsWorkerFunction` as real SQS batches.

A customer is rewarded in the hour their own day begins (the profile's time zone), not before;
missed hours are caught up; units and runs done twice issue nothing more; a time-zone change moves
the occasions; `POST /rewards/issuance` rewards a date in every zone; the index key is sharded."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from customer_id import jobs, shards
from customer_id.db import customer_key
from customer_id.rewards import issuance, repository
from customer_id.rewards.models import CELEBRANT_SHARDS, CelebrantRecord, celebrant_key
from local_stack.streams import StreamPoller
from local_stack.template import Template
from tests.clock import FrozenClock
from tests.harness import Reply, claims, deliver, handler, invoke, sample_event, template
from tests.integration.helpers import ADMIN, create_profile, read

JOINED = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # no anniversary near September
BIRTHDAY = {"month": 9, "day": 10}
WORKER = "SpecialDateRewardsWorkerFunction"
# the UTC instant each customer's 10 September 2026 begins
DAY_BEGINS = {
    "kiritimati": ("Pacific/Kiritimati", datetime(2026, 9, 9, 10, 0, tzinfo=UTC)),  # UTC+14
    "riyadh": ("Asia/Riyadh", datetime(2026, 9, 9, 21, 0, tzinfo=UTC)),  # UTC+3
    "los-angeles": ("America/Los_Angeles", datetime(2026, 9, 10, 7, 0, tzinfo=UTC)),  # UTC-7 (PDT)
}


@pytest.fixture
def few_zones(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hourly units look at these zones only (the customers' and a few with other offsets): moto
    answers an index query in about 15 ms, and a unit queries every zone whose day began (dozens);
    the full list is the unit tests' (tests/unit/test_rewards.py) and the shorter tests'."""
    from zoneinfo import ZoneInfo

    zones = [zone for zone, _ in DAY_BEGINS.values()]
    zones += ["Asia/Kathmandu", "Etc/GMT+12", "Europe/London", "UTC", "US/Pacific"]
    monkeypatch.setattr(issuance, "_zones", lambda: tuple((zone, ZoneInfo(zone)) for zone in sorted(zones)))


@pytest.fixture
def at(frozen_clock: FrozenClock) -> Callable[[datetime], None]:
    return frozen_clock.move_to


def _join(at: Callable[[datetime], None], customer_id: str, zone: str, moment: datetime = JOINED) -> None:
    at(moment)
    create_profile(customer_id, timezone=zone)


def _put_birthday(customer_id: str, birthday: dict[str, int]) -> None:
    reply = invoke(
        "PutSpecialDatesFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"birthday": birthday},
    )
    assert reply.status == 200, reply.body


def _plan() -> list[str]:
    """One run of the hourly schedule: the hours it planned."""
    logical_id = "SpecialDateRewardsScheduleFunction"
    summary = handler(logical_id)(sample_event(template().function(logical_id)), None)
    assert summary["job"] == "rewards-issuance"
    planned: list[str] = summary["planned"]
    return planned


def _rewards(customer_id: str) -> list[tuple[str, int, str]]:
    items = read("ListRewardsFunction", customer_id)["items"]
    return sorted((item["rewardId"], item["points"], item["issuedAt"]) for item in items)


def _rewarded(customers: list[str]) -> set[str]:
    return {customer_id for customer_id in customers if read("ListRewardsFunction", customer_id)["items"]}


def _celebrant(customer_id: str, occasion: str) -> CelebrantRecord:
    return CelebrantRecord.get(customer_key(customer_id), celebrant_key(occasion))  # type: ignore[arg-type]


def _issue(day: str) -> Reply:
    return invoke("IssueRewardsFunction", caller=ADMIN, body={"date": day})


def test_each_customer_is_rewarded_in_the_hour_their_own_day_begins(
    at: Callable[[datetime], None], consume: Callable[[str], int], few_zones: None
) -> None:
    for customer_id, (zone, _) in DAY_BEGINS.items():
        _join(at, customer_id, zone)
        _put_birthday(customer_id, BIRTHDAY)
    first = datetime(2026, 9, 9, 8, 0, 30, tzinfo=UTC)
    at(first - timedelta(hours=1))
    assert _plan() == ["2026-09-09T06:00:00+00:00"]  # a first run plans the hour just ended
    assert consume(WORKER) == CELEBRANT_SHARDS
    for hour in range(27):  # 08:00 on 9 September to 10:00 on 10 September (UTC)
        now = first + timedelta(hours=hour)
        at(now)
        ended = now.replace(minute=0, second=0) - timedelta(hours=1)
        assert _plan() == [ended.isoformat()]
        assert consume(WORKER) == CELEBRANT_SHARDS
        begun = {customer_id for customer_id, (_, begins) in DAY_BEGINS.items() if begins <= now}
        assert _rewarded(list(DAY_BEGINS)) == begun, now
    for customer_id, (_, begins) in DAY_BEGINS.items():  # issued by the run just after the day began
        assert _rewards(customer_id) == [("2026-birthday", 100, f"{begins:%Y-%m-%dT%H}:00:30.000Z")]


def test_missed_hours_are_caught_up_by_the_next_run(
    at: Callable[[datetime], None], consume: Callable[[str], int], few_zones: None
) -> None:
    for customer_id, (zone, _) in DAY_BEGINS.items():
        _join(at, customer_id, zone)
        _put_birthday(customer_id, BIRTHDAY)
    _join(at, "kiritimati-next-day", "Pacific/Kiritimati")  # 11 September begins at 10:00 UTC on the 10th
    _put_birthday("kiritimati-next-day", {"month": 9, "day": 11})
    _join(at, "los-angeles-next-day", "America/Los_Angeles")  # begins on the 11th at 07:00 UTC: later
    _put_birthday("los-angeles-next-day", {"month": 9, "day": 11})
    at(datetime(2026, 9, 9, 8, 0, 30, tzinfo=UTC))
    assert _plan() == ["2026-09-09T07:00:00+00:00"]
    consume(WORKER)

    at(datetime(2026, 9, 10, 14, 0, 30, tzinfo=UTC))  # 30 hours without a run
    planned = _plan()
    assert len(planned) == 30
    assert planned[0] == "2026-09-09T08:00:00+00:00"
    assert planned[-1] == "2026-09-10T13:00:00+00:00"
    assert consume(WORKER) == 30 * CELEBRANT_SHARDS
    assert _plan() == []
    assert consume(WORKER) == 0
    for customer_id in DAY_BEGINS:
        assert [reward[0] for reward in _rewards(customer_id)] == ["2026-birthday"], customer_id
    assert [reward[0] for reward in _rewards("kiritimati-next-day")] == ["2026-birthday"]
    assert _rewards("los-angeles-next-day") == []


def test_a_unit_delivered_twice_and_a_run_made_twice_issue_nothing_more(
    at: Callable[[datetime], None], consume: Callable[[str], int], aws: Template, relay: StreamPoller
) -> None:
    _join(at, "riyadh", "Asia/Riyadh")
    _put_birthday("riyadh", BIRTHDAY)
    at(datetime(2026, 9, 9, 22, 0, 30, tzinfo=UTC))
    unit = jobs.Unit(
        job="rewards-issuance",
        start=datetime(2026, 9, 9, 20, 0, tzinfo=UTC),
        shard=shards.shard_of("riyadh", CELEBRANT_SHARDS),
    ).model_dump_json()
    assert deliver(WORKER, unit) == {"batchItemFailures": []}
    rewards = _rewards("riyadh")
    assert [reward[0] for reward in rewards] == ["2026-birthday"]
    at(datetime(2026, 9, 9, 22, 30, tzinfo=UTC))
    assert deliver(WORKER, unit, unit) == {"batchItemFailures": []}
    assert _rewards("riyadh") == rewards  # not issued again (nor at the later time)
    assert issuance.issue_unit(jobs.unit_of(unit, issuance.ISSUANCE)) == issuance.Issued(issued=0, skipped=1)

    assert _plan() == ["2026-09-09T21:00:00+00:00"]
    assert _plan() == []  # the same hour: nothing more planned
    assert consume(WORKER) == CELEBRANT_SHARDS  # one hour's units, once
    assert _rewards("riyadh") == rewards
    assert _reward_notices(aws, relay) == ["riyadh"]  # announced once


def _reward_notices(aws: Template, relay: StreamPoller) -> list[str]:
    """The customers of the special-date reward messages waiting on the notifications queue."""
    relay.drain()
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    url = aws.names["NotificationsQueue"]
    found = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            body = json.loads(message["Body"])
            if body["template"] == "special_date_reward":
                found.append(body["customerId"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found


def test_a_time_zone_change_moves_the_special_dates_to_the_new_zone(
    at: Callable[[datetime], None], consume: Callable[[str], int], few_zones: None
) -> None:
    joined = datetime(2025, 9, 10, 2, 0, tzinfo=UTC)  # 10 September in Riyadh, 9 September in LA
    _join(at, "mover", "Asia/Riyadh", joined)
    _put_birthday("mover", BIRTHDAY)
    assert _celebrant("mover", "anniversary").celebration_shard.startswith("09-10#")
    assert _celebrant("mover", "birthday").zone == "Asia/Riyadh"

    at(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    create_profile("mover", timezone="America/Los_Angeles")
    anniversary, birthday = _celebrant("mover", "anniversary"), _celebrant("mover", "birthday")
    shard = shards.shard_of("mover", CELEBRANT_SHARDS)
    assert (anniversary.zone, anniversary.celebration_shard, anniversary.celebration_zone) == (
        "America/Los_Angeles",
        f"09-09#{shard:02d}",
        "America/Los_Angeles#mover",
    )
    assert (birthday.zone, birthday.celebration_shard, birthday.celebration_zone) == (
        "America/Los_Angeles",
        f"09-10#{shard:02d}",
        "America/Los_Angeles#mover",
    )
    assert read("GetSpecialDatesFunction", "mover")["anniversary"]["since"] == "2025-09-09"

    at(datetime(2026, 9, 9, 6, 0, 30, tzinfo=UTC))
    _plan()
    consume(WORKER)
    assert _rewards("mover") == []
    at(datetime(2026, 9, 9, 7, 0, 30, tzinfo=UTC))  # 9 September begins in Los Angeles
    _plan()
    consume(WORKER)
    assert [reward[0] for reward in _rewards("mover")] == ["2026-anniversary"]
    at(datetime(2026, 9, 9, 21, 0, 30, tzinfo=UTC))  # 10 September begins in Riyadh: not the mover's
    _plan()
    consume(WORKER)
    assert [reward[0] for reward in _rewards("mover")] == ["2026-anniversary"]
    at(datetime(2026, 9, 10, 6, 0, 30, tzinfo=UTC))
    _plan()
    consume(WORKER)
    assert [reward[0] for reward in _rewards("mover")] == ["2026-anniversary"]
    at(datetime(2026, 9, 10, 7, 0, 30, tzinfo=UTC))  # 10 September begins in Los Angeles
    _plan()
    consume(WORKER)
    assert [reward[0] for reward in _rewards("mover")] == ["2026-anniversary", "2026-birthday"]


def test_a_birthday_set_later_follows_the_profiles_zone(at: Callable[[datetime], None]) -> None:
    _join(at, "late", "Asia/Riyadh")
    create_profile("late", timezone="Pacific/Kiritimati")
    _put_birthday("late", BIRTHDAY)
    assert _celebrant("late", "birthday").celebration_zone == "Pacific/Kiritimati#late"


def test_the_admin_issuance_rewards_a_date_in_every_zone(
    at: Callable[[datetime], None], consume: Callable[[str], int]
) -> None:
    for customer_id, (zone, _) in DAY_BEGINS.items():
        _join(at, customer_id, zone)
        _put_birthday(customer_id, BIRTHDAY)
    at(datetime(2026, 9, 9, 9, 0, tzinfo=UTC))  # no one's 10 September has begun yet
    first = _issue("2026-09-10")
    assert (first.status, first.body) == (200, {"date": "2026-09-10", "issued": 3, "skipped": 0})
    again = _issue("2026-09-10")
    assert (again.status, again.body) == (200, {"date": "2026-09-10", "issued": 0, "skipped": 3})
    for customer_id in DAY_BEGINS:
        assert [reward[0] for reward in _rewards(customer_id)] == ["2026-birthday"]
    at(datetime(2026, 9, 10, 8, 0, 30, tzinfo=UTC))  # the hourly units find them rewarded
    _plan()
    consume(WORKER)
    for customer_id in DAY_BEGINS:
        assert len(_rewards(customer_id)) == 1


def _in_shards(count: int) -> list[str]:
    """Customer ids of `count` different shards."""
    found: dict[int, str] = {}
    index = 0
    while len(found) < count:
        found.setdefault(shards.shard_of(f"sharded-{index}", CELEBRANT_SHARDS), f"sharded-{index}")
        index += 1
    return list(found.values())


def test_the_celebration_index_is_sharded_by_customer(at: Callable[[datetime], None]) -> None:
    one, other = _in_shards(2)
    for customer_id in (one, other):
        _join(at, customer_id, "Asia/Riyadh")
        _put_birthday(customer_id, BIRTHDAY)
    keys = {
        customer_id: _celebrant(customer_id, "birthday").celebration_shard for customer_id in (one, other)
    }
    assert keys == {
        customer_id: f"09-10#{shards.shard_of(customer_id, CELEBRANT_SHARDS):02d}"
        for customer_id in (one, other)
    }
    assert keys[one] != keys[other]
    for customer_id in (one, other):
        shard = shards.shard_of(customer_id, CELEBRANT_SHARDS)
        assert [c.customer_id for c in repository.celebrants("09-10", shard)] == [customer_id]
        assert [c.customer_id for c in repository.celebrants("09-10", shard, "Asia/Riyadh")] == [customer_id]
        assert list(repository.celebrants("09-10", shard, "Asia/Riyad")) == []  # a zone, not a prefix
