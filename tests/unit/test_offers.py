"""Offer rules as pure functions: the discount, the value offers are ranked by, remaining uses,
targeting (AND across criteria, OR within one, facts read only when needed), refusals, and how a
total limit is split over the use shards."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from customer_id.offers import service
from customer_id.offers.models import USE_SHARDS, Offer, Targeting, shard_caps

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def offer(**changes: Any) -> Offer:
    base = Offer(
        offer_id="offer-1",
        title={"en": "Deal", "ar": "عرض"},
        description={"en": "A deal", "ar": "عرض خاص"},
        discount_type="percent",
        discount_value=Decimal(10),
        min_purchase=None,
        max_discount=None,
        targeting=Targeting(),
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=30),
        per_customer_limit=1,
        total_limit=None,
        created_at=NOW - timedelta(days=2),
    )
    return replace(base, **changes)


@dataclass
class Facts:
    """A customer's facts; reading one that is None fails the test (it should not be needed)."""

    tier: str | None = "bronze"
    segment: str | None = "new"
    new: bool | None = True
    read: list[str] = field(default_factory=list)

    def _fact[T](self, name: str, value: T | None) -> T:
        assert value is not None, f"{name} should not have been read"
        self.read.append(name)
        return value

    @property
    def tier_id(self) -> str:
        return self._fact("tier", self.tier)

    @property
    def segment_id(self) -> str:
        return self._fact("segment", self.segment)

    @property
    def is_new(self) -> bool:
        return self._fact("new", self.new)


# ---- discount ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "amount", "expected"),
    [
        ({"discount_value": Decimal(10)}, "200", "20.00"),
        ({"discount_value": Decimal(10), "max_discount": Decimal(15)}, "200", "15.00"),
        ({"discount_value": Decimal(10), "max_discount": Decimal(15)}, "150", "15.00"),
        ({"discount_value": Decimal(10), "max_discount": Decimal(15)}, "149.99", "15.00"),  # 14.999
        ({"discount_value": Decimal(10), "max_discount": Decimal(15)}, "149.94", "14.99"),  # 14.994
        ({"discount_value": Decimal("12.5")}, "1.00", "0.13"),  # 0.125: half-up
        ({"discount_value": Decimal("12.5")}, "0.04", "0.01"),  # 0.005: half-up
        ({"discount_value": Decimal("12.5")}, "0.03", "0.00"),  # 0.00375
        ({"discount_value": Decimal(100)}, "80.55", "80.55"),
        ({"discount_type": "fixed", "discount_value": Decimal(20)}, "150.50", "20"),
        ({"discount_type": "fixed", "discount_value": Decimal(50)}, "30", "30"),  # stops at the order
        ({"discount_type": "fixed", "discount_value": Decimal(50)}, "50", "50"),
    ],
)
def test_discount(changes: dict[str, Any], amount: str, expected: str) -> None:
    assert service.discount(offer(**changes), Decimal(amount)) == Decimal(expected)


def test_a_percent_discount_is_rounded_to_cents() -> None:
    assert (
        service.discount(offer(discount_value=Decimal("33.33")), Decimal("10.01")).as_tuple().exponent == -2
    )


# ---- ranking -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "average", "expected"),
    [
        ({"discount_value": Decimal(10)}, None, "10.00"),  # no purchase yet: an order of 100
        ({"discount_value": Decimal(10)}, Decimal("350"), "35.00"),
        ({"discount_type": "fixed", "discount_value": Decimal(25)}, None, "25"),
        ({"discount_type": "fixed", "discount_value": Decimal(25)}, Decimal("12.50"), "12.50"),
        ({"discount_value": Decimal(50), "min_purchase": Decimal(100)}, None, "50.00"),  # inclusive
        ({"discount_value": Decimal(50), "min_purchase": Decimal("100.01")}, None, "0"),
        ({"discount_value": Decimal(50), "min_purchase": Decimal(300)}, Decimal("299.99"), "0"),
    ],
)
def test_value_is_the_discount_on_the_average_order(
    changes: dict[str, Any], average: Decimal | None, expected: str
) -> None:
    assert service.value_for(offer(**changes), average) == Decimal(expected)


def test_best_value_first_then_earliest_end_then_id() -> None:
    later = NOW + timedelta(days=60)
    percent = offer(offer_id="percent", discount_value=Decimal(20))  # 20 on 100
    fixed_late = offer(
        offer_id="fixed-late", discount_type="fixed", discount_value=Decimal(20), valid_until=later
    )
    fixed_b = offer(offer_id="b", discount_type="fixed", discount_value=Decimal(20))
    small = offer(offer_id="small", discount_type="fixed", discount_value=Decimal(1))
    out_of_reach = offer(offer_id="min", discount_value=Decimal(90), min_purchase=Decimal(500))
    ranked = service.best_first([small, out_of_reach, fixed_late, percent, fixed_b], None)
    assert [item.offer_id for item in ranked] == ["b", "percent", "fixed-late", "small", "min"]


def test_ranking_depends_on_the_average_order() -> None:
    percent = offer(offer_id="percent", discount_value=Decimal(10))
    fixed = offer(offer_id="fixed", discount_type="fixed", discount_value=Decimal(25))
    assert [item.offer_id for item in service.best_first([percent, fixed], None)] == ["fixed", "percent"]
    assert [item.offer_id for item in service.best_first([percent, fixed], Decimal(300))] == [
        "percent",
        "fixed",
    ]


# ---- remaining uses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("per_customer", "total", "used_by_all", "used_by_customer", "expected"),
    [
        (1, None, 0, 0, 1),
        (3, None, 500, 1, 2),
        (3, 10, 4, 1, 2),
        (3, 5, 4, 1, 1),  # the total limit is the smaller
        (3, 5, 5, 0, 0),
        (2, None, 2, 2, 0),
        (2, None, 3, 3, 0),  # never negative
    ],
)
def test_remaining_uses_is_the_smaller_of_both_limits(
    per_customer: int, total: int | None, used_by_all: int, used_by_customer: int, expected: int
) -> None:
    limited = offer(per_customer_limit=per_customer, total_limit=total, used_count=used_by_all)
    assert service.remaining_uses(limited, used_by_customer) == expected


# ---- targeting -----------------------------------------------------------------------------------


def test_no_targeting_is_everyone_and_reads_nothing() -> None:
    facts = Facts(tier=None, segment=None, new=None)
    assert service.targeting_refusal(Targeting(), facts) is None


@pytest.mark.parametrize(
    ("targeting", "facts", "expected"),
    [
        (Targeting(tiers=("silver", "gold")), Facts(tier="gold"), None),  # OR within a criterion
        (Targeting(tiers=("silver", "gold")), Facts(tier="bronze"), "offer_tier_not_eligible"),
        (Targeting(segments=("loyal", "champions")), Facts(segment="champions"), None),
        (Targeting(segments=("loyal",)), Facts(segment="new"), "offer_segment_not_eligible"),
        (Targeting(new_customers_only=True), Facts(new=True), None),
        (Targeting(new_customers_only=True), Facts(new=False), "offer_new_customers_only"),
        (Targeting(tiers=("bronze",), segments=("new",), new_customers_only=True), Facts(), None),
        # AND across criteria: one failing is enough
        (Targeting(tiers=("bronze",), segments=("loyal",)), Facts(), "offer_segment_not_eligible"),
        (Targeting(tiers=("bronze",), new_customers_only=True), Facts(new=False), "offer_new_customers_only"),
    ],
)
def test_targeting(targeting: Targeting, facts: Facts, expected: str | None) -> None:
    refusal = service.targeting_refusal(targeting, facts)
    assert (refusal.code if refusal else None) == expected


def test_a_failing_tier_spares_the_other_reads() -> None:
    facts = Facts(tier="bronze", segment=None, new=None)
    refusal = service.targeting_refusal(
        Targeting(tiers=("gold",), segments=("loyal",), new_customers_only=True), facts
    )
    assert refusal is not None
    assert refusal.code == "offer_tier_not_eligible"
    assert facts.read == ["tier"]


def test_criteria_not_set_are_not_read() -> None:
    facts = Facts(tier=None, new=None, segment="loyal")
    assert service.targeting_refusal(Targeting(segments=("loyal",)), facts) is None
    assert facts.read == ["segment"]


# ---- refusal -------------------------------------------------------------------------------------


def test_an_active_offer_with_uses_left_is_not_refused() -> None:
    assert service.refusal(offer(), Facts(), 0, NOW) is None


def test_validity_is_from_inclusive_until_exclusive() -> None:
    timed = offer(valid_from=NOW, valid_until=NOW + timedelta(hours=1))
    assert service.refusal(timed, Facts(), 0, NOW) is None
    before = service.refusal(timed, Facts(), 0, NOW - timedelta(milliseconds=1))
    assert before == service.Refusal("offer_not_yet_valid", {"validFrom": "2026-06-15T12:00:00.000Z"})
    after = service.refusal(timed, Facts(), 0, NOW + timedelta(hours=1))
    assert after == service.Refusal("offer_expired", {"validUntil": "2026-06-15T13:00:00.000Z"})


def test_an_offer_out_of_its_time_reads_no_facts() -> None:
    facts = Facts(tier=None, segment=None, new=None)
    expired = offer(valid_until=NOW, targeting=Targeting(tiers=("gold",)))
    refusal = service.refusal(expired, facts, 0, NOW)
    assert refusal is not None
    assert refusal.code == "offer_expired"


def test_limits_are_refused_after_targeting() -> None:
    limited = offer(per_customer_limit=2, total_limit=5, used_count=5)
    assert service.refusal(limited, Facts(), 1, NOW) == service.Refusal(
        "offer_total_limit_reached", {"limit": 5}
    )
    assert service.refusal(limited, Facts(), 2, NOW) == service.Refusal(
        "offer_customer_limit_reached", {"limit": 2}
    )
    gold_only = replace(limited, targeting=Targeting(tiers=("gold",)))
    refusal = service.refusal(gold_only, Facts(), 2, NOW)
    assert refusal is not None
    assert refusal.code == "offer_tier_not_eligible"
    assert service.refusal(offer(per_customer_limit=2, total_limit=5, used_count=4), Facts(), 1, NOW) is None


# ---- the use shards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "caps"),
    [
        (1, (1,)),
        (5, (1, 1, 1, 1, 1)),
        (16, (1,) * 16),
        (17, (2,) + (1,) * 15),
        (35, (3, 3, 3) + (2,) * 13),
        (1000, (63,) * 8 + (62,) * 8),
        (0, ()),
        (-2, ()),  # more uses counted before the shards than the limit: nothing left
    ],
)
def test_a_limit_is_split_over_at_most_16_shards_that_add_up_to_it(limit: int, caps: tuple[int, ...]) -> None:
    assert USE_SHARDS == 16
    assert shard_caps(limit) == caps
    assert sum(caps) == max(limit, 0)


def test_the_shards_with_room_are_those_below_their_cap() -> None:
    assert offer().shard_caps() == ()  # no total limit: no shard
    assert offer().shards_with_room() == []
    fresh = offer(total_limit=18)  # caps 2, 2, then 1 x 14; no shard written yet
    assert fresh.shard_caps() == (2, 2) + (1,) * 14
    assert fresh.shards_with_room() == list(range(16))
    uses = (2, 1) + (1,) * 13 + (0,)
    partly = offer(total_limit=18, used_count=sum(uses), shard_uses=uses)
    assert partly.shards_with_room() == [1, 15]
    full = (2, 2) + (1,) * 14
    assert offer(total_limit=18, used_count=18, shard_uses=full).shards_with_room() == []


def test_uses_counted_before_the_shards_leave_the_shards_the_rest_of_the_limit() -> None:
    # 7 of 10 counted on the offer's record (before shards existed): the shards may count 3 more
    legacy = offer(total_limit=10, used_count=7 + 1, shard_uses=(1, 0, 0))
    assert legacy.shard_caps() == (1, 1, 1)
    assert legacy.shards_with_room() == [1, 2]
    assert service.remaining_uses(replace(legacy, per_customer_limit=5), 0) == 2
