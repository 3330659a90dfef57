"""The RFM rules: score thresholds and the segment map, documented here and served by `GET /segments`.

Recency is calendar days since the last purchase, in the customer's timezone, on the day it is
read; frequency and monetary count purchases and spend over the last 12 months.

| score | recency: days since last purchase | frequency: purchases, 12 months | monetary: spend, 12 months |
| 5     | <= 14                             | >= 20                           | >= 10 000                  |
| 4     | <= 30                             | >= 10                           | >= 5 000                   |
| 3     | <= 60                             | >= 5                            | >= 2 000                   |
| 2     | <= 120                            | >= 2                            | >= 500                     |
| 1     | more, or never                    | fewer                           | less                       |

Segments are tried in the order of SEGMENTS; the first whose rule holds is the customer's. A
customer with no purchase is `new` for 30 days after joining and `hibernating` after that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

# The segments' ids, in the order of the segment map below (`SEGMENT_IDS`).
SegmentId = Literal[
    "champions",
    "loyal",
    "potential_loyalist",
    "new",
    "promising",
    "need_attention",
    "at_risk",
    "cant_lose",
    "hibernating",
    "lost",
]


RECENCY_DAYS = ((14, 5), (30, 4), (60, 3), (120, 2))
FREQUENCY_PURCHASES = ((20, 5), (10, 4), (5, 3), (2, 2))
MONETARY_SPEND = ((Decimal(10_000), 5), (Decimal(5_000), 4), (Decimal(2_000), 3), (Decimal(500), 2))
NEW_CUSTOMER_DAYS = 30


@dataclass(frozen=True)
class Inputs:
    today: date
    joined_on: date
    last_purchase_on: date | None
    purchases12m: int
    spend12m: Decimal
    first_in_window_on: date | None = None  # the oldest day with a purchase in the 12-month window

    @property
    def days_since_last_purchase(self) -> int | None:
        return None if self.last_purchase_on is None else (self.today - self.last_purchase_on).days


@dataclass(frozen=True)
class Scores:
    recency: int
    frequency: int
    monetary: int


@dataclass(frozen=True)
class Segment:
    segment_id: str
    rule: str  # the rule in words (English): what GET /segments shows admins
    holds: Callable[[Scores], bool]
    benefits: tuple[str, ...]  # i18n keys under `segment_benefit.`


SEGMENTS: tuple[Segment, ...] = (
    Segment(
        "champions",
        "R>=4, F>=4, M>=4",
        lambda s: s.recency >= 4 and s.frequency >= 4 and s.monetary >= 4,
        ("vip_support", "early_access", "double_points_day"),
    ),
    Segment(
        "cant_lose",
        "R<=2, F>=4, M>=4",
        lambda s: s.recency <= 2 and s.frequency >= 4 and s.monetary >= 4,
        ("win_back_gift", "vip_support"),
    ),
    Segment(
        "loyal",
        "R>=3, F>=4",
        lambda s: s.recency >= 3 and s.frequency >= 4,
        ("early_access", "free_shipping"),
    ),
    Segment("at_risk", "R<=2, F>=3", lambda s: s.recency <= 2 and s.frequency >= 3, ("win_back_gift",)),
    Segment(
        "potential_loyalist",
        "R>=4, F in 2-3",
        lambda s: s.recency >= 4 and 2 <= s.frequency <= 3,
        ("free_shipping",),
    ),
    Segment(
        "new",
        "R>=4, F=1; or no purchase within 30 days of joining",
        lambda s: s.recency >= 4 and s.frequency == 1,
        ("welcome_offer",),
    ),
    Segment(
        "need_attention", "R=3, F>=2", lambda s: s.recency == 3 and s.frequency >= 2, ("personal_offer",)
    ),
    Segment("promising", "R=3, F=1", lambda s: s.recency == 3 and s.frequency == 1, ("second_order_offer",)),
    Segment(
        "hibernating",
        "R=2, F<=2; or no purchase after 30 days of joining",
        lambda s: s.recency == 2 and s.frequency <= 2,
        ("reactivation_offer",),
    ),
    Segment("lost", "R=1, F<=2", lambda s: s.recency == 1 and s.frequency <= 2, ("reactivation_offer",)),
)
SEGMENT_IDS = tuple(segment.segment_id for segment in SEGMENTS)
_BY_ID = {segment.segment_id: segment for segment in SEGMENTS}


def segment(segment_id: str) -> Segment:
    return _BY_ID[segment_id]


def _score_at_most(value: int, thresholds: tuple[tuple[int, int], ...]) -> int:
    return next((score for limit, score in thresholds if value <= limit), 1)


def _score_at_least[N: (int, Decimal)](value: N, thresholds: tuple[tuple[N, int], ...]) -> int:
    return next((score for limit, score in thresholds if value >= limit), 1)


def scores(inputs: Inputs) -> Scores:
    days = inputs.days_since_last_purchase
    return Scores(
        recency=1 if days is None else _score_at_most(days, RECENCY_DAYS),
        frequency=_score_at_least(inputs.purchases12m, FREQUENCY_PURCHASES),
        monetary=_score_at_least(inputs.spend12m, MONETARY_SPEND),
    )


def classify(inputs: Inputs) -> tuple[str, Scores]:
    found = scores(inputs)
    if inputs.last_purchase_on is None:
        is_new = (inputs.today - inputs.joined_on).days < NEW_CUSTOMER_DAYS
        return ("new" if is_new else "hibernating"), found
    return next(segment.segment_id for segment in SEGMENTS if segment.holds(found)), found


def review_on(inputs: Inputs) -> date | None:
    """The next day on which time alone may change the scores: the recency score drops, the oldest
    purchase leaves the 12-month window, or a new customer stops being new. The daily refresh looks
    at the customer again then. None when time changes nothing any more."""
    if inputs.last_purchase_on is None:
        end_of_new = inputs.joined_on + timedelta(days=NEW_CUSTOMER_DAYS)
        return end_of_new if inputs.today < end_of_new else None
    days = inputs.days_since_last_purchase or 0
    limit = next((limit for limit, _ in RECENCY_DAYS if days <= limit), None)
    candidates = [] if limit is None else [inputs.last_purchase_on + timedelta(days=limit + 1)]
    if inputs.first_in_window_on is not None:
        candidates.append(one_year_after(inputs.first_in_window_on))
    return min(candidates, default=None)


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def window_start(today: date) -> date:
    """The first day of the 12 months that end today."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + timedelta(days=1)
