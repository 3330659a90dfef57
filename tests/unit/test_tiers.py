"""Tier rules of API.md: thresholds on lifetime points, earn multipliers, floor(amount × multiplier)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customer_id.loyalty import tier_list, tiers
from customer_id.settings import settings


@pytest.mark.parametrize(
    ("lifetime", "expected"),
    [
        (0, "bronze"),
        (999, "bronze"),
        (1000, "silver"),
        (4999, "silver"),
        (5000, "gold"),
        (14999, "gold"),
        (15000, "platinum"),
        (1_000_000, "platinum"),
    ],
)
def test_tier_for_thresholds(lifetime: int, expected: str) -> None:
    assert tiers.tier_for(lifetime).tier_id == expected


@pytest.mark.parametrize(
    ("lifetime", "expected"),
    [
        (0, "silver"),
        (999, "silver"),
        (1000, "gold"),
        (4999, "gold"),
        (5000, "platinum"),
        (14999, "platinum"),
    ],
)
def test_next_tier_is_the_first_one_above(lifetime: int, expected: str) -> None:
    upcoming = tiers.next_tier(lifetime)
    assert upcoming is not None
    assert upcoming.tier_id == expected


@pytest.mark.parametrize("lifetime", [15000, 20000])
def test_no_next_tier_at_platinum(lifetime: int) -> None:
    assert tiers.next_tier(lifetime) is None


def test_tier_table_matches_the_contract() -> None:
    assert [(t.tier_id, t.min_points, t.multiplier) for t in tiers.TIERS] == [
        ("bronze", 0, Decimal("1.0")),
        ("silver", 1000, Decimal("1.25")),
        ("gold", 5000, Decimal("1.5")),
        ("platinum", 15000, Decimal("2.0")),
    ]


@pytest.mark.parametrize(
    ("amount", "tier_id", "points"),
    [
        ("149.90", "silver", 187),  # 187.375
        ("149.90", "bronze", 149),
        ("149.90", "gold", 224),  # 224.85
        ("149.90", "platinum", 299),  # 299.80
        ("0.99", "bronze", 0),
        ("0.80", "silver", 1),  # exactly 1.00: no float error may take it to 0
        ("3.99", "silver", 4),  # 4.9875
        ("100", "platinum", 200),
    ],
)
def test_points_for_floors_amount_times_multiplier(amount: str, tier_id: str, points: int) -> None:
    result = tiers.points_for(Decimal(amount), tiers.tier(tier_id))
    assert result == points
    assert type(result) is int


def test_points_for_uses_the_tier_passed_in() -> None:
    # 8.20 × 1.25 = 10.25; 2.00 × 1.5 = 3
    assert tiers.points_for(Decimal("8.20"), tiers.tier("silver")) == 10
    assert tiers.points_for(Decimal("2.00"), tiers.tier("gold")) == 3


def test_rank_orders_tiers() -> None:
    assert [tiers.rank(t) for t in ("bronze", "silver", "gold", "platinum")] == [0, 1, 2, 3]
    assert tiers.rank("gold") > tiers.rank("silver")


def test_list_tiers_in_arabic() -> None:
    listed = tier_list.list_tiers("ar").items

    assert [t.name for t in listed] == ["برونزي", "فضي", "ذهبي", "بلاتيني"]
    assert [t.min_points for t in listed] == [0, 1000, 5000, 15000]
    assert [t.earn_multiplier for t in listed] == [1.0, 1.25, 1.5, 2.0]
    assert [len(t.benefits) for t in listed] == [2, 3, 4, 6]
    assert listed[1].benefits[0] == "اكسب 1.25 نقطة لكل SAR تنفقه"
    assert listed[2].benefits[1] == "500 نقطة إضافية في عيد ميلادك"


def test_list_tiers_in_english() -> None:
    listed = tier_list.list_tiers("en").items

    assert listed[0].name == "Bronze"
    assert listed[3].benefits[0] == "Earn 2.0 points per SAR spent"
    assert listed[0].benefits[1] == "100 bonus points on your birthday"


def test_list_tiers_names_the_deployment_currency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURRENCY", "AED")
    settings.cache_clear()
    try:
        assert tier_list.list_tiers("en").items[0].benefits[0] == "Earn 1.0 points per AED spent"
    finally:
        settings.cache_clear()
