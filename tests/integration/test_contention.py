"""Every place that commits through `db.retry`, with DynamoDB answering as under sale-day load
(tests/contention.py, at the botocore client, below every line of our code):

- the first two transactions cancelled (`TransactionConflict`, or `ThrottlingError`): the request is
  tried again and succeeds, with one effect;
- every transaction cancelled or throttled: the place's busy problem (503 with `Retry-After` and its
  own `type`, never a 409 nor a 500), nothing written.

Then a single read or write that DynamoDB throttles outside `db.retry` (a profile read, a list's
query, a profile replaced, the idempotency record of a POST): 503 busy with `Retry-After`, nothing
written; and a read inside `db.retry` that is throttled is tried again like a contended commit.

The injection sits above botocore's own retries (which retry a throttled single request with
backoff before pynamodb raises): an injected error is what is left once those retries are spent.

Support's chats, votes and tickets have the same pair in test_support.py and test_tickets.py."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
import pytest

from customer_id import clock, db
from customer_id.errors import RETRY_AFTER_SECONDS, Busy
from customer_id.loyalty.models import CatalogItemRecord
from tests.contention import TRANSACTION_REASONS, contention
from tests.harness import Reply, claims, invoke
from tests.integration.helpers import ADMIN, PROFILE, account, adjust, create_profile, purchase, read
from tests.integration.test_offers import _offer

ME = "customer-contended"
FRIEND = "customer-friend"


@dataclass(frozen=True)
class Place:
    """A request that commits through `db.retry`: its set-up, the request (with the status it
    answers), the state it changes, and the problem it answers when it never gets through."""

    request: Callable[[dict[str, Any]], Reply]
    status: int
    effect: Callable[[], Any]
    done: Any  # the effect once the request went through
    busy: str = "/problems/busy"  # the problem `type` (its status is always 503)
    setup: Callable[[pytest.MonkeyPatch], dict[str, Any]] = lambda monkeypatch: {}


def _with_profile(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    return {}


def _with_points(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    adjust(ME, 1000)
    return {}


def _with_redemption(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    _with_points(monkeypatch)
    redeemed = invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body={"itemId": "coffee-voucher"},
    )
    assert redeemed.status == 201, redeemed.body
    return {"redemption": redeemed.body["redemptionId"]}


def _with_purchase(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    return {"purchase": purchase(ME, "ORD-1", "120").body["purchaseId"]}


def _returned_amount() -> str:
    [item] = read("ListPurchasesFunction", ME)["items"]
    reply = _customer("GetPurchaseFunction", purchaseId=item["purchaseId"])
    amount: str = reply.body["returnedAmount"]["amount"]
    return amount


def _with_offer(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    return {"offer": _offer()}


def _with_birthday_today(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    today = clock.now().date()
    _birthday(today.month, today.day)
    return {}


def _with_reward(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from customer_id.rewards import issuance

    create_profile(ME)
    today = clock.now().date()
    _birthday(today.month, today.day)
    assert issuance.issue(today).issued == 1
    return {"reward": read("ListRewardsFunction", ME)["items"][0]["rewardId"]}


def _with_code(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME, displayName="Layla Hassan")
    create_profile(FRIEND, displayName="Omar bin Khalid")
    return {"code": _referral_code(FRIEND).body["code"]}


def _out_of_date_segment(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    purchase(ME, "O-1", "50")
    later = clock.now() + timedelta(days=45)  # the stored `new` is out of date: today it is `promising`
    monkeypatch.setattr(clock, "now", lambda: later)
    return {}


def _with_alert(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    return {"alert": _report().body["alertId"]}


def _birthday(month: int, day: int) -> Reply:
    body = {"birthday": {"month": month, "day": day}}
    return invoke("PutSpecialDatesFunction", path={"customerId": ME}, caller=claims(ME), body=body)


def _referral_code(customer_id: str = ME) -> Reply:
    return invoke("CreateReferralCodeFunction", path={"customerId": customer_id}, caller=claims(customer_id))


def _report() -> Reply:
    body = {"category": "phishing", "description": "A fake SMS asked for my code"}
    return invoke("ReportSecurityIssueFunction", path={"customerId": ME}, caller=claims(ME), body=body)


def _customer(logical_id: str, **path: str) -> Reply:
    return invoke(logical_id, path={"customerId": ME, **path}, caller=claims(ME))


def _alerts() -> list[tuple[str, str]]:
    return [(alert["alertId"], alert["status"]) for alert in read("ListSecurityAlertsFunction", ME)["items"]]


PLACES = {
    "first profile PUT": Place(
        request=lambda context: invoke(
            "PutProfileFunction", path={"customerId": ME}, caller=claims(ME), body=PROFILE
        ),
        status=200,
        effect=lambda: (
            _customer("GetProfileFunction").status,
            _customer("GetLoyaltyAccountFunction").status,
        ),
        done=(200, 200),
    ),
    "points adjustment": Place(
        setup=_with_profile,
        request=lambda context: adjust(ME, 250),
        status=201,
        effect=lambda: account(ME)["pointsBalance"],
        done=250,
    ),
    "redemption": Place(
        setup=_with_points,
        request=lambda context: invoke(
            "CreateLoyaltyRedemptionFunction",
            path={"customerId": ME},
            caller=claims(ME),
            body={"itemId": "coffee-voucher"},
        ),
        status=201,
        effect=lambda: account(ME)["pointsBalance"],
        done=700,
    ),
    "redemption cancellation": Place(
        setup=_with_redemption,
        request=lambda context: invoke(
            "CancelLoyaltyRedemptionFunction",
            path={"customerId": ME, "redemptionId": context["redemption"]},
            caller=claims(ME),
            body={},
        ),
        status=200,
        effect=lambda: account(ME)["pointsBalance"],
        done=1000,
    ),
    "purchase": Place(
        setup=_with_profile,
        request=lambda context: purchase(ME, "ORD-1", "120"),
        status=201,
        effect=lambda: (
            account(ME)["pointsBalance"],
            read("GetAnalyticsSummaryFunction", ME)["purchaseCount"],
        ),
        done=(120, 1),
    ),
    "return": Place(
        setup=_with_purchase,
        request=lambda context: invoke(
            "RecordReturnFunction",
            path={"customerId": ME, "purchaseId": context["purchase"]},
            caller=ADMIN,
            body={"returnId": "RET-1", "amount": "120"},
        ),
        status=201,
        effect=lambda: (account(ME)["pointsBalance"], _returned_amount()),
        done=(0, "120.00"),
    ),
    "offer application": Place(
        setup=_with_offer,
        request=lambda context: invoke(
            "ApplyOfferFunction",
            path={"customerId": ME, "offerId": context["offer"]},
            caller=claims(ME),
            body={"orderId": "ORD-1", "orderAmount": {"amount": "100", "currency": "SAR"}},
        ),
        status=201,
        effect=lambda: read("GetEngagementFunction", ME)["offersApplied"],
        done=1,
        busy="/problems/offer-busy",
    ),
    "segment recalculation": Place(
        setup=_out_of_date_segment,
        request=lambda context: invoke("RecalculateSegmentFunction", path={"customerId": ME}, caller=ADMIN),
        status=200,
        effect=lambda: _stored_segment(),
        done="promising",
    ),
    "birthday": Place(
        setup=_with_profile,
        request=lambda context: _birthday(3, 14),
        status=200,
        effect=lambda: _stored_birthday(),
        done=(3, 14),
    ),
    "reward issuance": Place(
        setup=_with_birthday_today,
        request=lambda context: invoke(
            "IssueRewardsFunction", caller=ADMIN, body={"date": clock.now().date().isoformat()}
        ),
        status=200,
        effect=lambda: [reward["occasion"] for reward in read("ListRewardsFunction", ME)["items"]],
        done=["birthday"],
    ),
    "reward claim": Place(
        setup=_with_reward,
        request=lambda context: _customer("ClaimRewardFunction", rewardId=context["reward"]),
        status=201,
        effect=lambda: (len(_ledger()), read("ListRewardsFunction", ME)["items"][0]["status"]),
        done=(1, "claimed"),
    ),
    "referral code": Place(
        setup=_with_profile,
        request=lambda context: _referral_code(),
        status=201,
        effect=lambda: _stored_codes(),
        done=2,  # the customer's record and the code's
    ),
    "referral application": Place(
        setup=_with_code,
        request=lambda context: invoke(
            "ApplyReferralFunction",
            path={"customerId": ME},
            caller=claims(ME),
            body={"code": context["code"]},
        ),
        status=201,
        effect=lambda: read("ListReferralsFunction", FRIEND)["stats"]["total"],
        done=1,
    ),
    "security report": Place(
        setup=_with_profile,
        request=lambda context: _report(),
        status=201,
        effect=lambda: len(_alerts()),
        done=1,
    ),
    "alert resolution": Place(
        setup=_with_alert,
        request=lambda context: invoke(
            "ResolveSecurityAlertFunction",
            path={"customerId": ME, "alertId": context["alert"]},
            caller=claims(ME),
            body={"resolution": "legitimate"},
        ),
        status=200,
        effect=lambda: [status for _, status in _alerts()],
        done=["resolved"],
    ),
}


def _stored_codes() -> int:
    from customer_id.referrals.code_store import ReferralCodeRecord

    return sum(record.customer_id == ME for record in ReferralCodeRecord.scan())


def _stored_segment() -> str | None:
    return _stored_segment_of(ME)


def _stored_segment_of(customer_id: str) -> str | None:
    """The assignment as stored (a read computes today's segment without storing it)."""
    from customer_id.segments import repository

    stored = repository.assignment(customer_id)
    return None if stored is None else stored.segment_id


def _stored_birthday() -> tuple[int, int] | None:
    birthday = read("GetSpecialDatesFunction", ME)["birthday"]
    return None if birthday is None else (birthday["month"], birthday["day"])


def _ledger() -> list[Any]:
    items: list[Any] = read("ListLoyaltyTransactionsFunction", ME)["items"]
    return items


def _items() -> int:
    """Every item of every table but the idempotency records (a request records itself there)."""
    client = boto3.client("dynamodb")
    idempotency = os.environ["IDEMPOTENCY_TABLE"]
    return sum(
        client.scan(TableName=name, Select="COUNT")["Count"]
        for name in client.list_tables()["TableNames"]
        if name != idempotency
    )


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backoff's length is not what these tests prove; they run without waiting."""
    monkeypatch.setattr(db, "_pause", lambda attempt: None)


@pytest.mark.parametrize("reason", ["TransactionConflict", "ThrottlingError"])
@pytest.mark.parametrize("name", list(PLACES))
def test_a_request_tried_again_after_contention_has_one_effect(
    name: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = PLACES[name]
    context = place.setup(monkeypatch)
    assert place.effect() != place.done
    with contention(monkeypatch, reason, first=2) as injected:
        reply = place.request(context)
    assert reply.status == place.status, reply.body
    assert injected.answered == 2
    assert place.effect() == place.done


@pytest.mark.parametrize("reason", ["TransactionConflict", "ThrottlingError", "ThrottlingException"])
@pytest.mark.parametrize("name", list(PLACES))
def test_a_request_that_stays_contended_is_503_busy_and_writes_nothing(
    name: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = PLACES[name]
    context = place.setup(monkeypatch)
    before = (_items(), place.effect())
    with contention(monkeypatch, reason, share=1.0) as injected:
        reply = place.request(context)
    _assert_busy(reply, place.busy)
    assert injected.answered >= 2  # tried again before giving up
    assert (_items(), place.effect()) == before


def _assert_busy(reply: Reply, problem_type: str = "/problems/busy") -> None:
    """A 503 problem the caller may retry after `Retry-After` seconds: not a 409, not a 500."""
    assert (reply.status, reply.body["type"], reply.body["status"]) == (503, problem_type, 503), reply.body
    assert reply.content_type == "application/problem+json"
    assert reply.headers["Retry-After"] == str(RETRY_AFTER_SECONDS) == "1"


# ---- a single request throttled outside db.retry ------------------------------------------------

THROTTLES = ["ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"]


@pytest.mark.parametrize("reason", THROTTLES)
def test_a_throttled_item_read_is_503_busy(reason: str, monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    with contention(monkeypatch, reason, operations=("GetItem",), share=1.0) as injected:
        reply = _customer("GetProfileFunction")
    _assert_busy(reply)
    assert injected.answered >= 1
    assert _customer("GetProfileFunction").status == 200  # once DynamoDB answers again


def test_a_throttled_query_is_503_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    adjust(ME, 100)
    with contention(monkeypatch, "ThrottlingException", operations=("Query",), share=1.0) as injected:
        reply = _customer("ListLoyaltyTransactionsFunction")
    _assert_busy(reply)
    assert injected.log[0] == "Query"


@pytest.mark.parametrize("reason", [*THROTTLES, "TransactionInProgressException"])
def test_a_throttled_item_write_is_503_busy_and_writes_nothing(
    reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_profile(ME)  # the notification preferences are replaced with one PutItem, outside db.retry
    before = read("GetNotificationPreferencesFunction", ME)
    changed = {**before, "channels": {**before["channels"], "sms": not before["channels"]["sms"]}}
    with contention(monkeypatch, reason, operations=("PutItem",), share=1.0) as injected:
        reply = invoke(
            "PutNotificationPreferencesFunction", path={"customerId": ME}, caller=claims(ME), body=changed
        )
    _assert_busy(reply)
    assert injected.log == ["PutItem"]
    assert read("GetNotificationPreferencesFunction", ME) == before
    assert _customer("GetProfileFunction").body["displayName"] == PROFILE["displayName"]


def test_a_throttled_idempotency_record_is_503_busy_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The record of a POST's Idempotency-Key is written (PutItem) before the route runs."""
    create_profile(ME)
    before = (_items(), account(ME)["pointsBalance"])
    with contention(monkeypatch, "ThrottlingException", operations=("PutItem",), share=1.0) as injected:
        reply = adjust(ME, 250)
    _assert_busy(reply)
    assert injected.log == ["PutItem"]
    assert (_items(), account(ME)["pointsBalance"]) == before
    assert adjust(ME, 250).status == 201  # tried again once DynamoDB answers, it goes through


@pytest.mark.parametrize(("language", "detail"), [("en", "The service is busy"), ("ar", "الخدمة مشغولة")])
def test_the_busy_detail_is_in_the_request_language(
    language: str, detail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_profile(ME)
    with contention(monkeypatch, "ThrottlingException", operations=("GetItem",), share=1.0):
        reply = invoke(
            "GetProfileFunction",
            path={"customerId": ME},
            caller=claims(ME),
            headers={"Accept-Language": language},
        )
    _assert_busy(reply)
    assert reply.body["detail"].startswith(detail)


def test_a_busy_answer_whose_language_lookup_is_throttled_too_is_in_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without Accept-Language the problem's language is the caller's profile language, which is
    one more GetItem: throttled as well, the problem is still answered (in English)."""
    create_profile(ME, language="ar")
    with contention(monkeypatch, "ThrottlingException", operations=("GetItem",), share=1.0) as injected:
        reply = invoke(
            "GetProfileFunction", path={"customerId": ME}, caller=claims(ME), headers={"Accept-Language": ""}
        )
    _assert_busy(reply)
    assert reply.body["detail"].startswith("The service is busy")
    assert injected.answered == 2  # the profile, then its language


# ---- db.retry: reads of an attempt ----------------------------------------------------------------


def _catalog_item(item_id: str) -> CatalogItemRecord:
    return CatalogItemRecord(
        pk="CATALOG",
        sk=f"ITEM#{item_id}",
        item_id=item_id,
        name={"en": item_id},
        points_cost=100,
        min_tier="bronze",
    )


def _catalog_items(prefix: str) -> list[str]:
    return sorted(
        record.item_id for record in CatalogItemRecord.query("CATALOG") if record.item_id.startswith(prefix)
    )


def test_a_throttled_read_of_an_attempt_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    _catalog_item("busy-read").save()
    attempts: list[int] = []

    def attempt(work: db.UnitOfWork) -> int:
        attempts.append(len(attempts) + 1)
        read = CatalogItemRecord.get("CATALOG", "ITEM#busy-read", consistent_read=True)
        work.put(_catalog_item(f"busy-copy-{read.points_cost}-{len(attempts)}"))
        return len(attempts)

    with contention(monkeypatch, "ThrottlingException", operations=("GetItem",), first=2) as injected:
        assert db.retry(attempt) == 3
    assert (attempts, injected.answered) == ([1, 2, 3], 2)
    assert _catalog_items("busy-copy") == ["busy-copy-100-3"]


def test_a_read_of_an_attempt_that_stays_throttled_is_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    def attempt(work: db.UnitOfWork) -> None:
        CatalogItemRecord.get("CATALOG", "ITEM#busy-never", consistent_read=True)
        work.put(_catalog_item("busy-never"))

    with (
        contention(monkeypatch, "ThrottlingException", operations=("GetItem",), share=1.0) as injected,
        pytest.raises(Busy) as raised,
    ):
        db.retry(attempt, attempts=4, busy="offer_busy")
    assert (raised.value.code, raised.value.status, raised.value.retry_after) == ("offer_busy", 503, 1)
    assert injected.answered == 4
    assert _catalog_items("busy-never") == []


def test_a_read_of_an_attempt_that_fails_otherwise_is_not_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pynamodb.exceptions import GetError

    attempts: list[int] = []

    def attempt(work: db.UnitOfWork) -> None:
        attempts.append(1)
        CatalogItemRecord.get("CATALOG", "ITEM#busy-invalid", consistent_read=True)

    with (
        contention(monkeypatch, "ValidationException", operations=("GetItem",), share=1.0),
        pytest.raises(GetError),
    ):
        db.retry(attempt)
    assert attempts == [1]


# ---- the segment counters, under a share of contended or throttled transactions ----------------


def _counts() -> dict[str, int]:
    from customer_id.analytics import rfm
    from customer_id.segments import stats as segments

    return {segment.segment_id: segments.stats(segment.segment_id).customer_count for segment in rfm.SEGMENTS}


@pytest.mark.parametrize("reason", TRANSACTION_REASONS)
def test_segment_counters_stay_exact_when_a_share_of_transactions_is_contended(
    reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signups and purchases with 75% of transactions cancelled: every answer is a success or a 503
    (never a 500, never a 409), and the counters count exactly the customers whose requests
    succeeded, in the segment their stored assignment names."""
    before = _counts()
    customers = [f"contended-{index}" for index in range(10)]
    with contention(monkeypatch, reason, share=0.75, seed=3) as injected:
        signups = {
            customer_id: invoke(
                "PutProfileFunction",
                path={"customerId": customer_id},
                caller=claims(customer_id),
                body=PROFILE,
            ).status
            for customer_id in customers
        }
        joined = [customer_id for customer_id, status in signups.items() if status == 200]
        bought = {
            customer_id: purchase(customer_id, f"O-{customer_id}", "900").status for customer_id in joined
        }
    assert injected.answered > 0
    assert set(signups.values()) <= {200, 503}, signups
    assert set(bought.values()) <= {201, 503}, bought
    assert len(joined) >= 3, signups
    assert 503 in [*signups.values(), *bought.values()]  # some stayed contended through every retry
    after = _counts()
    moved = Counter({key: after[key] - before[key] for key in after})
    stored = Counter(_stored_segment_of(customer_id) for customer_id in joined)
    assert +moved == +stored, (moved, stored)
    assert sum(moved.values()) == len(joined)
    for customer_id, status in signups.items():
        if status == 503:
            assert _stored_segment_of(customer_id) is None  # nothing written
