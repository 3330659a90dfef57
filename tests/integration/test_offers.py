from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from customer_id import clock, db
from customer_id.offers import applications, repository
from customer_id.offers.schemas.applications import OfferApplicationInput, OfferApplicationOutput
from customer_id.settings import settings
from local_stack import demo
from tests.clock import DEFAULT_INSTANT, FrozenClock
from tests.contention import contention
from tests.harness import Reply, claims, invoke
from tests.integration.helpers import ADMIN, create_profile, purchase, read
from tests.integration.writes import record_writes
from tests.races import meanwhile, race

ME = "customer-offers"
OTHER = "customer-other"
AGENT = claims("agent-1", "agents")


def _at(delta: timedelta) -> str:
    return clock.iso(clock.now() + delta)


# validity bounds for parametrized cases, from the instant those tests run at (milliseconds, as stored)
_NOW = clock.iso(DEFAULT_INSTANT)
_A_YEAR_AGO = clock.iso(DEFAULT_INSTANT - timedelta(days=365))
_IN_A_YEAR = clock.iso(DEFAULT_INSTANT + timedelta(days=365))
_IN_A_YEAR_AND_A_DAY = clock.iso(DEFAULT_INSTANT + timedelta(days=366))


def _body(**changes: Any) -> dict[str, Any]:
    """A valid offer for everyone, active from an hour ago for 30 days; `changes` in camelCase."""
    return {
        "title": {"en": "Weekend deal", "ar": "عرض نهاية الأسبوع"},
        "description": {"en": "Save on everything", "ar": "وفّر على كل شيء"},
        "discountType": "percent",
        "discountValue": "10",
        "validFrom": _at(-timedelta(hours=1)),
        "validUntil": _at(timedelta(days=30)),
        **changes,
    }


def _create(headers: dict[str, str] | None = None, **changes: Any) -> Reply:
    return invoke("CreateOfferFunction", caller=ADMIN, body=_body(**changes), headers=headers)


def _offer(**changes: Any) -> str:
    reply = _create(**changes)
    assert reply.status == 201, reply.body
    offer_id: str = reply.body["offerId"]
    return offer_id


def _apply(
    offer_id: str, order_id: str, amount: Any, customer_id: str = ME, headers: dict[str, str] | None = None
) -> Reply:
    return invoke(
        "ApplyOfferFunction",
        path={"customerId": customer_id, "offerId": offer_id},
        caller=claims(customer_id),
        body={"orderId": order_id, "orderAmount": {"amount": amount, "currency": "SAR"}},
        headers=headers,
    )


def _listed(customer_id: str = ME, language: str = "en") -> list[dict[str, Any]]:
    reply = invoke(
        "ListOffersFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        headers={"Accept-Language": language},
    )
    assert reply.status == 200, reply.body
    items: list[dict[str, Any]] = reply.body["items"]
    return items


def _ids(customer_id: str = ME) -> list[str]:
    return [item["offerId"] for item in _listed(customer_id)]


def _detail(offer_id: str, customer_id: str = ME, language: str = "en", caller: Any = None) -> Reply:
    return invoke(
        "GetOfferFunction",
        path={"customerId": customer_id, "offerId": offer_id},
        caller=caller or claims(customer_id),
        headers={"Accept-Language": language},
    )


def _stored_offers() -> int:
    client = boto3.client("dynamodb")
    return int(client.scan(TableName=settings().offers_table, Select="COUNT")["Count"])


def _offers_applied(customer_id: str = ME) -> int:
    count: int = read("GetEngagementFunction", customer_id)["offersApplied"]
    return count


# ---- creating --------------------------------------------------------------------------------


def test_a_created_offer_answers_localized_with_its_id(frozen_clock: FrozenClock) -> None:
    now = frozen_clock.now()
    # from 03:00 tomorrow in Riyadh (midnight UTC), written with its offset, for a year and a bit
    tomorrow = (now + timedelta(days=1)).astimezone(ZoneInfo("Asia/Riyadh"))
    starts = tomorrow.replace(hour=3, minute=0, second=0, microsecond=0)
    ends = (now + timedelta(days=400)).replace(microsecond=123456)
    body = _body(
        minPurchase=50,
        maxDiscount="100",
        targeting={"segments": ["loyal", "champions", "loyal"], "tiers": ["gold"]},
        validFrom=starts.isoformat(),
        validUntil=ends.isoformat().replace("+00:00", "Z"),
        perCustomerLimit=2,
        totalLimit=500,
        currency="SAR",
    )
    reply = invoke("CreateOfferFunction", caller=ADMIN, body=body)
    assert reply.status == 201, reply.body
    assert re.fullmatch(r"[0-9a-f]{24}", reply.body["offerId"])
    assert reply.body == {
        "offerId": reply.body["offerId"],
        "title": "Weekend deal",
        "description": "Save on everything",
        "discountType": "percent",
        "discountValue": "10.00",
        "currency": "SAR",
        "minPurchase": "50.00",
        "maxDiscount": "100.00",
        "targeting": {"segments": ["loyal", "champions"], "tiers": ["gold"], "newCustomersOnly": False},
        "validFrom": f"{tomorrow:%Y-%m-%d}T00:00:00.000Z",
        "validUntil": f"{ends:%Y-%m-%dT%H:%M:%S}.123Z",  # milliseconds, truncated
        "perCustomerLimit": 2,
        "totalLimit": 500,
        "createdAt": f"{now:%Y-%m-%dT%H:%M:%S}.{now.microsecond // 1000:03d}Z",
    }
    arabic = invoke("CreateOfferFunction", caller=ADMIN, body=_body(), headers={"Accept-Language": "ar"})
    assert (arabic.status, arabic.body["title"], arabic.body["description"]) == (
        201,
        "عرض نهاية الأسبوع",
        "وفّر على كل شيء",
    )


def test_offer_defaults() -> None:
    reply = _create(discountType="fixed", discountValue=15)
    assert reply.status == 201, reply.body
    assert reply.body["targeting"] == {"segments": None, "tiers": None, "newCustomersOnly": False}
    assert (reply.body["perCustomerLimit"], reply.body["totalLimit"]) == (1, None)
    assert (reply.body["minPurchase"], reply.body["maxDiscount"]) == (None, None)
    assert reply.body["discountValue"] == "15.00"
    assert _create(discountValue="100").status == 201  # a percentage may be 100


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"discountValue": "0"}, "discountValue"),
        ({"discountValue": "100.01"}, "discountValue"),
        ({"discountValue": "-5"}, "discountValue"),
        ({"discountValue": "1.005"}, "discountValue"),
        ({"discountType": "fixed", "discountValue": 0}, "discountValue"),
        ({"discountType": "bogo"}, "discountType"),
        ({"discountType": "fixed", "discountValue": 10, "maxDiscount": 5}, "maxDiscount"),
        ({"maxDiscount": "0"}, "maxDiscount"),
        ({"minPurchase": "-1"}, "minPurchase"),
        ({"currency": "USD"}, "currency"),
        ({"validFrom": _IN_A_YEAR_AND_A_DAY, "validUntil": _IN_A_YEAR}, "validUntil"),
        ({"validFrom": _IN_A_YEAR, "validUntil": _IN_A_YEAR}, "validUntil"),
        ({"validFrom": _A_YEAR_AGO, "validUntil": _NOW}, "validUntil"),  # must be in the future
        ({"validFrom": _IN_A_YEAR.removesuffix("Z")}, "validFrom"),
        ({"validUntil": "next week"}, "validUntil"),
        ({"validUntil": "9999-12-31T23:00:00-05:00"}, "validUntil"),
        ({"targeting": {"segments": ["vip"]}}, "targeting.segments.0"),
        ({"targeting": {"tiers": ["diamond"]}}, "targeting.tiers.0"),
        ({"targeting": {"segments": []}}, "targeting.segments"),
        ({"targeting": {"newCustomers": True}}, "targeting.newCustomers"),
        ({"perCustomerLimit": 0}, "perCustomerLimit"),
        ({"perCustomerLimit": "2"}, "perCustomerLimit"),
        ({"totalLimit": 0}, "totalLimit"),
        ({"title": {"en": "Deal"}}, "title.ar"),
        ({"description": {"en": " ", "ar": "وصف"}}, "description.en"),
        ({"priority": 1}, "priority"),
    ],
)
def test_an_invalid_offer_is_400_and_writes_nothing(changes: dict[str, Any], field: str) -> None:
    before = _stored_offers()
    reply = _create(**changes)
    assert reply.status == 400, reply.body
    assert reply.content_type == "application/problem+json"
    assert field in [error["field"] for error in reply.body["errors"]]
    assert _stored_offers() == before


def test_an_offer_without_title_or_dates_is_400() -> None:
    body = _body()
    for missing in ("title", "discountType", "discountValue", "validFrom", "validUntil"):
        incomplete = {key: value for key, value in body.items() if key != missing}
        reply = invoke("CreateOfferFunction", caller=ADMIN, body=incomplete)
        assert reply.status == 400, missing
        assert missing in [error["field"] for error in reply.body["errors"]]


def test_creating_replayed_with_the_same_key_creates_one_offer() -> None:
    create_profile(ME)
    before = _stored_offers()
    key = {"Idempotency-Key": "offer-1"}
    body = _body(title={"en": "Once", "ar": "مرة"})
    first = invoke("CreateOfferFunction", caller=ADMIN, body=body, headers=key)
    again = invoke("CreateOfferFunction", caller=ADMIN, body=body, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert _stored_offers() == before + 2  # the offer and its lookup by id, once
    assert [item["title"] for item in _listed()].count("Once") == 1


# ---- applying ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offer", "amount", "discount", "final"),
    [
        ({"discountValue": "10", "maxDiscount": "15"}, "200", "15.00", "185.00"),  # capped
        ({"discountValue": "10", "maxDiscount": "15"}, "120", "12.00", "108.00"),  # under the cap
        ({"discountValue": "10"}, "99.99", "10.00", "89.99"),  # 9.999 rounds up
        ({"discountValue": "12.5"}, "1.00", "0.13", "0.87"),  # 0.125: half-up, not half-even
        ({"discountValue": "12.5"}, "0.04", "0.01", "0.03"),  # 0.005
        ({"discountValue": "100"}, 80.5, "80.50", "0.00"),
        ({"discountType": "fixed", "discountValue": "50"}, "30", "30.00", "0.00"),  # stops at the order
        ({"discountType": "fixed", "discountValue": "20"}, "150.50", "20.00", "130.50"),
        (
            {"discountType": "fixed", "discountValue": "20", "minPurchase": "150.50"},
            "150.50",
            "20.00",
            "130.50",
        ),
    ],
)
def test_discount_math(offer: dict[str, Any], amount: Any, discount: str, final: str) -> None:
    create_profile(ME)
    reply = _apply(_offer(**offer), "ORD-1", amount)
    assert reply.status == 201, reply.body
    assert re.fullmatch(r"[0-9a-f]{24}", reply.body.pop("applicationId"))
    assert reply.body == {
        "discountAmount": {"amount": discount, "currency": "SAR"},
        "finalAmount": {"amount": final, "currency": "SAR"},
    }


def test_applying_counts_engagement_and_signals_fraud_scoring(fraud_signals: Any) -> None:
    create_profile(ME)
    offer_id = _offer(perCustomerLimit=3)
    assert _offers_applied() == 0
    reply = _apply(offer_id, "ORD-1", "100")
    assert reply.status == 201
    assert _offers_applied() == 1
    (signal,) = fraud_signals()
    assert (signal["kind"], signal["customerId"]) == ("offer_application", ME)
    assert signal["messageId"] == f"offer_application:{reply.body['applicationId']}"
    assert signal["data"] == {
        "applicationId": reply.body["applicationId"],
        "offerId": offer_id,
        "orderId": "ORD-1",
        "orderAmount": "100.00",
        "discountAmount": "10.00",
    }
    assert _detail(offer_id).body["remainingUses"] == 2


def test_every_refusal_is_409_with_its_reason_and_writes_nothing(
    frozen_clock: FrozenClock, fraud_signals: Any
) -> None:
    create_profile(ME)
    create_profile(OTHER)
    purchase(OTHER, "P-1", "20")
    cases = {
        "offer-not-yet-valid": (_offer(validFrom=_at(timedelta(days=1))), "100", ME),
        "offer-tier-not-eligible": (_offer(targeting={"tiers": ["silver", "gold"]}), "100", ME),
        "offer-segment-not-eligible": (_offer(targeting={"segments": ["loyal", "champions"]}), "100", ME),
        "offer-new-customers-only": (_offer(targeting={"newCustomersOnly": True}), "100", OTHER),
        "offer-below-minimum": (_offer(minPurchase="100"), "99.99", ME),
    }
    for reason, (offer_id, amount, customer_id) in cases.items():
        reply = _apply(offer_id, "ORD-1", amount, customer_id)
        assert (reply.status, reply.body["type"]) == (409, f"/problems/{reason}"), reply.body
        assert reply.content_type == "application/problem+json"
    assert _apply(_offer(minPurchase="100"), "ORD-1", "100").status == 201  # the minimum is inclusive

    once = _offer()
    assert _apply(once, "ORD-2", "100").status == 201
    again = _apply(once, "ORD-3", "100")
    assert (again.status, again.body["type"]) == (409, "/problems/offer-customer-limit-reached")

    single = _offer(perCustomerLimit=5, totalLimit=1)
    assert _apply(single, "ORD-4", "100", OTHER).status == 201
    taken = _apply(single, "ORD-4", "100")
    assert (taken.status, taken.body["type"]) == (409, "/problems/offer-total-limit-reached")

    repeated = _offer(perCustomerLimit=5)
    assert _apply(repeated, "ORD-5", "100").status == 201
    replay = _apply(repeated, "ORD-5", "50")
    assert (replay.status, replay.body["type"]) == (409, "/problems/offer-order-already-applied")
    assert replay.body["detail"] == "This offer was already applied to order ORD-5."
    assert _apply(repeated, "ORD-6", "100").status == 201  # another order may take it

    ends_soon = _offer(validUntil=_at(timedelta(hours=1)))
    assert _offers_applied() == 4
    assert _offers_applied(OTHER) == 1
    assert len([s for s in fraud_signals() if s["kind"] == "offer_application"]) == 5
    frozen_clock.shift(timedelta(hours=2))
    expired = _apply(ends_soon, "ORD-7", "100")
    assert (expired.status, expired.body["type"]) == (409, "/problems/offer-expired")
    assert _offers_applied() == 4
    assert fraud_signals() == []


def test_refusals_are_explained_in_arabic() -> None:
    create_profile(ME, language="ar")
    offer_id = _offer(minPurchase="100")
    reply = _apply(offer_id, "ORD-1", "20")  # the sample's Accept-Language is en
    assert reply.body["detail"] == "This offer needs an order of at least 100.00 SAR."
    arabic = _apply(offer_id, "ORD-1", "20", headers={"Accept-Language": "ar"})
    assert (arabic.status, arabic.body["title"]) == (409, "تعارض")
    assert arabic.body["detail"] == "يتطلب هذا العرض طلبًا لا تقل قيمته عن 100.00 SAR."


def test_unknown_offer_or_customer_is_404() -> None:
    create_profile(ME)
    unknown = _apply("no-such-offer", "ORD-1", "100")
    assert (unknown.status, unknown.body["type"]) == (404, "/problems/offer-not-found")
    missing = _detail("no-such-offer")
    assert (missing.status, missing.body["type"]) == (404, "/problems/offer-not-found")
    offer_id = _offer()
    for reply in (
        _apply(offer_id, "ORD-1", "100", customer_id="nobody"),
        _detail(offer_id, customer_id="nobody"),
        invoke("ListOffersFunction", path={"customerId": "nobody"}, caller=claims("nobody")),
    ):
        assert (reply.status, reply.content_type, reply.body["type"]) == (
            404,
            "application/problem+json",
            "/problems/profile-not-found",
        )


@pytest.mark.parametrize(
    "body",
    [
        {"orderId": "ORD-1"},
        {"orderId": "", "orderAmount": {"amount": "10", "currency": "SAR"}},
        {"orderId": "ORD-1", "orderAmount": {"amount": "0", "currency": "SAR"}},
        {"orderId": "ORD-1", "orderAmount": {"amount": "10.001", "currency": "SAR"}},
        {"orderId": "ORD-1", "orderAmount": {"amount": "10", "currency": "USD"}},
        {"orderId": "ORD-1", "orderAmount": "10"},
        {"orderId": "ORD-1", "orderAmount": {"amount": "10", "currency": "SAR"}, "coupon": "X"},
    ],
)
def test_an_invalid_application_is_400_and_writes_nothing(body: dict[str, Any]) -> None:
    create_profile(ME)
    offer_id = _offer()
    reply = invoke(
        "ApplyOfferFunction", path={"customerId": ME, "offerId": offer_id}, caller=claims(ME), body=body
    )
    assert reply.status == 400, reply.body
    assert _detail(offer_id).body["remainingUses"] == 1
    assert _offers_applied() == 0


def test_an_application_replayed_with_the_same_key_has_one_effect(fraud_signals: Any) -> None:
    create_profile(ME)
    offer_id = _offer(perCustomerLimit=5)
    key = {"Idempotency-Key": "apply-1"}
    first = _apply(offer_id, "ORD-1", "100", headers=key)
    again = _apply(offer_id, "ORD-1", "100", headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert _detail(offer_id).body["remainingUses"] == 4
    assert _offers_applied() == 1
    assert len(fraud_signals()) == 1
    other_body = _apply(offer_id, "ORD-2", "100", headers=key)
    assert (other_body.status, other_body.body["type"]) == (409, "/problems/idempotency-key-reused")


def test_the_fraud_signal_commits_with_the_application(
    monkeypatch: pytest.MonkeyPatch, fraud_signals: Any
) -> None:
    create_profile(ME)
    offer_id = _offer()

    def unreachable(work: db.UnitOfWork) -> None:
        raise ConnectionError("DynamoDB unreachable")

    with monkeypatch.context() as outage:
        outage.setattr(db.UnitOfWork, "commit", unreachable)
        assert _apply(offer_id, "ORD-1", "100").status == 500
    assert (_offers_applied(), fraud_signals()) == (0, [])  # nothing applied, nothing signalled
    applied = _apply(offer_id, "ORD-1", "100")
    assert applied.status == 201
    assert [signal["messageId"] for signal in fraud_signals()] == [
        f"offer_application:{applied.body['applicationId']}"
    ]
    retry = _apply(offer_id, "ORD-1", "100")
    assert (retry.status, retry.body["type"]) == (409, "/problems/offer-order-already-applied")
    assert fraud_signals() == []


def test_an_application_retried_after_dying_past_its_commit_answers_the_first_201(
    monkeypatch: pytest.MonkeyPatch, fraud_signals: Any
) -> None:
    create_profile(ME)
    offer_id = _offer()  # once per customer: a second execution would be refused
    key = {"Idempotency-Key": "apply-1"}
    real = db.UnitOfWork.commit

    def dying(work: db.UnitOfWork) -> None:
        real(work)
        raise RuntimeError("died after the commit")

    with monkeypatch.context() as crash:
        crash.setattr(db.UnitOfWork, "commit", dying)
        assert _apply(offer_id, "ORD-1", "100", headers=key).status == 500
    retried = _apply(offer_id, "ORD-1", "100", headers=key)
    assert retried.status == 201
    again = _apply(offer_id, "ORD-1", "100", headers=key)
    assert (again.status, again.body) == (201, retried.body)
    assert _offers_applied() == 1
    assert _detail(offer_id).body["remainingUses"] == 0
    [signal] = fraud_signals()
    assert signal["data"]["applicationId"] == retried.body["applicationId"]


def _shard_uses(offer_id: str) -> tuple[int, ...]:
    """What each of the offer's use shards counts, as stored."""
    stored = repository.get_offer(offer_id)
    assert stored is not None
    return stored.shard_uses


def test_applying_writes_no_item_in_the_partition_every_offer_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    unlimited = _offer(perCustomerLimit=3)
    limited = _offer(perCustomerLimit=3, totalLimit=5)
    written = record_writes(monkeypatch)
    assert _apply(unlimited, "ORD-1", "100").status == 201
    offers_table = settings().offers_table
    assert [item.pk for item in written if item.table == offers_table] == [f"CUSTOMER#{ME}"] * 2
    written.clear()
    assert _apply(limited, "ORD-1", "100").status == 201
    pks = sorted(item.pk for item in written if item.table == offers_table)
    assert pks[:2] == [f"CUSTOMER#{ME}"] * 2
    assert re.fullmatch(rf"OFFER_USES#{limited}#[0-4]", pks[2]), pks
    assert len(pks) == 3  # the customer's uses, the application, one use shard: no `OFFERS` item
    assert _detail(unlimited).body["remainingUses"] == 2  # the customer's part alone
    assert _detail(limited).body["remainingUses"] == 2
    stored = repository.get_offer(limited)
    assert stored is not None
    assert (stored.used_count, sum(stored.shard_uses), len(stored.shard_uses)) == (1, 1, 5)


def test_applications_of_a_limited_offer_spread_over_its_use_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    customers = [f"customer-{number}" for number in range(12)]
    for customer_id in customers:
        create_profile(customer_id)
    offer_id = _offer(totalLimit=1000)
    written = record_writes(monkeypatch)
    for customer_id in customers:
        assert _apply(offer_id, "ORD-1", "100", customer_id).status == 201
    assert [item for item in written if item.pk == "OFFERS"] == []
    shards = [item.pk for item in written if item.pk.startswith(f"OFFER_USES#{offer_id}#")]
    assert len(shards) == 12
    # at random over 16 shards: 12 applications in at most 3 of them has a chance of about 1e-6
    assert len(set(shards)) >= 4, shards
    uses = _shard_uses(offer_id)
    assert (len(uses), sum(uses)) == (16, 12)
    create_profile(ME)
    assert _detail(offer_id).body["remainingUses"] == 1  # the customer's own limit
    assert _listed()[0]["remainingUses"] == 1
    assert repository.get_offer(offer_id) == repository.offers_valid_after(clock.now())[0]


def test_an_offer_counted_before_its_use_shards_keeps_those_uses() -> None:
    """An offer whose record counted uses itself (before the shards): its shards take the rest."""
    from customer_id.offers.models import OFFERS_PK, OfferRecord, offer_key

    customers = [f"customer-{number}" for number in range(3)]
    for customer_id in customers:
        create_profile(customer_id)
    offer_id = _offer(totalLimit=5, perCustomerLimit=5)
    stored = repository.get_offer(offer_id)
    assert stored is not None
    OfferRecord(pk=OFFERS_PK, sk=offer_key(stored.valid_until, offer_id)).update(
        actions=[OfferRecord.used_count.set(3)]
    )
    assert _detail(offer_id, customers[0]).body["remainingUses"] == 2
    replies = [_apply(offer_id, "ORD-1", "100", customer_id) for customer_id in customers]
    assert [reply.status for reply in replies] == [201, 201, 409]
    assert replies[2].body["type"] == "/problems/offer-total-limit-reached"
    assert _shard_uses(offer_id) == (1, 1)
    assert _detail(offer_id, customers[0]).body["remainingUses"] == 0


def test_remaining_uses_is_the_smaller_of_the_customers_and_the_total_left() -> None:
    create_profile(ME)
    create_profile(OTHER)
    offer_id = _offer(perCustomerLimit=3, totalLimit=4)
    for number in range(3):
        assert _apply(offer_id, f"ORD-{number}", "100", customer_id=OTHER).status == 201
    assert _detail(offer_id).body["remainingUses"] == 1  # the total's 1 left, under ME's 3
    assert _detail(offer_id, OTHER).body["remainingUses"] == 0  # OTHER's own limit
    assert _apply(offer_id, "ORD-1", "100").status == 201
    assert _detail(offer_id).body["remainingUses"] == 0


@pytest.fixture
def all_checked_before_any_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 12 concurrent applications all pass the service's own checks before any commits, so
    that only the transaction's conditions stand between them and the limits. (A try after a
    failed condition goes on freely.)"""
    barrier = threading.Barrier(12, timeout=60)
    record = repository.record_application
    waited: set[int] = set()

    def record_together(*args: Any) -> None:
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()
        record(*args)

    monkeypatch.setattr(repository, "record_application", record_together)


@pytest.mark.guard("offers.repository:record_application#3")
@pytest.mark.usefixtures("all_checked_before_any_commits")
def test_the_total_limit_holds_under_concurrent_applications() -> None:
    customers = [f"customer-{number}" for number in range(12)]
    for customer_id in customers:
        create_profile(customer_id)
    offer_id = _offer(totalLimit=3)
    with ThreadPoolExecutor(12) as pool:
        replies = list(pool.map(lambda customer_id: _apply(offer_id, "ORD-1", "100", customer_id), customers))
    assert sorted(reply.status for reply in replies) == [201] * 3 + [409] * 9
    assert {reply.body["type"] for reply in replies if reply.status == 409} == {
        "/problems/offer-total-limit-reached"
    }
    stored = repository.get_offer(offer_id)
    assert stored is not None
    assert stored.used_count == 3
    assert stored.shard_uses == (1, 1, 1)
    assert sum(_offers_applied(customer_id) for customer_id in customers) == 3


@pytest.mark.guard("offers.repository:record_application#3")
def test_the_total_limit_is_exact_when_customers_race_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    customers = [f"customer-{number}" for number in range(12)]
    for customer_id in customers:
        create_profile(customer_id)
    offer_id = _offer(totalLimit=5)
    replies = race(
        monkeypatch,
        *[partial(_apply, offer_id, "ORD-1", "100", customer_id) for customer_id in customers],
    )
    assert sorted(reply.status for reply in replies) == [201] * 5 + [409] * 7
    assert {reply.body["type"] for reply in replies if reply.status == 409} == {
        "/problems/offer-total-limit-reached"
    }
    assert _shard_uses(offer_id) == (1,) * 5
    assert sum(_offers_applied(customer_id) for customer_id in customers) == 5
    assert _detail(offer_id, customers[0]).body["remainingUses"] == 0


@pytest.mark.guard("offers.repository:record_application#3")
def test_a_shard_filled_meanwhile_sends_the_application_to_one_with_room(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_profile(ME)
    create_profile(OTHER)
    offer_id = _offer(totalLimit=2)  # two shards of one use each
    offered: list[list[int]] = []

    def first_with_room(with_room: list[int]) -> int:
        offered.append(with_room)
        return with_room[0]

    monkeypatch.setattr(applications, "choose_shard", first_with_room)
    order = OfferApplicationInput.model_validate(
        {"orderId": "ORD-1", "orderAmount": {"amount": "100", "currency": "SAR"}}
    )
    others: list[OfferApplicationOutput] = []

    def other_takes_shard_0() -> None:  # another customer's request: its own thread, as in Lambda
        applying = threading.Thread(target=lambda: others.append(applications.apply(OTHER, offer_id, order)))
        applying.start()
        applying.join()

    mine = meanwhile(monkeypatch, lambda: _apply(offer_id, "ORD-1", "100"), other_takes_shard_0)
    assert mine.status == 201
    assert len(others) == 1
    assert (_offers_applied(), _offers_applied(OTHER)) == (1, 1)
    # mine chose shard 0 too, found it full at commit, read the shards again and took shard 1
    assert offered == [[0, 1], [0, 1], [1]]
    assert _shard_uses(offer_id) == (1, 1)
    create_profile("customer-third")
    sold_out = _apply(offer_id, "ORD-1", "100", "customer-third")
    assert (sold_out.status, sold_out.body["type"]) == (409, "/problems/offer-total-limit-reached")


@pytest.mark.parametrize("reason", ["TransactionConflict", "ThrottlingError"])
def test_the_total_limit_is_exact_under_contention(monkeypatch: pytest.MonkeyPatch, reason: str) -> None:
    """A third of the transactions cancelled (another transaction on the items, or an item over its
    throughput) while 9 customers race for 5 uses: every answer is a use, the limit, or busy."""
    customers = [f"customer-{number}" for number in range(9)]
    for customer_id in customers:
        create_profile(customer_id)
    offer_id = _offer(totalLimit=5)
    with contention(monkeypatch, reason, every=3) as injected:
        replies = race(
            monkeypatch,
            *[partial(_apply, offer_id, "ORD-1", "100", customer_id) for customer_id in customers],
        )
    assert injected.answered >= 3
    problems = {(reply.status, reply.body["type"]) for reply in replies if reply.status != 201}
    assert problems <= {(409, "/problems/offer-total-limit-reached"), (503, "/problems/offer-busy")}
    used = [reply.status for reply in replies].count(201)
    assert sum(_shard_uses(offer_id)) == used
    assert sum(_offers_applied(customer_id) for customer_id in customers) == used
    assert sorted(reply.status for reply in replies) == [201] * 5 + [409] * 4  # none left busy


@pytest.mark.guard("offers.repository:record_application#2")
@pytest.mark.usefixtures("all_checked_before_any_commits")
def test_the_per_customer_limit_holds_under_concurrent_applications() -> None:
    create_profile(ME)
    offer_id = _offer(perCustomerLimit=2)
    with ThreadPoolExecutor(12) as pool:
        replies = list(pool.map(lambda number: _apply(offer_id, f"ORD-{number}", "100"), range(12)))
    assert sorted(reply.status for reply in replies) == [201] * 2 + [409] * 10
    assert {reply.body["type"] for reply in replies if reply.status == 409} == {
        "/problems/offer-customer-limit-reached"
    }
    stored = repository.get_offer(offer_id)
    assert stored is not None
    assert stored.used_count == 0  # no total limit: the uses of all customers are not counted
    assert _offers_applied() == 2
    assert _detail(offer_id).body["remainingUses"] == 0


@pytest.mark.guard("offers.repository:record_application#1")
@pytest.mark.usefixtures("all_checked_before_any_commits")
def test_an_order_takes_an_offer_once_under_concurrent_applications() -> None:
    create_profile(ME)
    offer_id = _offer(perCustomerLimit=12)
    with ThreadPoolExecutor(12) as pool:
        replies = list(pool.map(lambda _: _apply(offer_id, "ORD-1", "100"), range(12)))
    assert sorted(reply.status for reply in replies) == [201] + [409] * 11
    assert {reply.body["type"] for reply in replies if reply.status == 409} == {
        "/problems/offer-order-already-applied"
    }
    assert _detail(offer_id).body["remainingUses"] == 11
    assert _offers_applied() == 1


# ---- listing -----------------------------------------------------------------------------------


def test_the_list_is_exactly_the_eligible_offers_best_value_first() -> None:
    create_profile(ME)  # bronze, segment `new`, no purchase yet: ranked on an order of 100
    create_profile(OTHER)
    soon, later = timedelta(days=10), timedelta(days=30)
    twenty_soon = _offer(discountType="fixed", discountValue="20", validUntil=_at(soon))
    twenty_later = _offer(discountValue="30", maxDiscount="20", validUntil=_at(later))
    five = _offer(discountType="fixed", discountValue="5")
    above_average = _offer(discountValue="50", minPurchase="150")  # gives nothing on 100
    bronze_and_new = _offer(
        discountValue="8", targeting={"tiers": ["bronze", "gold"], "segments": ["new", "loyal"]}
    )
    first_order = _offer(discountValue="7", targeting={"newCustomersOnly": True})
    shared = _offer(discountValue="6", perCustomerLimit=3, totalLimit=5)
    for number in range(3):
        assert _apply(shared, f"O-{number}", "100", OTHER).status == 201
    assert _apply(shared, "ORD-1", "100").status == 201
    # not for this customer
    _offer(validFrom=_at(timedelta(days=1)))
    _offer(targeting={"tiers": ["gold"]})
    _offer(targeting={"tiers": ["bronze"], "segments": ["loyal"]})  # AND: the segment fails
    _offer(targeting={"segments": ["champions"]})
    used_up = _offer(discountValue="40")
    assert _apply(used_up, "ORD-2", "100").status == 201
    sold_out = _offer(discountValue="40", perCustomerLimit=2, totalLimit=1)
    assert _apply(sold_out, "O-9", "100", OTHER).status == 201

    items = _listed()
    assert [item["offerId"] for item in items] == [
        demo.OFFER_WELCOME,  # fixed 25, from 100
        twenty_soon,  # 20, ends first
        twenty_later,  # 30% of 100, capped at 20
        demo.OFFER_EVERYONE,  # 10% of 100
        bronze_and_new,
        first_order,
        shared,
        five,
        above_average,
    ]
    remaining = {item["offerId"]: item["remainingUses"] for item in items}
    assert remaining[shared] == 1  # min(3 - 1, 5 - 4)
    assert remaining[demo.OFFER_EVERYONE] == 3
    assert remaining[five] == 1
    assert items[1]["title"] == "Weekend deal"


def test_the_list_ranks_on_the_customers_average_order() -> None:
    create_profile(ME)
    assert purchase(ME, "P-1", "200").status == 201
    assert purchase(ME, "P-2", "400").status == 201  # average 300
    percent = _offer(discountValue="10")  # 30
    fixed = _offer(discountType="fixed", discountValue="25")
    capped = _offer(discountValue="50", maxDiscount="29.99")
    out_of_reach = _offer(discountValue="50", minPurchase="300.01")
    assert _ids() == [percent, demo.OFFER_EVERYONE, capped, fixed, out_of_reach]


def test_tiers_and_segments_open_offers() -> None:
    create_profile(ME)
    silver = _offer(targeting={"tiers": ["silver"]})
    gold = _offer(targeting={"tiers": ["gold"]})
    potential = _offer(targeting={"segments": ["potential_loyalist"]})
    assert {silver, gold, potential, demo.OFFER_SILVER_PLUS} & set(_ids()) == set()
    assert purchase(ME, "P-1", "600").status == 201
    assert purchase(ME, "P-2", "400").status == 201  # 1000 points: silver; two recent purchases
    listed = set(_ids())
    assert {silver, potential, demo.OFFER_SILVER_PLUS} <= listed
    assert gold not in listed
    assert demo.OFFER_WELCOME not in listed  # no longer new


def test_offers_are_listed_from_validfrom_until_before_validuntil(frozen_clock: FrozenClock) -> None:
    create_profile(ME)
    boundary = clock.now().replace(microsecond=0) + timedelta(hours=1)
    ending = _offer(validUntil=clock.iso(boundary))
    starting = _offer(validFrom=clock.iso(boundary))
    assert ending in _ids()
    assert starting not in _ids()
    frozen_clock.move_to(boundary)
    listed = _ids()
    assert ending not in listed  # validUntil is exclusive
    assert starting in listed  # validFrom is inclusive
    assert _detail(ending).body["eligibility"]["eligible"] is False
    assert _detail(starting).body["eligibility"]["eligible"] is True
    assert _apply(ending, "ORD-1", "100").body["type"] == "/problems/offer-expired"
    assert _apply(starting, "ORD-1", "100").status == 201


def test_the_list_is_localized_and_staff_may_read_it() -> None:
    create_profile(ME, language="ar")
    offer_id = _offer()
    arabic = {item["offerId"]: item for item in _listed(language="ar")}
    assert arabic[offer_id]["title"] == "عرض نهاية الأسبوع"
    assert arabic[demo.OFFER_EVERYONE]["description"] == "خصم 10٪ على أي طلب بحد أقصى 50 ريالًا، ثلاث مرات."
    english = {item["offerId"]: item for item in _listed(language="en")}
    assert english[offer_id]["title"] == "Weekend deal"
    # no Accept-Language: the customer's profile language
    own = invoke(
        "ListOffersFunction", path={"customerId": ME}, caller=claims(ME), headers={"Accept-Language": ""}
    )
    assert {item["offerId"]: item["title"] for item in own.body["items"]}[offer_id] == "عرض نهاية الأسبوع"
    staff = invoke("ListOffersFunction", path={"customerId": ME}, caller=AGENT)
    assert staff.status == 200
    assert [item["offerId"] for item in staff.body["items"]] == list(english)


# ---- detail ------------------------------------------------------------------------------------


def test_the_detail_says_whether_the_customer_may_apply_and_why_not(frozen_clock: FrozenClock) -> None:
    create_profile(ME)
    open_offer = _offer(perCustomerLimit=2, totalLimit=10)
    reply = _detail(open_offer)
    assert reply.status == 200
    assert reply.body["eligibility"] == {"eligible": True, "reason": None}
    assert (reply.body["remainingUses"], reply.body["title"]) == (2, "Weekend deal")
    assert _detail(open_offer, caller=AGENT).body == reply.body

    starts = _at(timedelta(days=2))
    future = _offer(validFrom=starts)
    assert _detail(future).body["eligibility"] == {
        "eligible": False,
        "reason": f"This offer starts at {starts}.",
    }
    gold = _offer(targeting={"tiers": ["gold"]})
    assert _detail(gold).body["eligibility"] == {
        "eligible": False,
        "reason": "This offer is for other loyalty tiers.",
    }
    assert _detail(gold, language="ar").body["eligibility"]["reason"] == "هذا العرض مخصص لمستويات ولاء أخرى."
    loyal = _offer(targeting={"segments": ["loyal"]})
    assert _detail(loyal).body["eligibility"]["reason"] == "This offer is for other customer segments."
    once = _offer()
    assert _apply(once, "ORD-1", "100").status == 201
    used = _detail(once).body
    assert used["remainingUses"] == 0
    assert used["eligibility"]["reason"] == (
        "This offer can be used 1 time(s) per customer, and all of them have been used."
    )

    ends = _at(timedelta(hours=1))
    ending = _offer(validUntil=ends)
    frozen_clock.shift(timedelta(hours=1))
    expired = _detail(ending)
    assert expired.status == 200
    assert expired.body["eligibility"] == {"eligible": False, "reason": f"This offer ended at {ends}."}
    assert expired.body["validUntil"] == ends


def test_the_detail_of_a_sold_out_offer() -> None:
    create_profile(ME)
    create_profile(OTHER)
    purchase(OTHER, "P-1", "20")
    offer_id = _offer(totalLimit=1, targeting={"newCustomersOnly": True})
    assert _detail(offer_id, OTHER).body["eligibility"]["reason"] == (
        "This offer is only for new customers, before their first purchase."
    )
    assert _apply(offer_id, "ORD-1", "100").status == 201
    sold_out = _detail(offer_id, OTHER, language="ar").body
    assert sold_out["remainingUses"] == 0
    # targeting is checked before the limits
    assert sold_out["eligibility"]["reason"] == "هذا العرض مخصص للعملاء الجدد فقط قبل أول عملية شراء."
    create_profile("customer-third")
    assert _detail(offer_id, "customer-third").body["eligibility"] == {
        "eligible": False,
        "reason": "This offer has reached its limit of 1 uses.",
    }
