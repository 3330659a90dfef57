"""Returns (API.md "Returns, cancellations and data rights", rule "Returns and cancellations"):
`POST /customers/{id}/purchases/{purchaseId}/returns` and `GET /customers/{id}/purchases/{purchaseId}`,
through the handlers on moto."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from customer_id import clock
from customer_id.loyalty import ledger as loyalty_ledger
from tests.clock import FrozenClock
from tests.harness import Reply, claims, invoke
from tests.integration.helpers import (
    ADMIN,
    account,
    adjust,
    create_profile,
    ledger,
    problem,
    purchase,
    read,
)
from tests.races import race

ME = "customer-returner"
# The conditions that fail first when two of a customer's returns race: the account's `seq`, the
# ledger entry's key (the next `seq`) and the segment assignment's version. A return's own guards
# back them up: with those gone, they alone keep a purchase from being returned twice over.
SERIALIZING = (
    "loyalty.repository:stage#1",
    "loyalty.repository:stage#2",
    "segments.repository:write_assignment",
)
OTHER = "customer-bystander"


@pytest.fixture
def patch(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return monkeypatch


def _bought(order_id: str, amount: str, customer_id: str = ME, **fields: Any) -> str:
    reply = purchase(customer_id, order_id, amount, **fields)
    assert reply.status == 201, reply.body
    purchase_id: str = reply.body["purchaseId"]
    return purchase_id


def _return(
    purchase_id: str,
    return_id: str,
    amount: Any,
    customer_id: str = ME,
    idempotency_key: Any = ...,
    **fields: Any,
) -> Reply:
    options: dict[str, Any] = {} if idempotency_key is ... else {"idempotency_key": idempotency_key}
    return invoke(
        "RecordReturnFunction",
        path={"customerId": customer_id, "purchaseId": purchase_id},
        caller=ADMIN,
        body={"returnId": return_id, "amount": amount, **fields},
        **options,
    )


def _returned(purchase_id: str, return_id: str, amount: Any, customer_id: str = ME, **fields: Any) -> Any:
    reply = _return(purchase_id, return_id, amount, customer_id, **fields)
    assert reply.status == 201, reply.body
    return reply.body


def _purchase(purchase_id: str, customer_id: str = ME, caller: dict[str, str] | None = None) -> Reply:
    return invoke(
        "GetPurchaseFunction",
        path={"customerId": customer_id, "purchaseId": purchase_id},
        caller=caller or claims(customer_id),
    )


def _reversals(customer_id: str = ME) -> list[tuple[int, int, dict[str, Any]]]:
    """The `reverse` entries, oldest first: (points, balanceAfter, source)."""
    return [
        (entry["points"], entry["balanceAfter"], entry["source"])
        for entry in reversed(ledger(customer_id, type="reverse"))
    ]


# ---- points reversed exactly ------------------------------------------------------------------


def test_partial_returns_reverse_in_proportion_and_add_up_to_the_points_earned() -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "100.00")  # bronze: 100 points
    answers = [_returned(bought, f"RET-{n}", "33.33", reason="too small") for n in (1, 2, 3)]
    # floor(100 x 33.33 / 100) = 33, floor(100 x 66.66 / 100) = 66 (33 more), then the rest (33.34): 34
    answers.append(_returned(bought, "RET-4", "0.01"))
    assert [answer["pointsReversed"] for answer in answers] == [33, 33, 33, 1]
    assert [answer["balanceAfter"] for answer in answers] == [67, 34, 1, 0]
    assert answers[0] == {
        "returnId": "RET-1",
        "purchaseId": bought,
        "amount": {"amount": "33.33", "currency": "SAR"},
        "pointsReversed": 33,
        "balanceAfter": 67,
        "pointsDebt": 0,
        "tier": "bronze",
    }
    assert _reversals() == [
        (-33, 67, {"kind": "return", "id": "RET-1"}),
        (-33, 34, {"kind": "return", "id": "RET-2"}),
        (-33, 1, {"kind": "return", "id": "RET-3"}),  # floor(100 x 99.99 / 100) = 99
        (-1, 0, {"kind": "return", "id": "RET-4"}),  # the whole purchase: exactly 100
    ]
    loyalty_account = account(ME)
    assert (loyalty_account["pointsBalance"], loyalty_account["lifetimePoints"]) == (0, 0)
    assert loyalty_account["pointsDebt"] == 0


def test_small_returns_that_reverse_nothing_yet_still_add_up_to_the_points_earned() -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "10.00")  # 10 points: a return of 0.50 is worth half a point
    assert _returned(bought, "RET-1", "0.50")["pointsReversed"] == 0
    assert _returned(bought, "RET-2", "0.50")["pointsReversed"] == 1
    assert _returned(bought, "RET-3", "9.00")["pointsReversed"] == 9
    assert [points for points, _, _ in _reversals()] == [-1, -9]  # nothing reversed: no entry
    assert account(ME)["pointsBalance"] == 0


def test_the_purchase_shows_its_returns_oldest_first_and_keeps_its_amount() -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "120.00", category="books")
    _returned(bought, "RET-A", "20.00", reason="damaged")
    _returned(bought, "RET-B", "30", currency="SAR")
    reply = _purchase(bought)
    assert reply.status == 200, reply.body
    body = reply.body
    returns = body.pop("returns")
    assert body == {
        "purchaseId": bought,
        "orderId": "ORD-1",
        "amount": {"amount": "120.00", "currency": "SAR"},
        "category": "books",
        "channel": "web",
        "occurredAt": clock.iso(clock.now()),
        "pointsEarned": 120,
        "returnedAmount": {"amount": "50.00", "currency": "SAR"},
    }
    assert [(r["returnId"], r["amount"]["amount"], r["pointsReversed"], r["reason"]) for r in returns] == [
        ("RET-A", "20.00", 20, "damaged"),
        ("RET-B", "30.00", 30, None),
    ]
    assert all(r["createdAt"] == clock.iso(clock.now()) for r in returns)
    staff = _purchase(bought, caller=claims("agent-1", "agents"))
    assert (staff.status, staff.body["returnedAmount"]["amount"]) == (200, "50.00")


def test_the_reversals_are_a_valid_type_filter_and_listed_with_the_others() -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "80.00")
    _returned(bought, "RET-1", "80.00")
    assert [(entry["type"], entry["points"]) for entry in ledger(ME)] == [("reverse", -80), ("earn", 80)]
    assert [entry["type"] for entry in ledger(ME, type="reverse")] == ["reverse"]


# ---- refused returns --------------------------------------------------------------------------


def test_more_than_the_unreturned_rest_is_409_and_changes_nothing() -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "100.00")
    _returned(bought, "RET-1", "60.00")
    over = _return(bought, "RET-2", "40.01")
    assert problem(over) == (409, "/problems/return-exceeds-purchase")
    assert "40.00" in over.body["detail"]
    assert _returned(bought, "RET-2", "40.00")["pointsReversed"] == 40
    done = _return(bought, "RET-3", "0.01")
    assert problem(done) == (409, "/problems/return-exceeds-purchase")
    assert [points for points, _, _ in _reversals()] == [-60, -40]


def test_a_return_id_used_before_by_the_customer_is_409_even_on_another_purchase() -> None:
    create_profile(ME)
    create_profile(OTHER)
    first = _bought("ORD-1", "100.00")
    second = _bought("ORD-2", "100.00")
    _returned(first, "RET-1", "10.00")
    again = _return(second, "RET-1", "10.00", idempotency_key=None)
    assert problem(again) == (409, "/problems/duplicate-return")
    # another customer's return ids are theirs
    theirs = _bought("ORD-1", "100.00", customer_id=OTHER)
    assert _returned(theirs, "RET-1", "10.00", customer_id=OTHER)["pointsReversed"] == 10
    assert account(ME)["pointsBalance"] == 190


def test_an_unknown_purchase_is_404() -> None:
    create_profile(ME)
    assert problem(_return("no-such-purchase", "RET-1", "10.00")) == (404, "/problems/purchase-not-found")
    assert problem(_purchase("no-such-purchase")) == (404, "/problems/purchase-not-found")
    # another customer's purchase is not this customer's
    create_profile(OTHER)
    theirs = _bought("ORD-1", "100.00", customer_id=OTHER)
    assert problem(_return(theirs, "RET-1", "10.00")) == (404, "/problems/purchase-not-found")
    assert problem(_purchase(theirs)) == (404, "/problems/purchase-not-found")


@pytest.mark.parametrize(
    "body",
    [
        {"returnId": "RET-1", "amount": "0"},
        {"returnId": "RET-1", "amount": "-5.00"},
        {"returnId": "RET-1", "amount": "5.001"},
        {"returnId": "RET-1", "amount": "5.00", "currency": "USD"},
        {"returnId": "", "amount": "5.00"},
        {"amount": "5.00"},
        {"returnId": "RET-1", "amount": "5.00", "unexpected": True},
    ],
    ids=["zero", "negative", "three decimals", "other currency", "empty id", "no id", "unknown field"],
)
def test_bad_input_is_400_and_writes_nothing(body: dict[str, Any]) -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "100.00")
    reply = invoke(
        "RecordReturnFunction", path={"customerId": ME, "purchaseId": bought}, caller=ADMIN, body=body
    )
    assert problem(reply) == (400, "/problems/invalid-input")
    assert _purchase(bought).body["returns"] == []
    assert account(ME)["pointsBalance"] == 100


def test_only_admins_record_returns() -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "100.00")
    for caller, expected in (
        (claims(ME), (403, "/problems/admins-only")),
        (claims("agent-1", "agents"), (403, "/problems/admins-only")),
    ):
        reply = invoke(
            "RecordReturnFunction",
            path={"customerId": ME, "purchaseId": bought},
            caller=caller,
            body={"returnId": "RET-1", "amount": "10.00"},
        )
        assert problem(reply) == expected
    assert account(ME)["pointsBalance"] == 100


# ---- retried ----------------------------------------------------------------------------------


def test_a_retried_return_answers_the_first_answer_and_reverses_once() -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "100.00")
    first = _return(bought, "RET-1", "40.00", idempotency_key="order-service-7")
    again = _return(bought, "RET-1", "40.00", idempotency_key="order-service-7")
    assert first.status == again.status == 201
    assert again.body == first.body
    assert [points for points, _, _ in _reversals()] == [-40]
    assert _purchase(bought).body["returnedAmount"]["amount"] == "40.00"
    other_body = _return(bought, "RET-2", "10.00", idempotency_key="order-service-7")
    assert problem(other_body) == (409, "/problems/idempotency-key-reused")


# ---- debt -------------------------------------------------------------------------------------


def test_what_the_balance_cannot_cover_is_debt_repaid_first_by_later_credits(
    frozen_clock: FrozenClock,
) -> None:
    create_profile(ME)
    start = clock.now()
    bought = _bought("ORD-1", "500.00")  # lot A: 500
    spent = invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"itemId": "coffee-voucher"},  # 300 of lot A
    )
    assert spent.status == 201, spent.body
    answer = _returned(bought, "RET-1", "500.00")
    assert (answer["pointsReversed"], answer["balanceAfter"], answer["pointsDebt"]) == (500, 0, 300)
    assert (account(ME)["pointsBalance"], account(ME)["pointsDebt"]) == (0, 300)

    frozen_clock.move_to(start + timedelta(days=1))
    assert purchase(ME, "ORD-2", "100.00").status == 201  # lot B: 100, all of it repays
    frozen_clock.move_to(start + timedelta(days=2))
    credit = adjust(ME, 250, "goodwill")  # lot C: 250, 200 of it repays
    assert credit.status == 201, credit.body
    assert (credit.body["points"], credit.body["balanceAfter"]) == (250, 50)
    earn = [entry for entry in ledger(ME, type="earn") if entry["reason"] == "purchase ORD-2"]
    assert [(entry["points"], entry["balanceAfter"]) for entry in earn] == [(100, 0)]
    now = account(ME)
    assert (now["pointsBalance"], now["pointsDebt"], now["lifetimePoints"]) == (50, 0, 100)

    # the debt was settled against the later lots: B's points are gone, 50 of C's are left, and
    # they expire with C
    frozen_clock.move_to(start + timedelta(days=1) + timedelta(days=365) + timedelta(hours=1))
    assert account(ME)["expiringPoints"] == [
        {"points": 50, "expiresAt": clock.iso(loyalty_ledger.expiry_of(start + timedelta(days=2)))}
    ]
    assert account(ME)["pointsBalance"] == 50
    frozen_clock.move_to(start + timedelta(days=2) + timedelta(days=366))
    assert loyalty_ledger.expire_due(ME) == 50
    assert (account(ME)["pointsBalance"], account(ME)["pointsDebt"]) == (0, 0)
    assert [entry["points"] for entry in ledger(ME, type="expire")] == [-50]


def test_a_reversal_spends_expired_points_first_like_a_redemption(frozen_clock: FrozenClock) -> None:
    create_profile(ME)
    start = clock.now()
    assert adjust(ME, 100, "old points").status == 201
    frozen_clock.move_to(start + timedelta(days=200))
    bought = _bought("ORD-1", "300.00")
    frozen_clock.move_to(start + timedelta(days=370))  # the 100 old points have expired, not written off
    answer = _returned(bought, "RET-1", "300.00")
    # the expired lot is written off (its own entry), then the reversal takes the 300 of ORD-1
    assert (answer["pointsReversed"], answer["balanceAfter"], answer["pointsDebt"]) == (300, 0, 0)
    assert [(entry["type"], entry["points"]) for entry in ledger(ME)][:2] == [
        ("reverse", -300),
        ("expire", -100),
    ]


def test_a_return_racing_a_redemption_counts_both(patch: pytest.MonkeyPatch) -> None:
    """Both read a balance of 800; in either order the return takes 500 and the voucher 300."""
    create_profile(ME)
    bought = _bought("ORD-1", "500.00")
    assert adjust(ME, 300).status == 201

    def redeem() -> Reply:
        return invoke(
            "CreateLoyaltyRedemptionFunction",
            path={"customerId": ME},
            caller=claims(ME),
            body={"itemId": "coffee-voucher"},
        )

    returned, redeemed = race(patch, lambda: _return(bought, "RET-1", "500.00"), redeem)
    assert (returned.status, redeemed.status) == (201, 201), (returned.body, redeemed.body)
    now = account(ME)
    assert (now["pointsBalance"], now["pointsDebt"]) == (0, 0)
    assert sorted(entry["balanceAfter"] for entry in ledger(ME))[:1] == [0]


def test_a_return_and_a_redemption_that_read_the_same_balance_both_count(patch: pytest.MonkeyPatch) -> None:
    """The redemption commits between the return's read and its write: the return decides again
    on the spent balance, and the 300 it cannot cover are debt."""
    from tests.races import meanwhile

    create_profile(ME)
    bought = _bought("ORD-1", "500.00")

    def redeem() -> None:
        reply = invoke(
            "CreateLoyaltyRedemptionFunction",
            path={"customerId": ME},
            caller=claims(ME),
            body={"itemId": "coffee-voucher"},
        )
        assert reply.status == 201, reply.body

    answer = meanwhile(patch, lambda: _return(bought, "RET-1", "500.00"), redeem)
    assert answer.status == 201, answer.body
    assert (answer.body["balanceAfter"], answer.body["pointsDebt"]) == (0, 300)
    assert (account(ME)["pointsBalance"], account(ME)["pointsDebt"]) == (0, 300)


@pytest.mark.guard("analytics.repository:record_return#2", backs_up=SERIALIZING)
def test_racing_returns_of_one_purchase_never_return_more_than_it(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "500.00")
    replies = race(
        patch, lambda: _return(bought, "RET-1", "300.00"), lambda: _return(bought, "RET-2", "300.00")
    )
    assert sorted(reply.status for reply in replies) == [201, 409]
    assert [problem(reply) for reply in replies if reply.status == 409] == [
        (409, "/problems/return-exceeds-purchase")
    ]
    assert _purchase(bought).body["returnedAmount"]["amount"] == "300.00"
    assert (account(ME)["pointsBalance"], [points for points, _, _ in _reversals()]) == (200, [-300])


@pytest.mark.guard("analytics.repository:record_return#1", backs_up=SERIALIZING)
def test_racing_returns_with_one_return_id_record_it_once(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    first = _bought("ORD-1", "10.00")
    second = _bought("ORD-2", "10.00")
    # returns worth no point yet: they write no ledger entry and touch no lot, whose keys would
    # also tell the racers apart
    replies = race(
        patch,
        lambda: _return(first, "RET-1", "0.50", idempotency_key=None),
        lambda: _return(second, "RET-1", "0.50", idempotency_key=None),
    )
    assert sorted(reply.status for reply in replies) == [201, 409]
    assert [problem(reply) for reply in replies if reply.status == 409] == [
        (409, "/problems/duplicate-return")
    ]
    returned = [_purchase(bought).body["returnedAmount"]["amount"] for bought in (first, second)]
    assert sorted(returned) == ["0.00", "0.50"]


# ---- tier, analytics, segment -----------------------------------------------------------------


def test_lifetime_points_and_the_tier_go_down_with_the_reversal() -> None:
    create_profile(ME)
    bought = _bought("ORD-1", "1200.00")  # bronze earns 1 200: silver
    assert account(ME)["tier"] == "silver"
    answer = _returned(bought, "RET-1", "300.00")  # 300 back: 900 lifetime, bronze again
    assert (answer["pointsReversed"], answer["tier"]) == (300, "bronze")
    now = account(ME)
    assert (now["tier"], now["lifetimePoints"], now["nextTier"]) == (
        "bronze",
        900,
        {"tierId": "silver", "pointsNeeded": 100},
    )
    assert purchase(ME, "ORD-2", "100.00").body["tier"] == "silver"  # and up again


def test_analytics_net_the_returned_amount_in_the_purchase_s_own_local_buckets(
    frozen_clock: FrozenClock,
) -> None:
    create_profile(ME)  # Asia/Riyadh, UTC+3
    # 22:30 UTC on 31 May is 1 June in Riyadh: the June buckets hold it
    first = _bought("ORD-1", "200.00", category="books", occurredAt="2026-05-31T22:30:00Z")
    _bought("ORD-2", "100.00", category="games")
    _returned(first, "RET-1", "50.00")
    summary = read("GetAnalyticsSummaryFunction", ME)
    assert (summary["lifetimeSpend"]["amount"], summary["purchaseCount"]) == ("250.00", 2)
    assert summary["averageOrderValue"]["amount"] == "125.00"
    assert (summary["spend30d"]["amount"], summary["spend12m"]["amount"]) == ("250.00", "250.00")
    spending = read("GetSpendingFunction", ME, months="2")
    assert spending["months"] == [
        {"month": "2026-05", "amount": {"amount": "0.00", "currency": "SAR"}, "count": 0},
        {"month": "2026-06", "amount": {"amount": "250.00", "currency": "SAR"}, "count": 2},
    ]
    assert [
        (entry["category"], entry["amount"]["amount"], entry["count"]) for entry in spending["byCategory"]
    ] == [
        ("books", "150.00", 1),
        ("games", "100.00", 1),
    ]
    assert read("GetSegmentFunction", ME)["metrics"]["spend12m"]["amount"] == "250.00"


# ---- offers -----------------------------------------------------------------------------------


def _offer(**fields: Any) -> str:
    now = clock.now()
    body = {
        "title": {"en": "Deal", "ar": "عرض"},
        "description": {"en": "Save", "ar": "وفّر"},
        "discountType": "percent",
        "discountValue": "10",
        "validFrom": clock.iso(now - timedelta(hours=1)),
        "validUntil": clock.iso(now + timedelta(days=30)),
        **fields,
    }
    created = invoke("CreateOfferFunction", caller=ADMIN, body=body)
    assert created.status == 201, created.body
    offer_id: str = created.body["offerId"]
    return offer_id


def _remaining(offer_id: str) -> int:
    reply = invoke("GetOfferFunction", path={"customerId": ME, "offerId": offer_id}, caller=claims(ME))
    assert reply.status == 200, reply.body
    remaining: int = reply.body["remainingUses"]
    return remaining


def _apply(offer_id: str, order_id: str) -> Reply:
    return invoke(
        "ApplyOfferFunction",
        path={"customerId": ME, "offerId": offer_id},
        caller=claims(ME),
        body={"orderId": order_id, "orderAmount": {"amount": "200.00", "currency": "SAR"}},
    )


def test_the_return_that_completes_the_purchase_releases_the_offer_applied_to_its_order() -> None:
    create_profile(ME)
    once = _offer(perCustomerLimit=1, totalLimit=5)  # the customer's own count decides
    scarce = _offer(perCustomerLimit=3, totalLimit=1)  # the offer's total count decides
    for offer_id in (once, scarce):
        assert _apply(offer_id, "ORD-1").status == 201
    assert (_remaining(once), _remaining(scarce)) == (0, 0)
    bought = _bought("ORD-1", "180.00")
    _returned(bought, "RET-1", "100.00")
    assert (_remaining(once), _remaining(scarce)) == (0, 0)  # a partial return keeps the use
    _returned(bought, "RET-2", "80.00")
    assert (_remaining(once), _remaining(scarce)) == (1, 1)
    assert _apply(once, "ORD-2").status == 201
    assert _apply(scarce, "ORD-2").status == 201
    assert (_remaining(once), _remaining(scarce)) == (0, 0)
    assert read("GetEngagementFunction", ME)["offersApplied"] == 4  # counts do not change


# ---- fraud and notifications ------------------------------------------------------------------


def _alerts(customer_id: str = ME) -> list[str]:
    reply = invoke("ListSecurityAlertsFunction", path={"customerId": customer_id}, caller=claims(customer_id))
    assert reply.status == 200, reply.body
    return [alert["type"] for alert in reply.body["items"]]


def test_returns_feed_the_scorer_and_two_full_returns_of_tier_raising_purchases_raise_an_alert(
    consume: Any, fraud_signals: Any, frozen_clock: FrozenClock
) -> None:
    create_profile(ME)
    first = _bought("ORD-1", "1000.00")  # bronze -> silver
    _returned(first, "RET-1", "400.00")  # partial: not abuse
    [signal] = [signal for signal in fraud_signals() if signal["kind"] == "return"]
    assert signal["data"] | {"purchaseId": None} == {
        "returnId": "RET-1",
        "purchaseId": None,
        "amount": "400.00",
        "fullReturn": False,
        "liftedTier": True,
        "purchaseOccurredAt": clock.iso(clock.now()),
        "pointsReversed": 400,
    }
    assert signal["customerId"] == ME
    _returned(first, "RET-2", "600.00")  # full: the first tier-raising purchase returned whole
    consume("FraudScorerFunction")
    assert "return_abuse" not in _alerts()
    frozen_clock.shift(timedelta(days=10))
    second = _bought("ORD-2", "1000.00")  # silver again
    frozen_clock.shift(timedelta(days=3))
    _returned(second, "RET-3", "1000.00")
    consume("FraudScorerFunction")
    assert _alerts().count("return_abuse") == 1


def test_full_returns_of_purchases_that_raised_no_tier_raise_nothing(consume: Any) -> None:
    create_profile(ME)
    for n in (1, 2, 3):
        bought = _bought(f"ORD-{n}", "100.00")
        _returned(bought, f"RET-{n}", "100.00")
    consume("FraudScorerFunction")
    assert _alerts() == []


def test_a_full_return_long_after_the_purchase_is_no_abuse(consume: Any, frozen_clock: FrozenClock) -> None:
    create_profile(ME)
    first = _bought("ORD-1", "1000.00")
    frozen_clock.shift(timedelta(days=31))
    _returned(first, "RET-1", "1000.00")
    second = _bought("ORD-2", "1000.00")
    frozen_clock.shift(timedelta(days=1))
    _returned(second, "RET-2", "1000.00")
    consume("FraudScorerFunction")
    assert _alerts() == []


def test_the_reversal_is_notified_in_the_customer_s_language(consume: Any) -> None:
    create_profile(ME, language="ar")
    bought = _bought("ORD-1", "200.00")
    _returned(bought, "RET-1", "50.00")
    spent = invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"itemId": "coffee-voucher"},
    )
    assert spent.status == 409  # 150 left: not enough, nothing spent
    assert adjust(ME, -100).status == 201  # 50 left
    _returned(bought, "RET-2", "150.00")  # 150 more: 50 covered, 100 owed
    consume("NotificationDispatcherFunction")
    reply = invoke(  # no Accept-Language: in the profile's language, as it was sent
        "ListNotificationsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        headers={"Accept-Language": ""},
    )
    # both delivered in one batch at the same (frozen) instant: their order in the inbox is a tie
    inbox = sorted((item["category"], item["title"], item["body"]) for item in reply.body["items"])
    assert inbox == [
        (
            "loyalty",
            "استرجاع نقاط بسبب إرجاع",
            "تم استرجاع 150 نقطة بسبب إرجاع منتجات من طلبك. "
            "لم يغطِّ رصيدك 100 منها: ستُخصم من النقاط التي تكسبها لاحقًا.",
        ),
        (
            "loyalty",
            "استرجاع نقاط بسبب إرجاع",
            "تم استرجاع 50 نقطة بسبب إرجاع منتجات من طلبك. رصيدك الآن 150 نقطة.",
        ),
    ]
