"""Tier rules of API.md: thresholds on lifetime points, earn multipliers, birthday points, benefits.
No API schema: the tiers route's answer is built in `tier_list`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

TierId = Literal["bronze", "silver", "gold", "platinum"]


@dataclass(frozen=True)
class Tier:
    tier_id: str
    min_points: int
    multiplier: Decimal
    birthday_points: int
    benefits: tuple[str, ...]  # i18n keys


TIERS: tuple[Tier, ...] = (
    Tier("bronze", 0, Decimal("1.0"), 100, ("benefit.earn_rate", "benefit.birthday")),
    Tier(
        "silver",
        1_000,
        Decimal("1.25"),
        250,
        ("benefit.earn_rate", "benefit.birthday", "benefit.free_shipping"),
    ),
    Tier(
        "gold",
        5_000,
        Decimal("1.5"),
        500,
        ("benefit.earn_rate", "benefit.birthday", "benefit.free_shipping", "benefit.priority_support"),
    ),
    Tier(
        "platinum",
        15_000,
        Decimal("2.0"),
        1_000,
        (
            "benefit.earn_rate",
            "benefit.birthday",
            "benefit.free_shipping",
            "benefit.priority_support",
            "benefit.early_access",
            "benefit.dedicated_agent",
        ),
    ),
)
TIER_IDS = tuple(tier.tier_id for tier in TIERS)
_BY_ID = {tier.tier_id: tier for tier in TIERS}


def tier(tier_id: str) -> Tier:
    return _BY_ID[tier_id]


def tier_for(lifetime_points: int) -> Tier:
    return [tier for tier in TIERS if tier.min_points <= lifetime_points][-1]


def next_tier(lifetime_points: int) -> Tier | None:
    return next((tier for tier in TIERS if tier.min_points > lifetime_points), None)


def rank(tier_id: str) -> int:
    return TIER_IDS.index(tier_id)


def points_for(amount: Decimal, current: Tier) -> int:
    """`floor(amount × multiplier)`: one point per currency unit, times the tier's multiplier."""
    return math.floor(amount * current.multiplier)
