"""Analytics reads cost a fixed number of DynamoDB requests and item reads, whatever the length of
the customer's history: they read the summary and the day and month buckets of their window, never
the purchases (but the newest and oldest one) nor the history outside the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import botocore.client
import pytest

from customer_id import clock
from customer_id.analytics.schemas.recording import PurchaseInput
from customer_id.workflows import purchases
from tests.integration.helpers import create_profile, read

ME = "customer-busy"


# ---- cost ------------------------------------------------------------------------------------


@dataclass
class Cost:
    requests: int = 0
    items: int = 0  # items DynamoDB read (examined, for a query or scan): what reads are billed for


def _items_read(operation: str, response: dict[str, Any]) -> int:
    if operation in ("Query", "Scan"):
        return int(response["ScannedCount"])
    if operation == "GetItem":
        return 1 if "Item" in response else 0
    if operation == "BatchGetItem":
        return sum(len(items) for items in response["Responses"].values())
    if operation == "TransactGetItems":
        return sum(1 for item in response["Responses"] if "Item" in item)
    return 0


@pytest.fixture
def dynamodb_cost(monkeypatch: pytest.MonkeyPatch) -> Cost:
    """What the DynamoDB requests made since the last reset cost."""
    cost = Cost()
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, parameters: Any) -> Any:
        response = original(self, operation, parameters)
        if self.meta.service_model.service_name == "dynamodb":
            cost.requests += 1
            cost.items += _items_read(operation, response)
        return response

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    return cost


READS = ("GetAnalyticsSummaryFunction", "GetSpendingFunction", "GetEngagementFunction", "GetSegmentFunction")
CATEGORIES = ("books", "toys", "electronics", "garden", None)
FIRST = 10  # purchases spread over the windows: days 0 to 630 back, every category
MORE = 50  # as many again in the same days and categories, and older history outside every window
OLD_DAYS = 900  # beyond the longest window (24 months of spending)


def _cost_per_read(cost: Cost) -> dict[str, tuple[int, int]]:
    found = {}
    for logical_id in READS:
        cost.requests = cost.items = 0
        read(logical_id, ME)
        found[logical_id] = (cost.requests, cost.items)
    return found


def _buy(index: int, days_back: int) -> None:
    purchases.record_purchase(
        ME,
        PurchaseInput(
            order_id=f"ORD-{index}",
            amount="12.34",
            currency="SAR",
            category=CATEGORIES[index % len(CATEGORIES)],
            channel="web",
            occurred_at=clock.now() - timedelta(days=days_back),
        ),
    )


def test_analytics_reads_cost_the_same_at_10_and_60_purchases(dynamodb_cost: Cost) -> None:
    """The window's buckets are the same after the 50 more purchases (added to the days and categories
    that had one, or older than any window): a read that went through the purchases, or through the
    buckets of the whole history, reads more items at 60 than at 10, and is caught; paging through
    them would make more requests too."""
    create_profile(ME)
    _cost_per_read(dynamodb_cost)  # each function loaded (and primed) before counting: reads alone
    for index in range(FIRST):
        _buy(index, days_back=70 * index)
    at_10 = _cost_per_read(dynamodb_cost)
    for index in range(FIRST, FIRST + MORE):
        if index % 2:
            _buy(index, days_back=70 * (index % FIRST))  # same day and category as purchase index % 10
        else:
            _buy(index, days_back=OLD_DAYS + index)
    at_60 = _cost_per_read(dynamodb_cost)

    assert read("GetAnalyticsSummaryFunction", ME)["purchaseCount"] == FIRST + MORE
    assert at_60 == at_10
    assert max(requests for requests, _ in at_10.values()) <= 7  # one: the erasure mark (http._dispatch)
