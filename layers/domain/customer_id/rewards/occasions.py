"""The calendar of special days, as pure functions: when an occasion is celebrated (29 February on
28 February in common years), the full years of a membership, and what an anniversary is worth."""

from __future__ import annotations

import calendar
from datetime import date

ANNIVERSARY_POINTS_PER_YEAR = 200
ANNIVERSARY_POINTS_CAP = 1_000
LEAP_DAY = "02-29"


def month_day(month: int, day: int) -> str:
    """The index key of an occasion's day, `MM-DD`."""
    return f"{month:02d}-{day:02d}"


def celebration(month: int, day: int, year: int) -> date:
    """The day of `year` on which an occasion falling on `month`/`day` is celebrated."""
    if (month, day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def month_days_celebrated_on(day: date) -> tuple[str, ...]:
    """The `MM-DD` of the occasions celebrated on `day`: its own, and on 28 February of a common
    year also 29 February's."""
    own = month_day(day.month, day.day)
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        return own, LEAP_DAY
    return (own,)


def next_celebration(month: int, day: int, today: date) -> date:
    """The first celebration of `month`/`day` on or after `today`."""
    this_year = celebration(month, day, today.year)
    return this_year if this_year >= today else celebration(month, day, today.year + 1)


def full_years(since: date, on: date) -> int:
    """Full years from `since` to `on`; a year begun on 29 February completes on 28 February of a
    common year."""
    years = on.year - since.year
    if on < celebration(since.month, since.day, on.year):
        years -= 1
    return max(years, 0)


def anniversary_points(years: int) -> int:
    """200 points per full year of membership, up to 1 000; nothing before the first full year."""
    return min(years * ANNIVERSARY_POINTS_PER_YEAR, ANNIVERSARY_POINTS_CAP)
