from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from customer_id import clock
from customer_id.segments.models import SHARDS, STATS_SK, SegmentStatsRecord, segment_key, shard_of
from customer_id.settings import settings
from tests.harness import claims, invoke
from tests.integration.helpers import ADMIN, create_profile, problem, purchase, read
from tests.integration.writes import Written, record_writes

ME = "customer-segmented"


def _iso_days_ago(days: int) -> str:
    return clock.iso(clock.now() - timedelta(days=days))


def _stats(segment_id: str) -> dict[str, Any]:
    reply = invoke("GetSegmentStatsFunction", path={"segmentId": segment_id}, caller=ADMIN)
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.body
    return body


def test_a_new_customer_is_new_and_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    joined = clock.now().replace(microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: joined)
    create_profile(ME)
    segment = read("GetSegmentFunction", ME)
    assert segment["segmentId"] == "new"
    assert segment["name"] == "New"
    assert segment["metrics"] == {
        "daysSinceLastPurchase": None,
        "purchases12m": 0,
        "spend12m": {"amount": "0.00", "currency": "SAR"},
    }
    assert _stats("new")["customerCount"] == 1
    assert _stats("new")["updatedAt"] == clock.iso(joined)  # the counters moved when the customer joined


def test_purchases_move_the_segment_and_its_counters() -> None:
    create_profile(ME)
    purchase(ME, "O-1", "600", occurredAt=_iso_days_ago(3))
    first = read("GetSegmentFunction", ME)
    assert (first["segmentId"], first["rfm"]) == ("new", {"recency": 5, "frequency": 1, "monetary": 2})
    purchase(ME, "O-2", "100", occurredAt=_iso_days_ago(2))
    second = read("GetSegmentFunction", ME)
    assert second["segmentId"] == "potential_loyalist"
    assert second["metrics"] == {
        "daysSinceLastPurchase": 2,
        "purchases12m": 2,
        "spend12m": {"amount": "700.00", "currency": "SAR"},
    }
    assert _stats("new")["customerCount"] == 0
    stats = _stats("potential_loyalist")
    assert (stats["customerCount"], stats["averageSpend12m"]["amount"]) == (1, "700.00")


def test_recency_is_for_the_day_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    purchase(ME, "O-1", "50", occurredAt=_iso_days_ago(1))
    assert read("GetSegmentFunction", ME)["segmentId"] == "new"
    later = clock.now() + timedelta(days=45)
    monkeypatch.setattr(clock, "now", lambda: later)
    segment = read("GetSegmentFunction", ME)
    assert (segment["segmentId"], segment["metrics"]["daysSinceLastPurchase"]) == ("promising", 46)
    assert segment["rfm"]["recency"] == 3


def test_an_old_purchase_only_is_hibernating_or_lost() -> None:
    create_profile(ME)
    purchase(ME, "O-1", "50", occurredAt=_iso_days_ago(100))
    assert read("GetSegmentFunction", ME)["segmentId"] == "hibernating"  # R=2, F=1
    create_profile("customer-two")
    purchase("customer-two", "O-1", "50", occurredAt=_iso_days_ago(200))
    assert read("GetSegmentFunction", "customer-two")["segmentId"] == "lost"


def test_champions() -> None:
    create_profile(ME)
    for index in range(10):
        purchase(ME, f"O-{index}", "600", occurredAt=_iso_days_ago(index + 1))
    segment = read("GetSegmentFunction", ME)
    assert (segment["segmentId"], segment["rfm"]) == (
        "champions",
        {"recency": 5, "frequency": 4, "monetary": 4},
    )
    benefits = read("ListSegmentBenefitsFunction", ME)["items"]
    assert [benefit["benefitId"] for benefit in benefits] == [
        "vip_support",
        "early_access",
        "double_points_day",
    ]
    arabic = invoke(
        "ListSegmentBenefitsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        headers={"Accept-Language": "ar"},
    )
    assert arabic.body["items"][0]["title"] == "خط دعم لكبار العملاء"


def test_recalculation_stores_the_segment_of_today(monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    purchase(ME, "O-1", "50", occurredAt=_iso_days_ago(1))
    later = clock.now() + timedelta(days=45)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert _stats("new")["customerCount"] == 1  # stored assignments move on writes, not on reads
    reply = invoke("RecalculateSegmentFunction", path={"customerId": ME}, caller=ADMIN)
    assert (reply.status, reply.body["segmentId"]) == (200, "promising")
    assert reply.body["assignedAt"] == clock.iso(later)
    assert (_stats("new")["customerCount"], _stats("promising")["customerCount"]) == (0, 1)
    nobody = invoke("RecalculateSegmentFunction", path={"customerId": "nobody"}, caller=ADMIN)
    assert problem(nobody) == (404, "/problems/profile-not-found")


# ---- the counters: write-sharded -----------------------------------------------------------------


def _counter_writes(written: list[Written]) -> list[str]:
    """The partition keys of the segment counters written."""
    return [item.pk for item in written if item.table == settings().segments_table and item.sk == STATS_SK]


def _customers_on_distinct_shards(count: int) -> list[str]:
    found: dict[int, str] = {}
    number = 0
    while len(found) < count:
        found.setdefault(shard_of(f"customer-{number}"), f"customer-{number}")
        number += 1
    return list(found.values())


def test_an_assignment_writes_only_the_counters_it_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    shard = shard_of(ME)
    written = record_writes(monkeypatch)
    create_profile(ME)
    assert _counter_writes(written) == [f"SEGMENT#new#{shard}"]  # the signup: into `new`
    written.clear()
    assert invoke("RecalculateSegmentFunction", path={"customerId": ME}, caller=ADMIN).status == 200
    assert _counter_writes(written) == []  # the same segment and spend: no counter written
    purchase(ME, "O-1", "600", occurredAt=_iso_days_ago(3))
    assert read("GetSegmentFunction", ME)["segmentId"] == "new"
    assert _counter_writes(written) == [f"SEGMENT#new#{shard}"]  # the spend moved, on the same shard
    written.clear()
    purchase(ME, "O-2", "100", occurredAt=_iso_days_ago(2))
    assert sorted(_counter_writes(written)) == [f"SEGMENT#new#{shard}", f"SEGMENT#potential_loyalist#{shard}"]
    assert (_stats("new")["customerCount"], _stats("potential_loyalist")["customerCount"]) == (0, 1)


def test_counts_stay_exact_across_shards_as_customers_move() -> None:
    customers = _customers_on_distinct_shards(5)
    for customer_id in customers:
        create_profile(customer_id)
    for customer_id in customers[:3]:  # into potential_loyalist with 700 spent
        purchase(customer_id, "O-1", "600", occurredAt=_iso_days_ago(3))
        purchase(customer_id, "O-2", "100", occurredAt=_iso_days_ago(2))
    purchase(customers[3], "O-1", "50", occurredAt=_iso_days_ago(1))  # stays new, 50 spent
    new, loyalists = _stats("new"), _stats("potential_loyalist")
    assert (new["customerCount"], new["averageSpend12m"]["amount"]) == (2, "25.00")
    assert (loyalists["customerCount"], loyalists["averageSpend12m"]["amount"]) == (3, "700.00")
    counters = SegmentStatsRecord.scan(SegmentStatsRecord.sk == STATS_SK)
    by_key = {record.pk: int(record.customer_count) for record in counters}
    # one partition per shard: the customers' moves landed on five distinct `new` items
    assert {key: count for key, count in by_key.items() if key.startswith("SEGMENT#new#")} == {
        f"SEGMENT#new#{shard_of(customer_id)}": 0 if customer_id in customers[:3] else 1
        for customer_id in customers
    }
    assert segment_key("new") not in by_key  # the unsharded item is never written
    assert all(0 <= int(key.rsplit("#", 1)[1]) < SHARDS for key in by_key)


def test_the_counters_from_before_sharding_are_still_counted() -> None:
    SegmentStatsRecord(
        pk=segment_key("champions"), sk=STATS_SK, customer_count=2, spend12m_cents=700000
    ).save()
    create_profile(ME)
    for index in range(10):
        purchase(ME, f"O-{index}", "600", occurredAt=_iso_days_ago(index + 1))
    stats = _stats("champions")
    assert (stats["customerCount"], stats["averageSpend12m"]["amount"]) == (3, "4333.33")


def test_segments_and_rules_for_admins() -> None:
    items = invoke("ListSegmentsFunction", caller=ADMIN, headers={"Accept-Language": "ar"}).body["items"]
    assert len(items) == 10
    champions = next(item for item in items if item["segmentId"] == "champions")
    assert champions["name"] == "الأبطال"
    assert champions["rule"] == "R>=4, F>=4, M>=4"


def test_unknown_segment_stats_is_404() -> None:
    reply = invoke("GetSegmentStatsFunction", path={"segmentId": "vip"}, caller=ADMIN)
    assert problem(reply) == (404, "/problems/segment-not-found")


def test_segment_of_a_customer_without_profile_is_404() -> None:
    reply = invoke("GetSegmentFunction", path={"customerId": ME}, caller=claims(ME))
    assert problem(reply) == (404, "/problems/profile-not-found")
