from __future__ import annotations

import base64
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from customer_id import clock, db
from customer_id.db import customer_key
from customer_id.loyalty import ledger as loyalty_ledger
from customer_id.loyalty import repository
from customer_id.loyalty.models import (
    ACCOUNT_SK,
    CatalogItem,
    LoyaltyAccountRecord,
    PointLotRecord,
    Source,
    expiry_shard,
    lot_key,
)
from tests.harness import NO_CLAIMS, claims, invoke
from tests.integration.helpers import ADMIN, account, adjust, create_profile, ledger, problem

ME = "customer-loyal"


def _redeem(item_id: str, customer_id: str = ME, **options: Any) -> Any:
    return invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"itemId": item_id},
        **options,
    )


def _hold(customer_id: str) -> None:
    LoyaltyAccountRecord(pk=customer_key(customer_id), sk=ACCOUNT_SK).update(
        actions=[LoyaltyAccountRecord.redemption_hold.set(True)]
    )


# ---- public reads ----------------------------------------------------------------------------


def test_tiers_are_public_and_localized() -> None:
    english = invoke("ListTiersFunction", caller=NO_CLAIMS).body["items"]
    assert [(t["tierId"], t["minPoints"], t["earnMultiplier"]) for t in english] == [
        ("bronze", 0, 1.0),
        ("silver", 1000, 1.25),
        ("gold", 5000, 1.5),
        ("platinum", 15000, 2.0),
    ]
    assert english[1]["name"] == "Silver"
    arabic = invoke("ListTiersFunction", caller=NO_CLAIMS, headers={"Accept-Language": "ar"}).body["items"]
    assert arabic[1]["name"] == "فضي"
    assert all(tier["benefits"] for tier in arabic)
    assert arabic[0]["benefits"] != english[0]["benefits"]


def test_catalog_lists_items_for_every_tier() -> None:
    items = invoke("ListCatalogFunction", caller=NO_CLAIMS, headers={"Accept-Language": "ar"}).body["items"]
    assert {item["minTier"] for item in items} == {"bronze", "silver", "gold", "platinum"}
    coffee = next(item for item in items if item["itemId"] == "coffee-voucher")
    assert coffee == {
        "itemId": "coffee-voucher",
        "name": "قسيمة قهوة",
        "pointsCost": 300,
        "minTier": "bronze",
    }


# ---- account ---------------------------------------------------------------------------------


def test_new_account() -> None:
    create_profile(ME)
    assert account(ME) == {
        "customerId": ME,
        "tier": "bronze",
        "pointsBalance": 0,
        "lifetimePoints": 0,
        "nextTier": {"tierId": "silver", "pointsNeeded": 1000},
        "expiringPoints": [],
        "redemptionHold": False,
        "pointsDebt": 0,
    }


def test_earning_applies_the_tier_multiplier_and_upgrades() -> None:
    create_profile(ME)
    first = loyalty_ledger.earn(ME, Decimal("999.99"), "order A", Source("purchase", "A"))
    assert (first.points, first.tier_id, first.tier_changed) == (999, "bronze", False)
    second = loyalty_ledger.earn(ME, Decimal("10"), "order B", Source("purchase", "B"))
    assert (second.points, second.tier_id, second.tier_changed) == (10, "silver", True)
    third = loyalty_ledger.earn(ME, Decimal("149.90"), "order C", Source("purchase", "C"))
    assert third.points == 187  # floor(149.90 × 1.25)
    state = account(ME)
    assert (state["pointsBalance"], state["lifetimePoints"], state["tier"]) == (1196, 1196, "silver")
    assert state["nextTier"] == {"tierId": "gold", "pointsNeeded": 5000 - 1196}


def test_points_expire_after_twelve_months_oldest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    real_now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: real_now - timedelta(days=380))
    loyalty_ledger.earn(ME, Decimal("400"), "old order", Source("purchase", "old"))
    monkeypatch.setattr(clock, "now", lambda: real_now - timedelta(days=350))
    loyalty_ledger.earn(ME, Decimal("300"), "soon expiring", Source("purchase", "soon"))
    monkeypatch.setattr(clock, "now", lambda: real_now)
    loyalty_ledger.earn(ME, Decimal("200"), "fresh order", Source("purchase", "fresh"))

    state = account(ME)
    assert state["pointsBalance"] == 500  # the 400 have expired, even before the daily job ran
    assert state["lifetimePoints"] == 900
    assert [entry["points"] for entry in state["expiringPoints"]] == [300]

    # spending writes the expired lot off first, then takes from the oldest live lot
    assert _redeem("coffee-voucher").status == 201
    entries = ledger(ME)
    assert [(e["type"], e["points"], e["balanceAfter"]) for e in entries[:2]] == [
        ("redeem", -300, 200),
        ("expire", -400, 500),
    ]
    assert account(ME)["expiringPoints"] == []  # the soon-expiring lot was spent first
    assert account(ME)["pointsBalance"] == 200


# ---- adjustments -----------------------------------------------------------------------------


def test_adjustment_credits_and_debits_without_touching_lifetime_points() -> None:
    create_profile(ME)
    credit = adjust(ME, 1500, "welcome gift")
    assert credit.status == 201
    assert credit.body["type"] == "adjust"
    assert (credit.body["points"], credit.body["balanceAfter"]) == (1500, 1500)
    assert credit.body["source"] == {"kind": "admin", "id": "admin-1"}
    debit = adjust(ME, -500, "correction")
    assert (debit.status, debit.body["points"], debit.body["balanceAfter"]) == (201, -500, 1000)
    state = account(ME)
    assert (state["pointsBalance"], state["lifetimePoints"], state["tier"]) == (1000, 0, "bronze")


def test_negative_adjustment_may_not_overdraw() -> None:
    create_profile(ME)
    adjust(ME, 100)
    reply = adjust(ME, -101)
    assert problem(reply) == (409, "/problems/insufficient-points")
    assert account(ME)["pointsBalance"] == 100
    assert len(ledger(ME)) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"points": 0, "reason": "x"},
        {"points": "5", "reason": "x"},
        {"points": 5.5, "reason": "x"},
        {"points": 5},
        {"points": 5, "reason": ""},
        {"points": 5, "reason": "x", "extra": 1},
        [],
    ],
)
def test_invalid_adjustment_is_400_and_writes_nothing(body: Any) -> None:
    create_profile(ME)
    reply = invoke("CreateLoyaltyAdjustmentFunction", path={"customerId": ME}, caller=ADMIN, body=body)
    assert problem(reply) == (400, "/problems/invalid-input")
    assert ledger(ME) == []


def test_adjustment_for_unknown_customer_is_404() -> None:
    assert problem(adjust("nobody", 10)) == (404, "/problems/profile-not-found")


def test_adjustment_replay_with_the_same_key_has_one_effect() -> None:
    create_profile(ME)
    key = {"Idempotency-Key": "adj-1"}
    body = {"points": 250, "reason": "goodwill"}
    first = invoke(
        "CreateLoyaltyAdjustmentFunction", path={"customerId": ME}, caller=ADMIN, body=body, headers=key
    )
    again = invoke(
        "CreateLoyaltyAdjustmentFunction", path={"customerId": ME}, caller=ADMIN, body=body, headers=key
    )
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert account(ME)["pointsBalance"] == 250
    other = invoke(
        "CreateLoyaltyAdjustmentFunction",
        path={"customerId": ME},
        caller=ADMIN,
        body={**body, "points": 1},
        headers=key,
    )
    assert problem(other) == (409, "/problems/idempotency-key-reused")
    assert account(ME)["pointsBalance"] == 250


@pytest.mark.parametrize("points", [250, -100])
def test_an_adjustment_retried_after_dying_past_its_commit_answers_the_first_201(
    points: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_profile(ME)
    adjust(ME, 300)
    body = {"points": points, "reason": "goodwill"}

    def adjustment() -> Any:
        return invoke(
            "CreateLoyaltyAdjustmentFunction",
            path={"customerId": ME},
            caller=ADMIN,
            body=body,
            idempotency_key="adj-crash",
        )

    real = db.UnitOfWork.commit

    def dying(work: db.UnitOfWork) -> None:
        real(work)
        raise RuntimeError("died after the commit")

    with monkeypatch.context() as crash:
        crash.setattr(db.UnitOfWork, "commit", dying)
        assert adjustment().status == 500
    retried = adjustment()
    assert retried.status == 201
    entries = ledger(ME)
    assert [entry["points"] for entry in entries] == [points, 300]  # one entry for the operation
    assert retried.body == entries[0]
    again = adjustment()
    assert (again.status, again.body) == (201, retried.body)
    assert account(ME)["pointsBalance"] == 300 + points


def test_adjustments_without_a_key_are_not_operations() -> None:
    create_profile(ME)
    replies = [
        invoke(
            "CreateLoyaltyAdjustmentFunction",
            path={"customerId": ME},
            caller=ADMIN,
            body={"points": 10, "reason": "goodwill"},
            idempotency_key=None,
        )
        for _ in range(2)
    ]
    assert [reply.status for reply in replies] == [201, 201]
    assert replies[0].body["transactionId"] != replies[1].body["transactionId"]
    assert account(ME)["pointsBalance"] == 20


def test_replay_returns_the_first_answer_even_an_error() -> None:
    create_profile(ME)
    key = {"Idempotency-Key": "adj-err"}
    first = invoke(
        "CreateLoyaltyAdjustmentFunction",
        path={"customerId": ME},
        caller=ADMIN,
        body={"points": -10, "reason": "x"},
        headers=key,
    )
    assert problem(first) == (409, "/problems/insufficient-points")
    adjust(ME, 100)
    again = invoke(
        "CreateLoyaltyAdjustmentFunction",
        path={"customerId": ME},
        caller=ADMIN,
        body={"points": -10, "reason": "x"},
        headers=key,
    )
    assert (again.status, again.body) == (409, first.body)
    assert account(ME)["pointsBalance"] == 100


def test_idempotency_key_is_scoped_to_the_caller() -> None:
    create_profile(ME)
    create_profile("customer-two")
    adjust(ME, 1000)
    adjust("customer-two", 1000)
    key = {"Idempotency-Key": "same-key"}
    assert _redeem("coffee-voucher", headers=key).status == 201
    assert _redeem("coffee-voucher", customer_id="customer-two", headers=key).status == 201
    assert account("customer-two")["pointsBalance"] == 700


def test_idempotency_key_longer_than_128_is_400() -> None:
    create_profile(ME)
    adjust(ME, 1000)
    too_long = _redeem("coffee-voucher", headers={"Idempotency-Key": "k" * 129})
    assert problem(too_long) == (400, "/problems/invalid-idempotency-key")
    assert account(ME)["pointsBalance"] == 1000


# ---- redemptions -----------------------------------------------------------------------------


def test_redemption_spends_points_and_returns_a_voucher() -> None:
    create_profile(ME)
    adjust(ME, 1000)
    reply = _redeem("coffee-voucher")
    assert reply.status == 201
    assert (reply.body["pointsSpent"], reply.body["balanceAfter"]) == (300, 700)
    assert re.fullmatch(
        r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", reply.body["voucherCode"]
    )
    entry = ledger(ME, type="redeem")[0]
    assert entry["transactionId"] == reply.body["transactionId"]
    assert entry["source"] == {"kind": "redemption", "id": reply.body["redemptionId"]}
    assert account(ME)["pointsBalance"] == 700


def test_redemption_conflicts() -> None:
    create_profile(ME)
    adjust(ME, 3000)
    too_low = _redeem("voucher-50")  # 2,000 points, but it needs silver; adjustments do not raise the tier
    assert problem(too_low) == (409, "/problems/tier-too-low")
    assert problem(_redeem("no-such-item")) == (404, "/problems/catalog-item-not-found")
    adjust(ME, -2800)
    insufficient = _redeem("coffee-voucher")  # bronze may, but 200 points are not 300
    assert problem(insufficient) == (409, "/problems/insufficient-points")
    assert account(ME)["pointsBalance"] == 200


def test_redemption_hold_is_403() -> None:
    create_profile(ME)
    adjust(ME, 1000)
    _hold(ME)
    reply = _redeem("coffee-voucher")
    assert (reply.status, reply.body["type"]) == (403, "/problems/redemption-hold")
    assert account(ME)["redemptionHold"] is True
    assert account(ME)["pointsBalance"] == 1000


def test_invalid_redemption_is_400() -> None:
    create_profile(ME)
    adjust(ME, 1000)
    for body in ({}, {"itemId": ""}, {"itemId": 5}, {"itemId": "coffee-voucher", "qty": 2}):
        reply = invoke(
            "CreateLoyaltyRedemptionFunction", path={"customerId": ME}, caller=claims(ME), body=body
        )
        assert problem(reply) == (400, "/problems/invalid-input"), body
    assert account(ME)["pointsBalance"] == 1000


def test_redemption_replay_has_one_effect() -> None:
    create_profile(ME)
    adjust(ME, 1000)
    first = _redeem("coffee-voucher", headers={"Idempotency-Key": "r-1"})
    again = _redeem("coffee-voucher", headers={"Idempotency-Key": "r-1"})
    assert again.body == first.body
    assert account(ME)["pointsBalance"] == 700


def test_concurrent_redemptions_never_overdraw() -> None:
    create_profile(ME)
    adjust(ME, 900)  # affords exactly 3 coffee vouchers
    with ThreadPoolExecutor(12) as pool:
        replies = list(pool.map(lambda _: _redeem("coffee-voucher"), range(12)))
    statuses = sorted(reply.status for reply in replies)
    assert statuses == [201] * 3 + [409] * 9
    assert {reply.body["type"] for reply in replies if reply.status == 409} == {
        "/problems/insufficient-points"
    }
    entries = ledger(ME)
    assert sum(entry["points"] for entry in entries) == account(ME)["pointsBalance"] == 0
    assert sorted(entry["balanceAfter"] for entry in entries) == [0, 300, 600, 900]


def _seed_lots(customer_id: str, count: int, points: int, apart: timedelta) -> list[str]:
    """`count` lots of `points` written straight to the table, the newest earned a day ago, each
    `apart` after the one before, and the account's balance raised to match (no `earn` entries):
    their keys, oldest first."""
    newest = clock.now() - timedelta(days=1)
    keys = []
    with PointLotRecord.batch_write() as batch:
        for index in range(count):
            at = newest - apart * (count - 1 - index)
            key = lot_key(at, index + 1)
            keys.append(key)
            batch.save(
                PointLotRecord(
                    pk=customer_key(customer_id),
                    sk=key,
                    remaining=points,
                    earned_at=at,
                    expires_at=loyalty_ledger.expiry_of(at),
                    expiry_shard=expiry_shard(customer_id, loyalty_ledger.expiry_of(at).date()),
                    transaction_id=f"seed-{index}",
                )
            )
    LoyaltyAccountRecord(pk=customer_key(customer_id), sk=ACCOUNT_SK).update(
        actions=[LoyaltyAccountRecord.balance.add(count * points)]
    )
    return keys


def _lot_keys(customer_id: str) -> list[str]:
    return [
        record.sk
        for record in PointLotRecord.query(
            customer_key(customer_id), PointLotRecord.sk.startswith("LOT#"), consistent_read=True
        )
    ]


def test_an_item_needing_more_lots_than_a_transaction_holds_is_redeemable() -> None:
    # the issue: 110 credits of +5 points make 550, and a 500-point item needs 100 of those lots
    create_profile(ME)
    repository.put_catalog_item(CatalogItem("big-voucher", {"en": "Big voucher"}, 500, "bronze"))
    keys = _seed_lots(ME, 110, 5, timedelta(hours=1))
    reply = _redeem("big-voucher")
    assert (reply.status, reply.body["pointsSpent"], reply.body["balanceAfter"]) == (201, 500, 50)
    [redeemed] = ledger(ME)
    assert (redeemed["type"], redeemed["points"], redeemed["balanceAfter"]) == ("redeem", -500, 50)
    assert account(ME)["pointsBalance"] == 50
    assert _lot_keys(ME) == keys[100:]  # the oldest 100 lots spent, the debt settled
    stored = LoyaltyAccountRecord.get(customer_key(ME), ACCOUNT_SK, consistent_read=True)
    assert stored.unsettled == 0
    # (10,000 lots are spent in tests/unit/test_loyalty_service.py: moto copies the whole table
    # for each transaction, which makes thousands of lots take minutes here)


# ---- the ledger ------------------------------------------------------------------------------


def test_ledger_pages_newest_first_with_type_filter() -> None:
    create_profile(ME)
    for points in (10, 20, 30, 40, 50):
        adjust(ME, points)
    loyalty_ledger.credit_bonus(ME, 5, "referral", Source("referral", "ref-1"))
    first = invoke(
        "ListLoyaltyTransactionsFunction", path={"customerId": ME}, caller=claims(ME), query={"limit": "4"}
    )
    assert [entry["points"] for entry in first.body["items"]] == [5, 50, 40, 30]
    rest = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"limit": "4", "cursor": first.body["nextCursor"]},
    )
    assert [entry["points"] for entry in rest.body["items"]] == [20, 10]
    assert rest.body["nextCursor"] is None
    assert [entry["type"] for entry in ledger(ME, type="bonus")] == ["bonus"]
    adjusts = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"type": "adjust", "limit": "2"},
    )
    assert [entry["points"] for entry in adjusts.body["items"]] == [50, 40]
    following = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"type": "adjust", "limit": "2", "cursor": adjusts.body["nextCursor"]},
    )
    assert [entry["points"] for entry in following.body["items"]] == [30, 20]
    assert account(ME)["lifetimePoints"] == 5


def test_a_full_last_page_says_nothing_follows() -> None:
    create_profile(ME)
    adjust(ME, 1)
    adjust(ME, 2)
    page = invoke(
        "ListLoyaltyTransactionsFunction", path={"customerId": ME}, caller=claims(ME), query={"limit": "2"}
    )
    assert page.body["nextCursor"] is None


@pytest.mark.parametrize("query", [{"type": "gift"}, {"limit": "0"}, {"limit": "101"}, {"limit": "ten"}])
def test_invalid_ledger_query_is_400(query: dict[str, str]) -> None:
    create_profile(ME)
    reply = invoke("ListLoyaltyTransactionsFunction", path={"customerId": ME}, caller=claims(ME), query=query)
    assert problem(reply) == (400, "/problems/invalid-input")


def test_cursors_are_bound_to_their_list() -> None:
    create_profile(ME)
    create_profile("customer-two")
    for points in (1, 2, 3):
        adjust(ME, points)
        adjust("customer-two", points)
    cursor = invoke(
        "ListLoyaltyTransactionsFunction", path={"customerId": ME}, caller=claims(ME), query={"limit": "1"}
    ).body["nextCursor"]
    # opaque: its base64 decoded shows neither the table's key names nor the customer or the entry
    token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    for visible in (b'"pk"', b'"sk"', b"CUSTOMER#", ME.encode(), b"TXN#"):
        assert visible not in token, visible
    # a cursor issued to customer-two for their own list is refused on mine
    theirs = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": "customer-two"},
        caller=claims("customer-two"),
        query={"limit": "1"},
    ).body["nextCursor"]
    borrowed = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"limit": "1", "cursor": theirs},
    )
    assert problem(borrowed) == (400, "/problems/invalid-cursor")
    staff = claims("agent-1", "agents")
    elsewhere = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": "customer-two"},
        caller=staff,
        query={"limit": "1", "cursor": cursor},
    )
    assert problem(elsewhere) == (400, "/problems/invalid-cursor")
    other_filter = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"limit": "1", "type": "adjust", "cursor": cursor},
    )
    assert problem(other_filter) == (400, "/problems/invalid-cursor")
    # one character of the signature changed (the last characters may carry bits base64 ignores)
    tampered = cursor[:5] + ("B" if cursor[5] == "A" else "A") + cursor[6:]
    forged = invoke(
        "ListLoyaltyTransactionsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        query={"limit": "1", "cursor": tampered},
    )
    assert problem(forged) == (400, "/problems/invalid-cursor")


def test_timestamps_are_utc_with_z() -> None:
    create_profile(ME)
    adjust(ME, 1)
    created = ledger(ME)[0]["createdAt"]
    assert created.endswith("Z")
    parsed = datetime.fromisoformat(created)
    assert abs(parsed - datetime.now(UTC)) < timedelta(minutes=1)
