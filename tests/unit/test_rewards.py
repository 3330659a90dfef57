"""The date rules of special-date rewards, as pure functions: when an occasion is celebrated (29
February on 28 February in common years), which month-days a day celebrates, full years of
membership and what they are worth, the next celebration, and which birthdays are dates at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from customer_id import clock
from customer_id.rewards import occasions
from customer_id.rewards.models import Reward
from customer_id.rewards.schemas.special_dates import SpecialDatesInput


@pytest.mark.parametrize(
    ("month", "day", "year", "celebrated"),
    [
        (2, 29, 2027, date(2027, 2, 28)),
        (2, 29, 2028, date(2028, 2, 29)),
        (2, 29, 2100, date(2100, 2, 28)),  # not a leap year
        (2, 29, 2000, date(2000, 2, 29)),
        (2, 28, 2028, date(2028, 2, 28)),
        (12, 31, 2026, date(2026, 12, 31)),
    ],
)
def test_celebration_day(month: int, day: int, year: int, celebrated: date) -> None:
    assert occasions.celebration(month, day, year) == celebrated


@pytest.mark.parametrize(
    ("day", "month_days"),
    [
        (date(2027, 2, 28), ("02-28", "02-29")),
        (date(2028, 2, 28), ("02-28",)),
        (date(2028, 2, 29), ("02-29",)),
        (date(2027, 3, 1), ("03-01",)),
        (date(2026, 11, 4), ("11-04",)),
    ],
)
def test_month_days_celebrated_on(day: date, month_days: tuple[str, ...]) -> None:
    assert occasions.month_days_celebrated_on(day) == month_days


@pytest.mark.parametrize(
    ("since", "on", "years"),
    [
        (date(2025, 6, 1), date(2026, 6, 1), 1),
        (date(2025, 6, 1), date(2026, 5, 31), 0),
        (date(2025, 6, 1), date(2025, 6, 1), 0),
        (date(2025, 6, 1), date(2024, 6, 1), 0),  # before joining
        (date(2019, 6, 1), date(2026, 6, 1), 7),
        (date(2024, 2, 29), date(2025, 2, 28), 1),  # a leap-day joiner's first year ends on 28 February
        (date(2024, 2, 29), date(2025, 2, 27), 0),
        (date(2024, 2, 29), date(2028, 2, 28), 3),  # in a leap year it ends on 29 February
        (date(2024, 2, 29), date(2028, 2, 29), 4),
        (date(2023, 12, 31), date(2024, 12, 31), 1),
    ],
)
def test_full_years(since: date, on: date, years: int) -> None:
    assert occasions.full_years(since, on) == years


@pytest.mark.parametrize(
    ("years", "points"), [(0, 0), (1, 200), (2, 400), (4, 800), (5, 1000), (6, 1000), (30, 1000)]
)
def test_anniversary_points(years: int, points: int) -> None:
    assert occasions.anniversary_points(years) == points


@pytest.mark.parametrize(
    ("month", "day", "today", "next_one"),
    [
        (5, 20, date(2026, 5, 1), date(2026, 5, 20)),
        (5, 20, date(2026, 5, 20), date(2026, 5, 20)),  # today counts
        (5, 20, date(2026, 5, 21), date(2027, 5, 20)),
        (1, 5, date(2026, 12, 20), date(2027, 1, 5)),
        (2, 29, date(2026, 12, 20), date(2027, 2, 28)),
        (2, 29, date(2027, 3, 1), date(2028, 2, 29)),
        (2, 29, date(2028, 2, 29), date(2028, 2, 29)),
    ],
)
def test_next_celebration(month: int, day: int, today: date, next_one: date) -> None:
    assert occasions.next_celebration(month, day, today) == next_one


def test_reward_status_is_expired_once_claim_by_has_passed() -> None:
    claim_by = datetime(2026, 5, 2, 1, 0, tzinfo=UTC)
    reward = Reward(
        customer_id="cust-1",
        reward_id="2026-birthday",
        occasion="birthday",
        year=2026,
        points=100,
        issued_on=date(2026, 4, 2),
        issued_at=datetime(2026, 4, 2, 1, 0, tzinfo=UTC),
        claim_by=claim_by,
        claimed=False,
    )
    assert reward.status(claim_by) == "available"
    assert reward.status(claim_by.replace(second=1)) == "expired"
    assert Reward(**{**reward.__dict__, "claimed": True}).status(claim_by.replace(year=2030)) == "claimed"


def _birthday(**fields: Any) -> SpecialDatesInput:
    return SpecialDatesInput.model_validate({"birthday": fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"month": 2, "day": 29},
        {"month": 2, "day": 29, "year": 2000},
        {"month": 4, "day": 30, "year": 1990},
        {"month": 12, "day": 31},
        {"month": 1, "day": 1, "year": 2026},
    ],
)
def test_real_birthdays(fields: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 6, 1, tzinfo=UTC))
    assert _birthday(**fields).birthday.model_dump() == {"year": None, **fields}


@pytest.mark.parametrize(
    "fields",
    [
        {"month": 4, "day": 31},
        {"month": 2, "day": 30},
        {"month": 2, "day": 29, "year": 1900},  # not a leap year
        {"month": 2, "day": 29, "year": 2023},
        {"month": 6, "day": 31},
        {"month": 1, "day": 1, "year": 2027},  # in the future
        {"month": True, "day": 1},
    ],
)
def test_impossible_birthdays(fields: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 6, 1, tzinfo=UTC))
    with pytest.raises(ValidationError):
        _birthday(**fields)


def test_days_begun_follow_each_zones_calendar() -> None:
    from customer_id.rewards.issuance import days_begun

    def begun(start: datetime) -> set[tuple[str, date]]:
        return set(days_begun(start, start + timedelta(hours=1)))

    hour = datetime(2026, 9, 9, 20, 0, tzinfo=UTC)  # 21:00 UTC: midnight at UTC+3
    assert ("Asia/Riyadh", date(2026, 9, 10)) in begun(hour)
    assert not any(zone == "Asia/Riyadh" for zone, _ in begun(hour - timedelta(hours=1)))
    assert ("Asia/Kathmandu", date(2026, 9, 10)) in begun(datetime(2026, 9, 9, 18, 0, tzinfo=UTC))  # 18:15
    assert ("America/Los_Angeles", date(2026, 9, 10)) in begun(datetime(2026, 9, 10, 6, 0, tzinfo=UTC))
    assert ("America/Los_Angeles", date(2026, 12, 10)) in begun(
        datetime(2026, 12, 10, 7, 0, tzinfo=UTC)
    )  # PST
    # Samoa skipped 30 December 2011: the hour its 31 December began also begins the 30th
    skipped = {day for zone, day in begun(datetime(2011, 12, 30, 9, 0, tzinfo=UTC)) if zone == "Pacific/Apia"}
    assert skipped == {date(2011, 12, 30), date(2011, 12, 31)}
    every_hour = [
        pair
        for hour in range(24)
        for pair in begun(datetime(2026, 9, 9, 0, tzinfo=UTC) + timedelta(hours=hour))
    ]
    assert len(every_hour) == len(set(every_hour))  # each zone's day begins in one hour only
