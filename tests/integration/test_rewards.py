"""Special-date rewards through the handlers: special dates, issuance (HTTP and the hourly schedule),
claims, upcoming occasions, notifications, and the issuer's cost against the number of customers."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import botocore.client
import pytest

from customer_id import clock, db
from customer_id.db import customer_key
from customer_id.rewards import repository
from customer_id.rewards.models import (
    CELEBRANT_SHARDS,
    CelebrantRecord,
    celebrant_key,
    celebration_shard,
    celebration_zone,
)
from local_stack.streams import StreamPoller
from local_stack.template import Template
from tests.clock import FrozenClock
from tests.harness import Reply, claims, handler, invoke, sample_event, template
from tests.integration.helpers import ADMIN, account, create_profile, ledger, problem, purchase, read

ME = "customer-celebrating"
AGENT = claims("agent-1", "agents")
JOINED = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # 12:00 in Riyadh


@pytest.fixture
def at(frozen_clock: FrozenClock) -> Callable[[datetime], None]:
    """Moves the frozen clock: every service, powertools and moto read the new time."""
    return frozen_clock.move_to


@pytest.fixture
def notifications(aws: Template, relay: StreamPoller) -> Callable[[], list[dict[str, Any]]]:
    """Relays the outbox, then reads the special-date reward messages waiting on the notifications
    queue (bodies, decoded)."""
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    url = aws.names["NotificationsQueue"]

    def read_queue() -> list[dict[str, Any]]:
        relay.drain()
        found = []
        while True:
            received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
            messages = received.get("Messages", [])
            if not messages:
                return [body for body in found if body["template"] == "special_date_reward"]
            for message in messages:
                found.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    return read_queue


def _join(at: Callable[[datetime], None], customer_id: str, moment: datetime, **fields: Any) -> None:
    at(moment)
    create_profile(customer_id, **fields)


def _put_dates(customer_id: str, birthday: Any, caller: dict[str, str] | None = None) -> Reply:
    return invoke(
        "PutSpecialDatesFunction",
        path={"customerId": customer_id},
        caller=caller or claims(customer_id),
        body={"birthday": birthday},
    )


def _issue(day: str, **options: Any) -> Reply:
    return invoke("IssueRewardsFunction", caller=ADMIN, body={"date": day}, **options)


def _issued(day: str, **options: Any) -> tuple[int, int]:
    reply = _issue(day, **options)
    assert reply.status == 200, reply.body
    assert reply.body["date"] == day
    return reply.body["issued"], reply.body["skipped"]


def _rewards(customer_id: str, **query: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = read("ListRewardsFunction", customer_id, **query)["items"]
    return items


def _claim(customer_id: str, reward_id: str, **options: Any) -> Reply:
    return invoke(
        "ClaimRewardFunction",
        path={"customerId": customer_id, "rewardId": reward_id},
        caller=claims(customer_id),
        **options,
    )


def _upcoming(customer_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = read("ListUpcomingRewardsFunction", customer_id)["items"]
    return items


def _run_schedule(logical_id: str) -> Any:
    function = template().function(logical_id)
    return handler(logical_id)(sample_event(function), None)


# ---- special dates ---------------------------------------------------------------------------


def test_special_dates_show_the_birthday_and_the_anniversary_in_the_customers_timezone(
    at: Callable[[datetime], None],
) -> None:
    _join(at, ME, datetime(2025, 3, 10, 22, 30, tzinfo=UTC))  # already 11 March in Riyadh
    assert read("GetSpecialDatesFunction", ME) == {
        "birthday": None,
        "anniversary": {"month": 3, "day": 11, "since": "2025-03-11"},
    }
    reply = _put_dates(ME, {"month": 7, "day": 4, "year": 1990})
    assert reply.status == 200
    assert reply.body == {
        "birthday": {"month": 7, "day": 4, "year": 1990},
        "anniversary": {"month": 3, "day": 11, "since": "2025-03-11"},
    }
    assert read("GetSpecialDatesFunction", ME) == reply.body
    by_staff = invoke("GetSpecialDatesFunction", path={"customerId": ME}, caller=AGENT)
    assert (by_staff.status, by_staff.body) == (200, reply.body)
    create_profile("customer-two")
    assert _put_dates("customer-two", {"month": 2, "day": 29}).body["birthday"] == {
        "month": 2,
        "day": 29,
        "year": None,
    }


def test_a_customer_sets_the_birthday_once_and_staff_correct_it(at: Callable[[datetime], None]) -> None:
    _join(at, ME, JOINED)
    assert _put_dates(ME, {"month": 5, "day": 1}).status == 200
    again = _put_dates(ME, {"month": 5, "day": 2})
    assert problem(again) == (409, "/problems/birthday-already-set")
    arabic = invoke(
        "PutSpecialDatesFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"birthday": {"month": 5, "day": 2}},
        headers={"Accept-Language": "ar"},
    )
    assert (problem(arabic), arabic.body["detail"]) == (
        (409, "/problems/birthday-already-set"),
        "تم تعيين تاريخ ميلادك مسبقًا. يرجى التواصل مع الدعم لتصحيحه.",
    )
    assert _put_dates(ME, {"month": 5, "day": 1}).status == 200  # the same PUT again changes nothing
    corrected = _put_dates(ME, {"month": 5, "day": 2, "year": 1992}, caller=AGENT)
    assert (corrected.status, corrected.body["birthday"]) == (200, {"month": 5, "day": 2, "year": 1992})
    assert _put_dates(ME, {"month": 5, "day": 3}, caller=ADMIN).status == 200  # staff, any time
    assert problem(_put_dates(ME, {"month": 5, "day": 1})) == (409, "/problems/birthday-already-set")
    assert read("GetSpecialDatesFunction", ME)["birthday"] == {"month": 5, "day": 3, "year": None}
    # the index moved with the correction: the old day has no celebrant any more
    at(datetime(2026, 5, 1, 1, 0, tzinfo=UTC))
    assert _issued("2026-05-01") == (0, 0)
    assert _issued("2026-05-03") == (1, 0)


@pytest.mark.parametrize(
    "birthday",
    [
        {"month": 4, "day": 31},
        {"month": 2, "day": 30},
        {"month": 2, "day": 29, "year": 2023},
        {"month": 13, "day": 1},
        {"month": 0, "day": 1},
        {"month": 1, "day": 0},
        {"month": 1, "day": 32},
        {"month": "3", "day": 14},
        {"month": 3.5, "day": 14},
        {"month": 3, "day": 14, "year": 1850},
        {"month": 3, "day": 14, "year": 2999},
        {"month": 3},
        {"month": 3, "day": 14, "hour": 9},
        None,
    ],
)
def test_an_impossible_birthday_is_400_and_writes_nothing(
    at: Callable[[datetime], None], birthday: Any
) -> None:
    _join(at, ME, JOINED)
    reply = _put_dates(ME, birthday)
    assert problem(reply) == (400, "/problems/invalid-input")
    assert reply.body["errors"][0]["field"].startswith("birthday")
    assert read("GetSpecialDatesFunction", ME)["birthday"] is None


def test_unknown_fields_and_malformed_bodies_are_400() -> None:
    create_profile(ME)
    for body in ({"birthday": {"month": 3, "day": 14}, "anniversary": {"month": 1, "day": 1}}, {}):
        reply = invoke("PutSpecialDatesFunction", path={"customerId": ME}, caller=claims(ME), body=body)
        assert problem(reply) == (400, "/problems/invalid-input"), body
    malformed = invoke("PutSpecialDatesFunction", path={"customerId": ME}, caller=claims(ME), raw_body="{")
    assert problem(malformed) == (400, "/problems/malformed-json")
    assert read("GetSpecialDatesFunction", ME)["birthday"] is None


def test_every_route_is_404_for_a_customer_without_profile() -> None:
    path = {"customerId": ME}
    for logical_id in ("GetSpecialDatesFunction", "ListRewardsFunction", "ListUpcomingRewardsFunction"):
        reply = invoke(logical_id, path=path, caller=claims(ME))
        assert problem(reply) == (404, "/problems/profile-not-found"), logical_id
    assert problem(_put_dates(ME, {"month": 3, "day": 14})) == (404, "/problems/profile-not-found")
    assert problem(_claim(ME, "2026-birthday")) == (404, "/problems/profile-not-found")


# ---- issuance --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spent", "tier", "points"),
    [(None, "bronze", 100), ("1000", "silver", 250), ("5000", "gold", 500), ("15000", "platinum", 1000)],
)
def test_birthday_points_follow_the_tier_at_issuance(
    at: Callable[[datetime], None], spent: str | None, tier: str, points: int
) -> None:
    _join(at, ME, JOINED)
    _put_dates(ME, {"month": 6, "day": 15, "year": 1990})
    if spent:
        assert purchase(ME, "O-1", spent).status == 201
    assert account(ME)["tier"] == tier
    issued_at = datetime(2026, 6, 15, 1, 0, tzinfo=UTC)
    at(issued_at)
    assert _issued("2026-06-15") == (1, 0)
    [reward] = _rewards(ME)
    assert reward == {
        "rewardId": reward["rewardId"],
        "occasion": "birthday",
        "year": 2026,
        "points": points,
        "issuedAt": "2026-06-15T01:00:00.000Z",
        "claimBy": "2026-07-15T01:00:00.000Z",
        "status": "available",
    }


def test_issuing_a_day_twice_issues_nothing_new(
    at: Callable[[datetime], None], notifications: Callable[[], list[dict[str, Any]]]
) -> None:
    _join(at, ME, datetime(2024, 8, 20, 9, 0, tzinfo=UTC))
    _put_dates(ME, {"month": 8, "day": 20})  # birthday and anniversary on the same day
    _join(at, "customer-two", datetime(2025, 1, 5, 9, 0, tzinfo=UTC))
    _put_dates("customer-two", {"month": 8, "day": 20})
    _join(at, "customer-other-day", datetime(2025, 1, 5, 9, 0, tzinfo=UTC))
    _put_dates("customer-other-day", {"month": 8, "day": 21})
    at(datetime(2026, 8, 20, 1, 0, tzinfo=UTC))
    assert _issued("2026-08-20") == (3, 0)
    assert _issued("2026-08-20") == (0, 3)
    assert sorted((r["occasion"], r["points"]) for r in _rewards(ME)) == [
        ("anniversary", 400),
        ("birthday", 100),
    ]
    assert [r["occasion"] for r in _rewards("customer-two")] == ["birthday"]
    assert _rewards("customer-other-day") == []
    # one notification per reward, however many runs
    messages = notifications()
    assert len(messages) == 3
    assert len({message["messageId"] for message in messages}) == 3
    mine = sorted(
        (message for message in messages if message["customerId"] == ME),
        key=lambda message: message["params"]["occasion"],
    )
    rewards = {reward["occasion"]: reward for reward in _rewards(ME)}
    assert [message["category"] for message in mine] == ["rewards", "rewards"]
    assert [message["params"] for message in mine] == [
        {
            "rewardId": rewards[occasion]["rewardId"],
            "occasion": occasion,
            "points": rewards[occasion]["points"],
            "claimBy": rewards[occasion]["claimBy"],
        }
        for occasion in ("anniversary", "birthday")
    ]


def test_a_run_that_dies_after_its_commit_has_issued_and_announced_the_reward(
    at: Callable[[datetime], None],
    notifications: Callable[[], list[dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _join(at, ME, JOINED)
    _put_dates(ME, {"month": 8, "day": 20})
    at(datetime(2026, 8, 20, 1, 0, tzinfo=UTC))
    real = db.UnitOfWork.commit

    def dies_after_commit(work: db.UnitOfWork) -> None:
        real(work)
        raise RuntimeError("died after the commit")

    with monkeypatch.context() as crash:
        crash.setattr(db.UnitOfWork, "commit", dies_after_commit)
        assert _issue("2026-08-20").status == 500
    assert [r["occasion"] for r in _rewards(ME)] == ["birthday"]
    assert [message["customerId"] for message in notifications()] == [ME]  # queued with the reward
    assert _issued("2026-08-20") == (0, 1)
    assert notifications() == []  # announced once


def test_a_run_whose_commit_fails_issues_and_announces_nothing_until_the_next_run(
    at: Callable[[datetime], None],
    notifications: Callable[[], list[dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _join(at, ME, JOINED)
    _put_dates(ME, {"month": 8, "day": 20})
    at(datetime(2026, 8, 20, 1, 0, tzinfo=UTC))

    def unreachable(work: db.UnitOfWork) -> None:
        raise ConnectionError("DynamoDB unreachable")

    with monkeypatch.context() as outage:
        outage.setattr(db.UnitOfWork, "commit", unreachable)
        assert _issue("2026-08-20").status == 500
    assert _rewards(ME) == []
    assert notifications() == []
    assert _issued("2026-08-20") == (1, 0)
    assert [message["customerId"] for message in notifications()] == [ME]


def test_a_29_february_birthday_is_celebrated_on_28_february_in_common_years(
    at: Callable[[datetime], None],
) -> None:
    _join(at, ME, JOINED)
    _put_dates(ME, {"month": 2, "day": 29})
    _join(at, "customer-28", JOINED)
    _put_dates("customer-28", {"month": 2, "day": 28})
    at(datetime(2027, 2, 28, 1, 0, tzinfo=UTC))
    assert _issued("2027-02-28") == (2, 0)
    assert _issued("2027-02-28") == (0, 2)
    assert _issued("2027-03-01") == (0, 0)
    at(datetime(2028, 2, 28, 1, 0, tzinfo=UTC))
    assert _issued("2028-02-28") == (1, 0)  # a leap year: only the 28 February birthday
    at(datetime(2028, 2, 29, 1, 0, tzinfo=UTC))
    assert _issued("2028-02-29") == (1, 0)
    assert _issued("2028-02-29") == (0, 1)
    assert sorted((r["year"], r["occasion"]) for r in _rewards(ME)) == [
        (2027, "birthday"),
        (2028, "birthday"),
    ]
    assert len(_rewards("customer-28")) == 2


def test_anniversary_points_are_200_per_full_year_up_to_1000(at: Callable[[datetime], None]) -> None:
    for customer_id, year in (("joined-2025", 2025), ("joined-2023", 2023), ("joined-2019", 2019)):
        _join(at, customer_id, datetime(year, 6, 1, 9, 0, tzinfo=UTC))
    _join(at, "joined-today", datetime(2026, 6, 1, 0, 30, tzinfo=UTC))
    at(datetime(2026, 6, 1, 1, 0, tzinfo=UTC))
    assert _issued("2026-06-01") == (3, 0)  # nobody's birthday; a first day is no anniversary
    assert [(r["occasion"], r["points"]) for r in _rewards("joined-2025")] == [("anniversary", 200)]
    assert [r["points"] for r in _rewards("joined-2023")] == [600]
    assert [r["points"] for r in _rewards("joined-2019")] == [1000]
    assert _rewards("joined-today") == []
    assert _issued("2026-05-31") == (0, 0)


def test_customers_who_joined_before_the_index_keep_their_anniversary(at: Callable[[datetime], None]) -> None:
    _join(at, ME, JOINED)
    CelebrantRecord(pk=customer_key(ME), sk=celebrant_key("anniversary")).delete()  # as if it predated it
    assert read("GetSpecialDatesFunction", ME)["anniversary"] == {
        "month": 3,
        "day": 10,
        "since": "2025-03-10",
    }
    at(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    assert _upcoming(ME) == [
        {"occasion": "anniversary", "date": "2026-03-10", "daysUntil": 9, "expectedPoints": 200}
    ]
    assert _issued("2026-03-10") == (0, 0)  # not in the index: nothing to find
    _put_dates(ME, {"month": 12, "day": 1})  # setting a birthday puts the anniversary in the index
    assert _issued("2026-03-10") == (1, 0)


def test_invalid_issuance_is_400_and_issues_nothing(
    at: Callable[[datetime], None], notifications: Callable[[], list[dict[str, Any]]]
) -> None:
    _join(at, ME, JOINED)
    _put_dates(ME, {"month": 2, "day": 28})
    for body in (
        {"date": "2026-02-30"},
        {"date": "2026-2-28"},
        {"date": 20260228},
        {"date": "2026-02-28T00:00:00Z"},
        {"date": "2026-02-28", "force": True},
        {},
    ):
        reply = invoke("IssueRewardsFunction", caller=ADMIN, body=body)
        assert problem(reply) == (400, "/problems/invalid-input"), body
    assert _rewards(ME) == []
    assert notifications() == []


def test_issuance_replayed_with_its_key_returns_the_first_answer(at: Callable[[datetime], None]) -> None:
    _join(at, ME, JOINED)
    _put_dates(ME, {"month": 9, "day": 9})
    at(datetime(2026, 9, 9, 1, 0, tzinfo=UTC))
    key = {"Idempotency-Key": "issue-2026-09-09"}
    first = _issue("2026-09-09", headers=key)
    again = _issue("2026-09-09", headers=key)
    assert (first.status, first.body) == (200, {"date": "2026-09-09", "issued": 1, "skipped": 0})
    assert (again.status, again.body) == (first.status, first.body)
    assert _issued("2026-09-09") == (0, 1)  # without the key: a new run, which finds it issued


def test_the_hourly_schedule_issues_the_rewards_of_the_customers_day(
    at: Callable[[datetime], None],
    notifications: Callable[[], list[dict[str, Any]]],
    consume: Callable[[str], int],
) -> None:
    _join(at, ME, datetime(2021, 11, 24, 9, 0, tzinfo=UTC))  # Riyadh: 24 November begins at 21:00 UTC
    _put_dates(ME, {"month": 11, "day": 24})
    at(datetime(2026, 11, 23, 21, 0, 1, tzinfo=UTC))
    assert _run_schedule("SpecialDateRewardsScheduleFunction") == {
        "job": "rewards-issuance",
        "planned": ["2026-11-23T20:00:00+00:00"],
    }
    assert consume("SpecialDateRewardsWorkerFunction") == 8
    assert _run_schedule("SpecialDateRewardsScheduleFunction")["planned"] == []
    assert consume("SpecialDateRewardsWorkerFunction") == 0
    assert sorted((r["occasion"], r["points"]) for r in _rewards(ME)) == [
        ("anniversary", 1000),
        ("birthday", 100),
    ]
    assert len(notifications()) == 2


# ---- claims ----------------------------------------------------------------------------------


def _reward_issued(at: Callable[[datetime], None], moment: datetime) -> dict[str, Any]:
    _join(at, ME, JOINED)
    _put_dates(ME, {"month": moment.month, "day": moment.day})
    at(moment)
    assert _issued(moment.date().isoformat()) == (1, 0)
    [reward] = _rewards(ME)
    return reward


ISSUED = datetime(2026, 4, 2, 1, 0, tzinfo=UTC)


def test_a_claim_credits_the_points_once(at: Callable[[datetime], None]) -> None:
    reward = _reward_issued(at, ISSUED)
    at(ISSUED + timedelta(days=29))
    claimed = _claim(ME, reward["rewardId"])
    assert claimed.status == 201
    assert claimed.body == {
        "rewardId": reward["rewardId"],
        "status": "claimed",
        "pointsAwarded": 100,
        "transactionId": claimed.body["transactionId"],
    }
    loyalty = account(ME)
    assert (loyalty["pointsBalance"], loyalty["lifetimePoints"]) == (100, 100)
    [entry] = ledger(ME)
    assert entry["transactionId"] == claimed.body["transactionId"]
    assert (entry["type"], entry["points"], entry["balanceAfter"]) == ("bonus", 100, 100)
    assert entry["source"] == {"kind": "reward", "id": reward["rewardId"]}
    again = _claim(ME, reward["rewardId"])
    assert (again.status, again.body["type"]) == (409, "/problems/reward-already-claimed")
    assert again.body["detail"] == f"Reward {reward['rewardId']} was already claimed."
    assert account(ME)["pointsBalance"] == 100
    assert [r["status"] for r in _rewards(ME)] == ["claimed"]
    assert _rewards(ME, status="claimed") == _rewards(ME)
    assert _rewards(ME, status="available") == []
    assert read("GetEngagementFunction", ME)["rewardsClaimed"] == 1


@pytest.mark.guard("rewards.repository:claim")
def test_a_claim_racing_another_claim_is_refused_by_the_rewards_condition(
    at: Callable[[datetime], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    reward = _reward_issued(at, ISSUED)
    stale = repository.reward(ME, reward["rewardId"])  # read before the other claim commits
    assert _claim(ME, reward["rewardId"]).status == 201
    reads = iter([stale])
    real_read = repository.reward
    monkeypatch.setattr(
        repository,
        "reward",
        lambda customer_id, reward_id: next(reads, None) or real_read(customer_id, reward_id),
    )
    late = _claim(ME, reward["rewardId"])
    assert (late.status, late.body["type"]) == (409, "/problems/reward-already-claimed")
    assert (account(ME)["pointsBalance"], len(ledger(ME))) == (100, 1)
    assert read("GetEngagementFunction", ME)["rewardsClaimed"] == 1


def test_a_claim_replayed_with_its_key_has_one_effect(at: Callable[[datetime], None]) -> None:
    reward = _reward_issued(at, ISSUED)
    key = {"Idempotency-Key": "claim-1"}
    first = _claim(ME, reward["rewardId"], headers=key)
    again = _claim(ME, reward["rewardId"], headers=key)
    assert first.status == 201
    assert (again.status, again.body) == (first.status, first.body)
    assert len(ledger(ME)) == 1
    assert read("GetEngagementFunction", ME)["rewardsClaimed"] == 1
    empty = _claim(ME, reward["rewardId"], body=None)  # an empty body is a claim too
    assert problem(empty) == (409, "/problems/reward-already-claimed")


def _dies_after_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    real = db.UnitOfWork.commit

    def dying(work: db.UnitOfWork) -> None:
        real(work)
        raise RuntimeError("died after the commit")

    monkeypatch.setattr(db.UnitOfWork, "commit", dying)


def test_a_claim_retried_after_dying_past_its_commit_answers_the_first_claim(
    at: Callable[[datetime], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    reward = _reward_issued(at, ISSUED)
    with monkeypatch.context() as crash:
        _dies_after_commit(crash)
        assert _claim(ME, reward["rewardId"], idempotency_key="claim-1").status == 500
    retried = _claim(ME, reward["rewardId"], idempotency_key="claim-1")
    assert retried.status == 201  # not 409 already claimed: the first claim's answer
    [entry] = ledger(ME)
    assert retried.body == {
        "rewardId": reward["rewardId"],
        "status": "claimed",
        "pointsAwarded": 100,
        "transactionId": entry["transactionId"],
    }
    again = _claim(ME, reward["rewardId"], idempotency_key="claim-1")
    assert (again.status, again.body) == (201, retried.body)
    assert account(ME)["pointsBalance"] == 100
    assert read("GetEngagementFunction", ME)["rewardsClaimed"] == 1


def test_a_claim_that_reaches_a_tier_announces_it(
    at: Callable[[datetime], None], queued_notifications: Any
) -> None:
    _join(at, ME, JOINED)
    _put_dates(ME, {"month": ISSUED.month, "day": ISSUED.day})
    at(ISSUED)
    assert purchase(ME, "O-1", "950").status == 201  # 950 lifetime points: bronze
    assert _issued(ISSUED.date().isoformat()) == (1, 0)
    assert queued_notifications("tier_upgrade") == []
    assert _claim(ME, f"{ISSUED.year}-birthday").status == 201  # +100: silver
    assert account(ME)["tier"] == "silver"
    [upgrade] = queued_notifications("tier_upgrade")
    assert (upgrade["messageId"], upgrade["customerId"], upgrade["category"], upgrade["params"]) == (
        f"tier:{ME}:silver",
        ME,
        "loyalty",
        {"tier": "silver"},
    )


def test_a_reward_expires_30_days_after_it_was_issued(at: Callable[[datetime], None]) -> None:
    reward = _reward_issued(at, ISSUED)
    at(ISSUED + timedelta(days=30, seconds=1))
    assert [r["status"] for r in _rewards(ME)] == ["expired"]
    assert _rewards(ME, status="expired") == _rewards(ME)
    assert _rewards(ME, status="available") == []
    late = _claim(ME, reward["rewardId"])
    assert (late.status, late.body["type"]) == (409, "/problems/reward-expired")
    assert account(ME)["pointsBalance"] == 0
    assert ledger(ME) == []
    assert read("GetEngagementFunction", ME)["rewardsClaimed"] == 0


def test_unknown_rewards_are_404_and_bad_filters_400(at: Callable[[datetime], None]) -> None:
    reward = _reward_issued(at, ISSUED)
    for reward_id in ("2025-birthday", "2026-anniversary", "nonsense", reward["rewardId"] + "x"):
        reply = _claim(ME, reward_id)
        assert problem(reply) == (404, "/problems/reward-not-found"), reward_id
    assert problem(_claim(ME, reward["rewardId"], body={"points": 5})) == (400, "/problems/invalid-input")
    bad = invoke("ListRewardsFunction", path={"customerId": ME}, caller=claims(ME), query={"status": "new"})
    assert problem(bad) == (400, "/problems/invalid-input")
    assert _claim(ME, reward["rewardId"]).status == 201


# ---- upcoming --------------------------------------------------------------------------------


def test_upcoming_lists_the_next_60_days_in_the_customers_timezone(at: Callable[[datetime], None]) -> None:
    _join(at, ME, datetime(2025, 6, 10, 9, 0, tzinfo=UTC))
    _put_dates(ME, {"month": 5, "day": 20, "year": 1988})
    _join(at, "customer-la", datetime(2025, 6, 10, 9, 0, tzinfo=UTC), timezone="America/Los_Angeles")
    _put_dates("customer-la", {"month": 7, "day": 1})
    at(datetime(2026, 5, 1, 3, 0, tzinfo=UTC))  # 1 May in Riyadh, still 30 April in Los Angeles
    assert _upcoming(ME) == [
        {"occasion": "birthday", "date": "2026-05-20", "daysUntil": 19, "expectedPoints": 100},
        {"occasion": "anniversary", "date": "2026-06-10", "daysUntil": 40, "expectedPoints": 200},
    ]
    assert _upcoming("customer-la") == [  # and 1 July is 62 days away: beyond the window
        {"occasion": "anniversary", "date": "2026-06-10", "daysUntil": 41, "expectedPoints": 200},
    ]
    at(datetime(2026, 5, 21, 3, 0, tzinfo=UTC))
    assert [item["occasion"] for item in _upcoming(ME)] == ["anniversary"]  # next birthday: 2027
    staff = invoke("ListUpcomingRewardsFunction", path={"customerId": ME}, caller=AGENT)
    assert staff.status == 200


def test_a_new_customer_has_no_anniversary_coming(at: Callable[[datetime], None]) -> None:
    _join(at, ME, JOINED)
    assert _upcoming(ME) == []
    at(JOINED + timedelta(days=330))
    assert _upcoming(ME) == [
        {"occasion": "anniversary", "date": "2026-03-10", "daysUntil": 35, "expectedPoints": 200}
    ]


# ---- cost ------------------------------------------------------------------------------------


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


def _other_customers(first: int, count: int) -> None:
    """Customers celebrating on other days than 15 June, written straight into the index."""
    updated = clock.now()
    with CelebrantRecord.batch_write() as batch:
        for index in range(first, first + count):
            customer_id = f"customer-{index:05d}"
            month = 1 + index % 12
            day = 1 + index % 28 if month != 6 else 16 + index % 14
            for occasion, since in (("birthday", None), ("anniversary", f"2024-{month:02d}-{day:02d}")):
                batch.save(
                    CelebrantRecord(
                        pk=customer_key(customer_id),
                        sk=f"CELEBRANT#{occasion}",
                        customer_id=customer_id,
                        occasion=occasion,
                        month=month,
                        day=day,
                        since=since,
                        zone="Asia/Riyadh",
                        celebration_shard=celebration_shard(customer_id, month, day),
                        celebration_zone=celebration_zone("Asia/Riyadh", customer_id),
                        updated_at=updated,
                    )
                )


def _indexed_customers() -> int:
    table = boto3.resource("dynamodb", region_name=os.environ["AWS_REGION"]).Table(
        CelebrantRecord.Meta.table_name
    )
    customers, start = set(), {}
    while True:
        page = table.scan(IndexName="byCelebration", ProjectionExpression="pk", **start)
        customers.update(item["pk"] for item in page["Items"])
        if "LastEvaluatedKey" not in page:
            return len(customers)
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def test_the_issuers_cost_follows_the_celebrants_not_the_customers(
    at: Callable[[datetime], None], dynamodb_requests: list[str]
) -> None:
    for index in range(3):
        _join(at, f"celebrant-{index}", JOINED)
        _put_dates(f"celebrant-{index}", {"month": 6, "day": 15})
    _other_customers(0, 97)

    def issue(day: str) -> list[str]:
        dynamodb_requests.clear()
        assert _issued(day, idempotency_key=None) == (3, 0)  # the issuer's requests, no key's record
        return sorted(dynamodb_requests)

    at(datetime(2026, 6, 15, 1, 0, tzinfo=UTC))
    at_100 = issue("2026-06-15")
    _other_customers(97, 4_900)
    assert _indexed_customers() == 5_000
    at(datetime(2027, 6, 15, 1, 0, tzinfo=UTC))
    at_5000 = issue("2027-06-15")
    assert at_5000 == at_100
    # one index query per shard, then per birthday: the tier, and the reward with its notification
    assert at_100 == sorted(["Query"] * CELEBRANT_SHARDS + ["GetItem", "TransactWriteItems"] * 3)
