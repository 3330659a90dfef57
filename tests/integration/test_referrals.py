from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from customer_id import clock, db
from tests.harness import NO_CLAIMS, claims, invoke
from tests.integration.helpers import ADMIN, account, create_profile, ledger, problem, purchase, read

REFERRER = "customer-referrer"
REFEREE = "customer-referee"


def _code(customer_id: str = REFERRER, **options: Any) -> Any:
    return invoke(
        "CreateReferralCodeFunction", path={"customerId": customer_id}, caller=claims(customer_id), **options
    )


def _apply(code: str, customer_id: str = REFEREE, **options: Any) -> Any:
    return invoke(
        "ApplyReferralFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"code": code},
        **options,
    )


@pytest.fixture
def code() -> str:
    create_profile(REFERRER, displayName="Layla Hassan")
    create_profile(REFEREE, displayName="Omar bin Khalid")
    reply = _code()
    assert reply.status == 201
    value: str = reply.body["code"]
    return value


def test_one_code_per_customer(code: str) -> None:
    assert len(code) == 8
    assert set(code) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    again = _code(body=None)
    assert (again.status, again.body["code"]) == (200, code)
    assert again.body["shareUrl"].endswith(f"?ref={code}")
    assert problem(_code(body={"extra": 1})) == (400, "/problems/invalid-input")


def test_the_code_is_public(code: str) -> None:
    reply = invoke("GetReferralCodeFunction", path={"code": code.lower()}, caller=NO_CLAIMS)
    assert reply.status == 200
    assert reply.body == {"code": code, "referrerName": "Layla H.", "refereeRewardPoints": 250}
    unknown = invoke("GetReferralCodeFunction", path={"code": "ZZZZZZZZ"}, caller=NO_CLAIMS)
    assert problem(unknown) == (404, "/problems/referral-code-not-found")


def test_applying_a_code_and_qualifying_pays_both_once(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    applied = _apply(code)
    assert applied.status == 201
    assert applied.body["status"] == "pending"
    listing = read("ListReferralsFunction", REFERRER)
    assert listing["items"][0]["refereeName"] == "Omar K."
    assert listing["stats"] == {"total": 1, "pending": 1, "qualified": 0, "rejected": 0, "pointsEarned": 0}
    assert read("GetEngagementFunction", REFERRER)["referralsMade"] == 1

    assert purchase(REFEREE, "small", "49.99").status == 201  # under 50: still pending
    assert read("ListReferralsFunction", REFERRER)["items"][0]["status"] == "pending"
    qualified_at = clock.now().replace(microsecond=0) + timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: qualified_at)
    assert purchase(REFEREE, "big", "50.00").status == 201
    item = read("ListReferralsFunction", REFERRER)["items"][0]
    assert (item["status"], item["pointsAwarded"]) == ("qualified", 500)
    assert item["qualifiedAt"] == clock.iso(qualified_at)
    assert account(REFERRER)["pointsBalance"] == 500
    assert account(REFEREE)["pointsBalance"] == 49 + 50 + 250
    assert [entry["type"] for entry in ledger(REFERRER)] == ["bonus"]
    assert account(REFERRER)["lifetimePoints"] == 500  # bonus counts towards the tier

    # the purchase retried, and a later purchase: nothing more is paid
    assert problem(purchase(REFEREE, "big", "50.00")) == (409, "/problems/duplicate-order")
    assert purchase(REFEREE, "later", "80.00").status == 201
    assert account(REFERRER)["pointsBalance"] == 500
    stats = read("ListReferralsFunction", REFERRER)["stats"]
    assert stats == {"total": 1, "pending": 0, "qualified": 1, "rejected": 0, "pointsEarned": 500}
    rewards = read("ListReferralRewardsFunction", REFEREE)["items"]
    assert [(reward["points"], reward["referralId"]) for reward in rewards] == [
        (250, applied.body["referralId"])
    ]
    assert rewards[0]["transactionId"] == ledger(REFEREE, type="bonus")[0]["transactionId"]


def test_a_half_paid_referral_is_completed_when_the_purchase_is_retried(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from customer_id.referrals import qualification

    _apply(code)
    real_pay = qualification._pay

    def referee_only(customer_id: str, points: int, referral: Any, conclude: bool) -> None:
        if customer_id == REFERRER:
            raise ConnectionError("stopped before paying the referrer")
        real_pay(customer_id, points, referral, conclude)

    monkeypatch.setattr(qualification, "_pay", referee_only)
    assert problem(purchase(REFEREE, "order", "60")) == (500, "/problems/internal-error")
    assert account(REFERRER)["pointsBalance"] == 0
    monkeypatch.setattr(qualification, "_pay", real_pay)
    retried = purchase(REFEREE, "order", "60")  # the retry finishes the payouts
    assert problem(retried) == (409, "/problems/duplicate-order")
    assert account(REFERRER)["pointsBalance"] == 500
    assert account(REFEREE)["pointsBalance"] == 60 + 250


def test_conflicts(code: str) -> None:
    own = _apply(code, customer_id=REFERRER)
    assert problem(own) == (409, "/problems/own-referral-code")
    assert _apply(code).status == 201
    again = _apply(code)
    assert problem(again) == (409, "/problems/already-referred")
    assert problem(_apply("ZZZZZZZZ", customer_id=REFERRER)) == (404, "/problems/referral-code-not-found")
    assert read("ListReferralsFunction", REFERRER)["stats"]["total"] == 1


def test_a_profile_older_than_30_days_cannot_apply(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    later = clock.now() + timedelta(days=31)
    monkeypatch.setattr(clock, "now", lambda: later)
    reply = _apply(code)
    assert problem(reply) == (409, "/problems/referral-too-late")


def test_a_purchase_after_90_days_does_not_qualify(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _apply(code)
    later = clock.now() + timedelta(days=91)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert purchase(REFEREE, "late", "100").status == 201
    assert read("ListReferralsFunction", REFERRER)["items"][0]["status"] == "pending"
    assert account(REFERRER)["pointsBalance"] == 0


@pytest.mark.parametrize("body", [{}, {"code": "short"}, {"code": "0OIL1234"}, {"code": "K7QM2XRT", "x": 1}])
def test_invalid_referral_is_400(code: str, body: Any) -> None:
    reply = invoke("ApplyReferralFunction", path={"customerId": REFEREE}, caller=claims(REFEREE), body=body)
    assert problem(reply) == (400, "/problems/invalid-input")
    assert read("ListReferralsFunction", REFERRER)["stats"]["total"] == 0


def test_applying_with_an_idempotency_key_replays(code: str) -> None:
    first = _apply(code, headers={"Idempotency-Key": "apply-1"})
    again = _apply(code, headers={"Idempotency-Key": "apply-1"})
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert read("ListReferralsFunction", REFERRER)["stats"]["total"] == 1


def test_referral_lists_page(code: str) -> None:
    for index in range(3):
        other = f"customer-referee-{index}"
        create_profile(other, displayName=f"Guest Number{index}")
        assert _apply(code, customer_id=other).status == 201
    first = read("ListReferralsFunction", REFERRER, limit="2")
    assert [item["refereeName"] for item in first["items"]] == ["Guest N.", "Guest N."]
    rest = read("ListReferralsFunction", REFERRER, limit="2", cursor=first["nextCursor"])
    assert len(rest["items"]) == 1
    assert rest["nextCursor"] is None
    assert rest["stats"]["total"] == 3


# ---- exactly once under faults: the outbox and the operation's outcome ------------------------------


def _dies_after_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    real = db.UnitOfWork.commit

    def dying(work: db.UnitOfWork) -> None:
        real(work)
        raise RuntimeError("died after the commit")

    monkeypatch.setattr(db.UnitOfWork, "commit", dying)


def test_applying_queues_the_fraud_signal_with_the_referral(code: str, fraud_signals: Any) -> None:
    applied = _apply(code)
    assert applied.status == 201
    [signal] = fraud_signals()
    referral_id = applied.body["referralId"]
    assert (signal["messageId"], signal["kind"], signal["customerId"]) == (
        f"referral:{referral_id}",
        "referral",
        REFEREE,
    )
    assert signal["data"] == {"referralId": referral_id, "referrerId": REFERRER}


def test_an_application_retried_after_dying_past_its_commit_answers_the_first_201(
    code: str, fraud_signals: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as crash:
        _dies_after_commit(crash)
        assert _apply(code, idempotency_key="apply-1").status == 500
    retried = _apply(code, idempotency_key="apply-1")
    assert retried.status == 201  # not 409 already referred: the first execution's answer
    [item] = read("ListReferralsFunction", REFERRER)["items"]
    assert retried.body == {"referralId": item["referralId"], "status": "pending"}
    again = _apply(code, idempotency_key="apply-1")
    assert (again.status, again.body) == (201, retried.body)
    assert read("ListReferralsFunction", REFERRER)["stats"]["total"] == 1
    assert read("GetEngagementFunction", REFERRER)["referralsMade"] == 1
    assert [signal["messageId"] for signal in fraud_signals()] == [f"referral:{item['referralId']}"]
    other = _apply(code)  # another request: the referee is referred already
    assert problem(other) == (409, "/problems/already-referred")


def _keyed_purchase(order_id: str, amount: str, key: str) -> Any:
    body = {"orderId": order_id, "amount": amount, "currency": "SAR", "channel": "web"}
    return invoke(
        "RecordPurchaseFunction", path={"customerId": REFEREE}, caller=ADMIN, body=body, idempotency_key=key
    )


def test_a_qualifying_purchase_retried_after_dying_past_its_commit_pays_both_once(
    code: str, queued_notifications: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _apply(code)
    with monkeypatch.context() as crash:
        _dies_after_commit(crash)  # dies at the purchase's commit: the referral step never ran
        assert _keyed_purchase("order", "60", "order-1").status == 500
    assert account(REFERRER)["pointsBalance"] == 0
    replayed = _keyed_purchase("order", "60", "order-1")
    assert replayed.status == 201  # the first answer, and the referral step completed
    assert (account(REFERRER)["pointsBalance"], account(REFEREE)["pointsBalance"]) == (500, 60 + 250)
    assert _keyed_purchase("order", "60", "order-1").body == replayed.body
    assert problem(purchase(REFEREE, "order", "60")) == (409, "/problems/duplicate-order")
    assert [entry["type"] for entry in ledger(REFERRER)] == ["bonus"]
    assert [entry["type"] for entry in ledger(REFEREE)] == ["bonus", "earn"]
    payouts = queued_notifications("referral_payout")
    assert sorted((message["customerId"], message["params"]["points"]) for message in payouts) == [
        (REFEREE, 250),
        (REFERRER, 500),
    ]


def test_a_payout_that_raises_the_tier_announces_it(code: str, queued_notifications: Any) -> None:
    assert purchase(REFERRER, "own", "600").status == 201  # 600 lifetime points: bronze
    _apply(code)
    assert purchase(REFEREE, "order", "60").status == 201  # pays the referrer 500: silver
    assert account(REFERRER)["tier"] == "silver"
    upgrades = queued_notifications("tier_upgrade")
    assert [(message["messageId"], message["params"]) for message in upgrades] == [
        (f"tier:{REFERRER}:silver", {"tier": "silver"})
    ]


def test_referrals_made_counts_pending_and_qualified_not_rejected(code: str) -> None:
    from customer_id.referrals import qualification, repository

    others = [f"customer-referee-{index}" for index in range(2)]
    for other in others:
        create_profile(other)
        assert _apply(code, customer_id=other).status == 201
    assert _apply(code).status == 201
    assert purchase(REFEREE, "order", "60").status == 201  # qualifies REFEREE's referral
    assert read("GetEngagementFunction", REFERRER)["referralsMade"] == 3
    rejected = repository.referred_by(others[0])
    assert rejected is not None
    db.retry(lambda work: qualification.stage_conclusion(work, rejected, "rejected", clock.now()))
    assert read("GetEngagementFunction", REFERRER)["referralsMade"] == 2  # one pending, one qualified
    stats = read("ListReferralsFunction", REFERRER)["stats"]
    assert (stats["pending"], stats["qualified"], stats["rejected"]) == (1, 1, 1)
