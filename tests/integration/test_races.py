"""Every guard's race, forced: the requests all read before any writes (`race`), or another change
commits between a request's read and its write (`meanwhile`). Each test names the guards whose
removal it catches (`@pytest.mark.guard`); `make mutants` removes each guard in turn and checks it.
Guards that decide no race are listed, with the reason, in tests/mutants.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from customer_id import clock
from tests.harness import Reply, claims, invoke
from tests.integration.helpers import ADMIN, PROFILE, account, adjust, create_profile, ledger, purchase, read
from tests.races import meanwhile, race

ME = "customer-racer"
OTHER = "customer-rival"


@pytest.fixture
def patch(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return monkeypatch


def _put_profile(customer_id: str = ME, **fields: Any) -> Reply:
    return invoke(
        "PutProfileFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={**PROFILE, **fields},
    )


def _redeem(customer_id: str = ME, item: str = "coffee-voucher") -> Reply:
    return invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"itemId": item},
    )


# ---- profile and loyalty ------------------------------------------------------------------------


@pytest.mark.guard("profile.repository:create")
def test_racing_first_puts_open_one_customer(patch: pytest.MonkeyPatch) -> None:
    replies = race(
        patch, lambda: _put_profile(displayName="First"), lambda: _put_profile(displayName="Second")
    )
    assert [reply.status for reply in replies] == [200, 200]
    assert read("GetProfileFunction", ME)["displayName"] in {"First", "Second"}
    assert account(ME)["pointsBalance"] == 0
    assert read("GetSegmentFunction", ME)["segmentId"] == "new"


@pytest.mark.guard("loyalty.repository:stage#1")
def test_a_hold_placed_between_read_and_commit_stops_the_redemption(patch: pytest.MonkeyPatch) -> None:
    from customer_id.loyalty import repository

    create_profile(ME)
    adjust(ME, 1000)
    reply = meanwhile(patch, _redeem, lambda: repository.set_redemption_hold(ME, True))
    assert (reply.status, reply.body["type"]) == (403, "/problems/redemption-hold")
    assert account(ME)["pointsBalance"] == 1000


@pytest.mark.guard("loyalty.repository:stage#1")
@pytest.mark.guard("loyalty.repository:stage#2", backs_up=("loyalty.repository:stage#1",))
def test_racing_redemptions_spend_each_point_once(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    adjust(ME, 500)  # one coffee voucher (300), not two
    replies = race(patch, _redeem, _redeem)
    assert sorted(reply.status for reply in replies) == [201, 409]
    assert [reply.body["type"] for reply in replies if reply.status == 409] == [
        "/problems/insufficient-points"
    ]
    assert account(ME)["pointsBalance"] == 200
    assert sum(entry["points"] for entry in ledger(ME)) == 200


@pytest.mark.guard("loyalty.repository:set_redemption_hold")
def test_a_hold_on_a_customer_without_an_account_writes_nothing() -> None:
    from customer_id.db import customer_key
    from customer_id.loyalty import repository
    from customer_id.loyalty.repository import LoyaltyAccountRecord

    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        repository.set_redemption_hold(ME, True)
    assert LoyaltyAccountRecord.count(customer_key(ME)) == 0
    create_profile(ME)
    assert account(ME)["pointsBalance"] == 0


# ---- referrals ----------------------------------------------------------------------------------


def _referral_code(customer_id: str) -> Reply:
    return invoke("CreateReferralCodeFunction", path={"customerId": customer_id}, caller=claims(customer_id))


def _apply_code(code: str, customer_id: str = OTHER) -> Reply:
    return invoke(
        "ApplyReferralFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"code": code},
    )


@pytest.mark.guard("referrals.code_store:create_code#1")
def test_racing_code_requests_give_the_customer_one_code(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    replies = race(patch, lambda: _referral_code(ME), lambda: _referral_code(ME))
    assert sorted(reply.status for reply in replies) == [200, 201]
    assert replies[0].body["code"] == replies[1].body["code"]
    looked_up = invoke("GetReferralCodeFunction", path={"code": replies[0].body["code"]}, caller={})
    assert looked_up.status == 200


@pytest.mark.guard("referrals.code_store:create_code#2")
def test_two_customers_drawing_the_same_code_get_different_codes(patch: pytest.MonkeyPatch) -> None:
    from customer_id import codes

    create_profile(ME, displayName="Layla Hassan")
    create_profile(OTHER, displayName="Omar bin Khalid")
    real = codes.random_code
    drawn: list[str] = []

    def first_draws_collide(length: int) -> str:
        drawn.append("x")
        return "SAME2345" if len(drawn) <= 2 else real(length)

    patch.setattr(codes, "random_code", first_draws_collide)
    replies = race(patch, lambda: _referral_code(ME), lambda: _referral_code(OTHER))
    assert [reply.status for reply in replies] == [201, 201]
    mine, theirs = replies[0].body["code"], replies[1].body["code"]
    assert mine != theirs
    for code, name in ((mine, "Layla H."), (theirs, "Omar K.")):
        assert invoke("GetReferralCodeFunction", path={"code": code}, caller={}).body["referrerName"] == name


@pytest.fixture
def referral_code() -> str:
    create_profile(ME, displayName="Layla Hassan")
    create_profile(OTHER, displayName="Omar bin Khalid")
    create_profile("customer-third", displayName="Sara Ali")
    code: str = _referral_code(ME).body["code"]
    return code


@pytest.mark.guard("referrals.repository:apply#1")
def test_racing_applications_refer_a_customer_once(patch: pytest.MonkeyPatch, referral_code: str) -> None:
    other_code = _referral_code("customer-third").body["code"]
    replies = race(patch, lambda: _apply_code(referral_code), lambda: _apply_code(other_code))
    assert sorted(reply.status for reply in replies) == [201, 409]
    assert [reply.body["type"] for reply in replies if reply.status == 409] == ["/problems/already-referred"]
    totals = [
        read("ListReferralsFunction", referrer)["stats"]["total"] for referrer in (ME, "customer-third")
    ]
    assert sorted(totals) == [0, 1]


def _share_a_device(*customers: str) -> None:
    for customer_id in customers:
        reply = invoke(
            "RecordSecurityEventFunction",
            path={"customerId": customer_id},
            caller=ADMIN,
            body={"type": "login", "ipAddress": "203.0.113.10", "deviceId": "shared-phone", "country": "SA"},
        )
        assert reply.status == 202


@pytest.mark.guard("referrals.repository:conclude")
def test_racing_rejections_conclude_the_referral_once(patch: pytest.MonkeyPatch, referral_code: str) -> None:
    from customer_id.referrals import qualification

    assert _apply_code(referral_code).status == 201
    _share_a_device(ME, OTHER)
    now = clock.now()
    race(patch, *[lambda: qualification.on_purchase(OTHER, Decimal("80"), now)] * 2)
    stats = read("ListReferralsFunction", ME)["stats"]
    assert stats == {"total": 1, "pending": 0, "qualified": 0, "rejected": 1, "pointsEarned": 0}


@pytest.mark.guard("referrals.repository:record_payout")
def test_racing_retries_pay_the_referrer_once(patch: pytest.MonkeyPatch, referral_code: str) -> None:
    from customer_id.referrals import qualification

    assert _apply_code(referral_code).status == 201
    real_pay = qualification._pay

    def referee_only(customer_id: str, points: int, referral: Any, conclude: bool) -> None:
        if customer_id == ME:
            raise ConnectionError("stopped before paying the referrer")
        real_pay(customer_id, points, referral, conclude)

    patch.setattr(qualification, "_pay", referee_only)
    with pytest.raises(ConnectionError):
        qualification.on_purchase(OTHER, Decimal("80"), clock.now())
    patch.setattr(qualification, "_pay", real_pay)
    now = clock.now()
    race(patch, *[lambda: qualification.on_purchase(OTHER, Decimal("80"), now)] * 2)
    assert account(ME)["pointsBalance"] == 500
    assert [entry["points"] for entry in ledger(ME)] == [500]


# ---- analytics, segments ------------------------------------------------------------------------


@pytest.mark.guard("analytics.repository:record_purchase#2")
def test_racing_deliveries_of_one_order_record_one_purchase(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    replies = race(patch, *[lambda: purchase(ME, "ORD-1", "120")] * 2)
    assert sorted(reply.status for reply in replies) == [201, 409]
    assert [reply.body["type"] for reply in replies if reply.status == 409] == ["/problems/duplicate-order"]
    assert [item["orderId"] for item in read("ListPurchasesFunction", ME)["items"]] == ["ORD-1"]
    assert account(ME)["pointsBalance"] == 120
    assert read("GetAnalyticsSummaryFunction", ME)["purchaseCount"] == 1


def _segment_count(segment_id: str) -> int:
    reply = invoke("GetSegmentStatsFunction", path={"segmentId": segment_id}, caller=ADMIN)
    assert reply.status == 200, reply.body
    count: int = reply.body["customerCount"]
    return count


@pytest.mark.guard("segments.repository:write_assignment")
def test_racing_recalculations_move_the_customer_once(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    purchase(ME, "O-1", "50")
    later = clock.now() + timedelta(days=45)  # the stored `new` is out of date: today it is `promising`
    patch.setattr(clock, "now", lambda: later)
    before = {segment: _segment_count(segment) for segment in ("new", "promising")}
    recalculate = lambda: invoke("RecalculateSegmentFunction", path={"customerId": ME}, caller=ADMIN)  # noqa: E731
    replies = race(patch, recalculate, recalculate)
    assert [(reply.status, reply.body["segmentId"]) for reply in replies] == [(200, "promising")] * 2
    after = {segment: _segment_count(segment) for segment in ("new", "promising")}
    assert after == {"new": before["new"] - 1, "promising": before["promising"] + 1}


# ---- rewards ------------------------------------------------------------------------------------


def _put_birthday(month: int, day: int) -> Reply:
    return invoke(
        "PutSpecialDatesFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"birthday": {"month": month, "day": day}},
    )


@pytest.mark.guard("rewards.repository:save_special_dates")
def test_racing_birthdays_set_one(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    replies = race(patch, lambda: _put_birthday(3, 14), lambda: _put_birthday(7, 1))
    assert sorted(reply.status for reply in replies) == [200, 409]
    (refused,) = [reply for reply in replies if reply.status == 409]
    assert refused.body["type"] == "/problems/birthday-already-set"
    (kept,) = [reply.body["birthday"] for reply in replies if reply.status == 200]
    assert read("GetSpecialDatesFunction", ME)["birthday"] == kept


@pytest.mark.guard("rewards.repository:add_reward")
def test_racing_issuance_runs_issue_one_reward(patch: pytest.MonkeyPatch) -> None:
    from customer_id.rewards import issuance

    create_profile(ME)
    today = clock.now().date()
    assert _put_birthday(today.month, today.day).status == 200
    runs = race(patch, lambda: issuance.issue(today), lambda: issuance.issue(today))
    assert sorted((run.issued, run.skipped) for run in runs) == [(0, 1), (1, 0)]
    assert len(read("ListRewardsFunction", ME)["items"]) == 1


@pytest.mark.guard("rewards.repository:add_reward")
def test_a_unit_racing_its_redelivery_issues_one_reward(patch: pytest.MonkeyPatch) -> None:
    from customer_id import jobs, shards
    from customer_id.rewards import issuance

    create_profile(ME)  # Asia/Riyadh: its day begins at 21:00 UTC
    today = clock.now().date()
    assert _put_birthday(today.month, today.day).status == 200
    hour = clock.now().replace(hour=20, minute=0, second=0, microsecond=0) - timedelta(days=1)
    shard = shards.shard_of(ME, issuance.ISSUANCE.shards)
    unit = jobs.Unit(job=issuance.ISSUANCE.name, start=hour, shard=shard)
    runs = race(patch, lambda: issuance.issue_unit(unit), lambda: issuance.issue_unit(unit))
    assert sorted((run.issued, run.skipped) for run in runs) == [(0, 1), (1, 0)]
    assert len(read("ListRewardsFunction", ME)["items"]) == 1


# ---- one operation executed twice at once (a client's retry while the first still runs) -------------


@pytest.fixture
def one_operation() -> Any:
    """`one_operation()`: from then on, the service calls of the test are executions of one
    operation (the same Idempotency-Key). (A handler invoked begins a request of its own.)"""
    from customer_id import request
    from customer_id.request import Operation

    def begin() -> None:
        operation = Operation(id="op-racing", request_digest="same")
        request.begin(request.Request(caller=None, accept_language=None, operation=operation))

    yield begin
    request.begin(request.Request(caller=None, accept_language=None))


def test_a_claim_executed_again_meanwhile_answers_the_first_claim(
    patch: pytest.MonkeyPatch, one_operation: Callable[[], None]
) -> None:
    from customer_id.rewards import claims, issuance

    create_profile(ME)
    today = clock.now().date()
    assert _put_birthday(today.month, today.day).status == 200
    assert issuance.issue(today).issued == 1
    reward_id = f"{today.year}-birthday"
    one_operation()
    others: list[Any] = []
    first = meanwhile(
        patch, lambda: claims.claim(ME, reward_id), lambda: others.append(claims.claim(ME, reward_id))
    )
    assert first == others[0]  # the late execution lost the reward's condition, and answers the first
    [entry] = ledger(ME)
    assert first.transaction_id == entry["transactionId"]


def test_a_referral_applied_again_meanwhile_answers_the_first_referral(
    patch: pytest.MonkeyPatch, referral_code: str, one_operation: Callable[[], None]
) -> None:
    from customer_id.referrals import applications

    one_operation()
    others: list[Any] = []
    first = meanwhile(
        patch,
        lambda: applications.apply(OTHER, referral_code),
        lambda: others.append(applications.apply(OTHER, referral_code)),
    )
    assert first == others[0]
    assert read("ListReferralsFunction", ME)["stats"]["total"] == 1


def test_a_purchase_recorded_again_meanwhile_answers_the_first_purchase(
    patch: pytest.MonkeyPatch, one_operation: Callable[[], None]
) -> None:
    from customer_id.analytics.schemas.recording import PurchaseInput
    from customer_id.workflows import purchases

    create_profile(ME)
    data = PurchaseInput.model_validate(
        {"orderId": "ORD-1", "amount": "120", "currency": "SAR", "channel": "web"}
    )
    one_operation()
    others: list[Any] = []
    first = meanwhile(
        patch,
        lambda: purchases.record_purchase(ME, data),
        lambda: others.append(purchases.record_purchase(ME, data)),
    )
    assert first == others[0]  # the late execution found the account moved, then the first answer
    assert account(ME)["pointsBalance"] == 120
    assert read("GetAnalyticsSummaryFunction", ME)["purchaseCount"] == 1


def test_an_offer_applied_again_meanwhile_answers_the_first_application(
    patch: pytest.MonkeyPatch, one_operation: Callable[[], None]
) -> None:
    from customer_id.offers import applications
    from customer_id.offers.schemas.applications import OfferApplicationInput
    from tests.integration.test_offers import _offer

    create_profile(ME)
    offer_id = _offer()
    data = OfferApplicationInput.model_validate(
        {"orderId": "ORD-1", "orderAmount": {"amount": "100", "currency": "SAR"}}
    )
    one_operation()
    others: list[Any] = []
    first = meanwhile(
        patch,
        lambda: applications.apply(ME, offer_id, data),
        lambda: others.append(applications.apply(ME, offer_id, data)),
    )
    assert first == others[0]
    assert read("GetEngagementFunction", ME)["offersApplied"] == 1
