from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from customer_id import clock, db
from tests.clock import at_instants
from tests.harness import claims, invoke
from tests.integration.helpers import ADMIN, account, create_profile, ledger, purchase, read

ME = "customer-buyer"


def _iso(moment: datetime) -> str:
    return clock.iso(moment)


# ---- recording -------------------------------------------------------------------------------


def test_a_purchase_earns_points_and_is_listed(fraud_signals: Any) -> None:
    create_profile(ME)
    reply = purchase(ME, "ORD-1", "149.90", category="Electronics")
    assert reply.status == 201
    assert (reply.body["pointsEarned"], reply.body["tier"]) == (149, "bronze")
    earn = ledger(ME)[0]
    assert (earn["type"], earn["points"]) == ("earn", 149)
    assert earn["source"] == {"kind": "purchase", "id": reply.body["purchaseId"]}
    listed = read("ListPurchasesFunction", ME)["items"]
    assert listed == [
        {
            "purchaseId": reply.body["purchaseId"],
            "orderId": "ORD-1",
            "amount": {"amount": "149.90", "currency": "SAR"},
            "category": "electronics",
            "channel": "web",
            "occurredAt": listed[0]["occurredAt"],
            "pointsEarned": 149,
        }
    ]
    signals = fraud_signals()
    assert [(signal["kind"], signal["customerId"]) for signal in signals] == [("purchase", ME)]
    assert signals[0]["data"]["purchaseId"] == reply.body["purchaseId"]
    assert signals[0]["data"]["amount"] == "149.90"


def test_purchases_upgrade_the_tier_and_then_earn_at_its_multiplier() -> None:
    create_profile(ME)
    assert purchase(ME, "ORD-1", "1000").body["tier"] == "silver"
    second = purchase(ME, "ORD-2", "100.99")
    assert second.body["pointsEarned"] == 126  # floor(100.99 × 1.25)
    assert account(ME)["lifetimePoints"] == 1126


def test_a_repeated_order_id_is_409_and_counts_once(fraud_signals: Any) -> None:
    create_profile(ME)
    assert purchase(ME, "ORD-1", "50").status == 201
    again = purchase(ME, "ORD-1", "50")
    assert (again.status, again.body["type"]) == (409, "/problems/duplicate-order")
    assert read("GetAnalyticsSummaryFunction", ME)["purchaseCount"] == 1
    assert account(ME)["pointsBalance"] == 50
    assert len(fraud_signals()) == 1


def test_a_retry_with_the_same_key_returns_the_first_answer() -> None:
    create_profile(ME)
    body = {"orderId": "ORD-9", "amount": "20.00", "currency": "SAR", "channel": "store"}
    key = {"Idempotency-Key": "order-9"}
    first = invoke("RecordPurchaseFunction", path={"customerId": ME}, caller=ADMIN, body=body, headers=key)
    again = invoke("RecordPurchaseFunction", path={"customerId": ME}, caller=ADMIN, body=body, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert read("GetAnalyticsSummaryFunction", ME)["purchaseCount"] == 1


def _keyed_purchase(order_id: str, amount: str, key: str) -> Any:
    body = {"orderId": order_id, "amount": amount, "currency": "SAR", "channel": "web"}
    return invoke(
        "RecordPurchaseFunction", path={"customerId": ME}, caller=ADMIN, body=body, idempotency_key=key
    )


def _dies_after_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    real = db.UnitOfWork.commit

    def dying(work: db.UnitOfWork) -> None:
        real(work)
        raise RuntimeError("died after the commit")

    monkeypatch.setattr(db.UnitOfWork, "commit", dying)


def test_the_fraud_signal_commits_with_the_purchase(
    fraud_signals: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_profile(ME)

    def unreachable(work: db.UnitOfWork) -> None:
        raise ConnectionError("DynamoDB unreachable")

    with monkeypatch.context() as outage:
        outage.setattr(db.UnitOfWork, "commit", unreachable)
        assert purchase(ME, "ORD-1", "75").status == 500
    assert read("GetAnalyticsSummaryFunction", ME)["purchaseCount"] == 0
    assert fraud_signals() == []  # nothing recorded, nothing signalled
    recorded = purchase(ME, "ORD-1", "75")
    assert recorded.status == 201
    assert [signal["messageId"] for signal in fraud_signals()] == [f"purchase:{recorded.body['purchaseId']}"]


def test_a_purchase_retried_after_dying_past_its_commit_answers_the_first_201(
    fraud_signals: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_profile(ME)
    assert purchase(ME, "ORD-0", "100").status == 201
    fraud_signals()
    with monkeypatch.context() as crash:
        _dies_after_commit(crash)
        assert _keyed_purchase("ORD-1", "600", "order-1").status == 500
    retried = _keyed_purchase("ORD-1", "600", "order-1")
    assert retried.status == 201  # not 409 duplicate_order: the first execution's answer
    earn = ledger(ME)[0]
    assert retried.body == {"purchaseId": earn["source"]["id"], "pointsEarned": 600, "tier": "bronze"}
    again = _keyed_purchase("ORD-1", "600", "order-1")
    assert (again.status, again.body) == (201, retried.body)
    assert [entry["type"] for entry in ledger(ME)] == ["earn", "earn"]
    assert (account(ME)["pointsBalance"], read("GetAnalyticsSummaryFunction", ME)["purchaseCount"]) == (
        700,
        2,
    )
    [signal] = fraud_signals()  # queued with the purchase, once
    assert signal["messageId"] == f"purchase:{retried.body['purchaseId']}"
    assert signal["data"]["averageBefore"] == "100.00"  # the average before this purchase, kept
    other_key = purchase(ME, "ORD-1", "600")  # another request for the same order
    assert (other_key.status, other_key.body["type"]) == (409, "/problems/duplicate-order")


def test_the_signal_carries_the_average_order_before_the_purchase(fraud_signals: Any) -> None:
    create_profile(ME)
    assert purchase(ME, "ORD-1", "100").status == 201
    assert purchase(ME, "ORD-2", "300").status == 201
    assert purchase(ME, "ORD-3", "2000").status == 201
    averages = {signal["data"]["orderId"]: signal["data"]["averageBefore"] for signal in fraud_signals()}
    assert averages == {"ORD-1": None, "ORD-2": "100.00", "ORD-3": "200.00"}


def test_a_purchase_that_raises_the_tier_announces_it_once(queued_notifications: Any) -> None:
    create_profile(ME)
    assert purchase(ME, "ORD-1", "600").status == 201
    assert purchase(ME, "ORD-2", "600").body["tier"] == "silver"
    assert purchase(ME, "ORD-3", "600").body["tier"] == "silver"
    assert [message["messageId"] for message in queued_notifications("tier_upgrade")] == [f"tier:{ME}:silver"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "USD"}, "currency"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "10.005"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": True}, "amount"),
        ({"channel": "phone"}, "channel"),
        ({"orderId": ""}, "orderId"),
        ({"occurredAt": "2026-01-01T10:00:00"}, "occurredAt"),
        ({"coupon": "X"}, "coupon"),
    ],
)
def test_invalid_purchase_is_400_and_writes_nothing(change: dict[str, Any], field: str) -> None:
    create_profile(ME)
    body = {"orderId": "ORD-1", "amount": "10.00", "currency": "SAR", "channel": "web", **change}
    reply = invoke("RecordPurchaseFunction", path={"customerId": ME}, caller=ADMIN, body=body)
    assert reply.status == 400
    assert field in [error["field"] for error in reply.body["errors"]]
    assert read("GetAnalyticsSummaryFunction", ME)["purchaseCount"] == 0


def test_numbers_are_accepted_as_amounts() -> None:
    create_profile(ME)
    assert purchase(ME, "ORD-1", 19.9).status == 201  # type: ignore[arg-type]
    assert read("ListPurchasesFunction", ME)["items"][0]["amount"]["amount"] == "19.90"


def test_a_purchase_in_the_future_is_400() -> None:
    create_profile(ME)
    reply = purchase(ME, "ORD-1", "10", occurredAt=_iso(clock.now() + timedelta(hours=1)))
    assert (reply.status, reply.body["errors"][0]["field"]) == (400, "occurredAt")


def test_a_purchase_for_a_customer_without_profile_is_404() -> None:
    reply = purchase("nobody", "ORD-1", "10")
    assert (reply.status, reply.body["type"]) == (404, "/problems/profile-not-found")


# ---- reads -----------------------------------------------------------------------------------


@pytest.mark.parametrize("instant", at_instants(default=True))
def test_exact_figures_across_months_in_the_customers_timezone(instant: datetime) -> None:
    create_profile(ME, timezone="Asia/Riyadh")
    now = clock.now()
    series = [
        ("A", "200.10", "books", now - timedelta(days=200)),
        ("B", "99.95", "electronics", now - timedelta(days=70)),
        ("C", "300.00", "books", now - timedelta(days=40)),
        ("D", "10.05", None, now - timedelta(days=20)),
        ("E", "45.50", "electronics", now - timedelta(days=2)),
        ("F", "400.00", "toys", now - timedelta(days=400)),
    ]
    for order_id, amount, category, at in series:
        extra = {"category": category} if category else {}
        assert purchase(ME, order_id, amount, occurredAt=_iso(at), **extra).status == 201

    summary = read("GetAnalyticsSummaryFunction", ME)
    assert summary["lifetimeSpend"] == {"amount": "1055.60", "currency": "SAR"}
    assert summary["purchaseCount"] == 6
    assert summary["averageOrderValue"] == {"amount": "175.93", "currency": "SAR"}  # 1055.60 / 6 = 175.9333
    assert summary["spend30d"]["amount"] == "55.55"
    assert summary["spend12m"]["amount"] == "655.60"
    assert summary["favoriteCategory"] == "books"  # 500.10 in 12 months (toys' 400 is older)
    assert summary["firstPurchaseAt"] == _iso(now - timedelta(days=400))
    assert summary["lastPurchaseAt"] == _iso(now - timedelta(days=2))

    riyadh = ZoneInfo("Asia/Riyadh")
    expected: dict[str, list[Decimal | int]] = {}
    for _, amount, _, at in series:
        month = at.astimezone(riyadh).strftime("%Y-%m")
        totals = expected.setdefault(month, [Decimal(0), 0])
        totals[0] += Decimal(amount)
        totals[1] += 1
    spending = read("GetSpendingFunction", ME, months="3")
    month_start = now.astimezone(riyadh).date().replace(day=1)
    wanted = []
    for _ in range(3):
        wanted.insert(0, month_start.strftime("%Y-%m"))
        month_start = (month_start - timedelta(days=1)).replace(day=1)
    assert [month["month"] for month in spending["months"]] == wanted
    for month in spending["months"]:
        amount, count = expected.get(month["month"], [Decimal(0), 0])
        assert (month["amount"]["amount"], month["count"]) == (f"{amount:.2f}", count)
    twelve = read("GetSpendingFunction", ME, months="12")
    assert len(twelve["months"]) == 12
    assert sum(month["count"] for month in twelve["months"]) == 5
    assert sum(float(month["amount"]["amount"]) for month in twelve["months"]) == pytest.approx(655.60)
    assert {entry["category"]: entry["amount"]["amount"] for entry in twelve["byCategory"]} == {
        "books": "500.10",
        "electronics": "145.45",
        None: "10.05",
    }
    assert twelve["byCategory"][0]["category"] == "books"


@pytest.mark.parametrize("instant", at_instants(default=True))
def test_months_follow_the_customers_timezone(instant: datetime) -> None:
    create_profile(ME, timezone="Asia/Riyadh")  # UTC+3
    riyadh = ZoneInfo("Asia/Riyadh")
    local_month = instant.astimezone(riyadh).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    first_of_month = local_month.astimezone(UTC)  # 21:00 UTC on the last day of the UTC month before
    assert purchase(ME, "ORD-1", "10", occurredAt=_iso(first_of_month + timedelta(minutes=15))).status == 201
    assert (
        purchase(ME, "ORD-2", "20", occurredAt=_iso(first_of_month - timedelta(milliseconds=1))).status == 201
    )
    months = read("GetSpendingFunction", ME, months="2")["months"]
    last_month = (local_month - timedelta(days=1)).strftime("%Y-%m")
    assert [(month["month"], month["amount"]["amount"], month["count"]) for month in months] == [
        (last_month, "20.00", 1),
        (local_month.strftime("%Y-%m"), "10.00", 1),  # 00:15 local, though the UTC month is the one before
    ]


def test_months_without_purchases_are_zeros() -> None:
    create_profile(ME)
    months = read("GetSpendingFunction", ME, months="24")["months"]
    assert len(months) == 24
    assert all(
        month == {"month": month["month"], "amount": {"amount": "0.00", "currency": "SAR"}, "count": 0}
        for month in months
    )
    assert read("GetSpendingFunction", ME, months="24")["byCategory"] == []


@pytest.mark.parametrize("months", ["0", "25", "x"])
def test_invalid_months_is_400(months: str) -> None:
    create_profile(ME)
    reply = invoke(
        "GetSpendingFunction", path={"customerId": ME}, caller=claims(ME), query={"months": months}
    )
    assert reply.status == 400


def test_summary_before_any_purchase() -> None:
    create_profile(ME)
    summary = read("GetAnalyticsSummaryFunction", ME)
    assert summary["purchaseCount"] == 0
    assert summary["averageOrderValue"] is None
    assert summary["firstPurchaseAt"] is None
    assert summary["favoriteCategory"] is None


def test_engagement_starts_at_zero() -> None:
    create_profile(ME)
    assert read("GetEngagementFunction", ME) == {
        "offersApplied": 0,
        "rewardsClaimed": 0,
        "ticketsOpened": 0,
        "chatsStarted": 0,
        "notificationsRead": 0,
        "referralsMade": 0,
        "engagementScore": 0,
    }


def test_purchase_list_pages_and_filters_by_time() -> None:
    create_profile(ME)
    now = clock.now()
    for day in range(5):
        purchase(ME, f"ORD-{day}", "10", occurredAt=_iso(now - timedelta(days=day)))
    first = read("ListPurchasesFunction", ME, limit="2")
    assert [item["orderId"] for item in first["items"]] == ["ORD-0", "ORD-1"]
    rest = read("ListPurchasesFunction", ME, limit="10", cursor=first["nextCursor"])
    assert [item["orderId"] for item in rest["items"]] == ["ORD-2", "ORD-3", "ORD-4"]
    window = read(
        "ListPurchasesFunction",
        ME,
        **{"from": _iso(now - timedelta(days=3)), "to": _iso(now - timedelta(days=1))},
    )
    assert [item["orderId"] for item in window["items"]] == ["ORD-2", "ORD-3"]  # from inclusive, to exclusive
    other_filter = invoke(
        "ListPurchasesFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"cursor": first["nextCursor"], "from": _iso(now - timedelta(days=3))},
    )
    assert other_filter.status == 400


def test_same_time_purchases_keep_creation_order() -> None:
    create_profile(ME)
    at = _iso(clock.now() - timedelta(hours=1))
    for order_id in ("first", "second", "third"):
        purchase(ME, order_id, "10", occurredAt=at)
    assert [item["orderId"] for item in read("ListPurchasesFunction", ME)["items"]] == [
        "third",
        "second",
        "first",
    ]


def test_invalid_purchase_list_query_is_400() -> None:
    create_profile(ME)
    for query in ({"from": "yesterday"}, {"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"}):
        reply = invoke("ListPurchasesFunction", path={"customerId": ME}, caller=claims(ME), query=query)
        assert reply.status == 400, query
