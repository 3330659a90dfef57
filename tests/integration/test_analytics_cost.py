"""Analytics reads cost a fixed number of DynamoDB requests, whatever the number of purchases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import botocore.client
import pytest

from customer_id import clock
from customer_id.analytics.schemas import PurchaseInput
from customer_id.workflows import purchases
from tests.integration.helpers import create_profile, read

ME = "customer-busy"


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


READS = ("GetAnalyticsSummaryFunction", "GetSpendingFunction", "GetEngagementFunction", "GetSegmentFunction")


def _requests_per_read(made: list[str]) -> dict[str, int]:
    counts = {}
    for logical_id in READS:
        made.clear()
        read(logical_id, ME)
        counts[logical_id] = len(made)
    return counts


def test_analytics_reads_cost_the_same_at_10_and_500_purchases(dynamodb_requests: list[str]) -> None:
    create_profile(ME)
    now = clock.now()
    categories = ("books", "toys", "electronics", "garden", None)

    def buy(count: int, start: int) -> None:
        for index in range(start, start + count):
            purchases.record_purchase(
                ME,
                PurchaseInput(
                    order_id=f"ORD-{index}",
                    amount="12.34",
                    currency="SAR",
                    category=categories[index % 5],
                    channel="web",
                    occurred_at=now - timedelta(days=index % 700, minutes=index),
                ),
            )

    buy(10, 0)
    at_10 = _requests_per_read(dynamodb_requests)
    buy(490, 10)
    at_500 = _requests_per_read(dynamodb_requests)
    assert read("GetAnalyticsSummaryFunction", ME)["purchaseCount"] == 500
    assert at_500 == at_10
    assert max(at_10.values()) <= 6
