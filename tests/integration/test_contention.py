"""Every place that commits through `db.retry`, with DynamoDB answering as under sale-day load
(tests/contention.py, at the botocore client, below every line of our code):

- the first two transactions cancelled (`TransactionConflict`, or `ThrottlingError`): the request is
  tried again and succeeds, with one effect;
- every transaction cancelled: the place's busy problem (409 with its own `type`), nothing written.

Support's chats, votes and tickets have the same pair in test_support.py and test_tickets.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
import pytest

from customer_id import clock, db
from tests.contention import contention
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
    busy: str = "/problems/busy"
    setup: Callable[[pytest.MonkeyPatch], dict[str, Any]] = lambda monkeypatch: {}


def _with_profile(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    return {}


def _with_points(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    adjust(ME, 1000)
    return {}


def _with_offer(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    return {"offer": _offer()}


def _with_birthday_today(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    create_profile(ME)
    today = clock.now().date()
    _birthday(today.month, today.day)
    return {}


def _with_reward(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from customer_id.rewards import service

    create_profile(ME)
    today = clock.now().date()
    _birthday(today.month, today.day)
    assert service.issue(today).issued == 1
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
    from customer_id.referrals.repository import ReferralCodeRecord

    return sum(record.customer_id == ME for record in ReferralCodeRecord.scan())


def _stored_segment() -> str | None:
    """The assignment as stored (a read computes today's segment without storing it)."""
    from customer_id.segments import repository

    stored = repository.assignment(ME)
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


@pytest.mark.parametrize("name", list(PLACES))
def test_a_request_that_stays_contended_is_busy_and_writes_nothing(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = PLACES[name]
    context = place.setup(monkeypatch)
    before = (_items(), place.effect())
    with contention(monkeypatch, "TransactionConflict", share=1.0) as injected:
        reply = place.request(context)
    assert (reply.status, reply.body["type"]) == (409, place.busy)
    assert injected.answered >= 2  # tried again before giving up
    assert (_items(), place.effect()) == before
