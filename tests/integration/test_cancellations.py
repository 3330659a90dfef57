"""Cancelled redemptions (API.md "Returns, cancellations and data rights", rule "Returns and
cancellations"): the points go back into the lots they came from, with their original expiry, as a
`refund`; points whose lot has expired meanwhile expire at once; the voucher is void; the customer
may cancel within 30 minutes, staff at any time; once."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from customer_id.db import customer_key
from customer_id.loyalty import ledger as loyalty_ledger
from customer_id.loyalty import repository
from customer_id.loyalty.models import ACCOUNT_SK, CatalogItem, LoyaltyAccountRecord, PointLotRecord
from tests.clock import FrozenClock
from tests.harness import NO_CLAIMS, Reply, claims, invoke
from tests.integration.helpers import ADMIN, account, adjust, create_profile, ledger, problem
from tests.races import meanwhile, race

ME = "customer-canceller"
OTHER = "customer-other"
AGENT = claims("agent-1", "agents")


def _redeem(item_id: str = "coffee-voucher", customer_id: str = ME) -> Reply:
    reply = invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"itemId": item_id},
    )
    assert reply.status == 201, reply.body
    return reply


def _cancel(
    redemption_id: str, customer_id: str = ME, caller: dict[str, str] | None = None, **options: Any
) -> Reply:
    return invoke(
        "CancelLoyaltyRedemptionFunction",
        path={"customerId": customer_id, "redemptionId": redemption_id},
        caller=claims(customer_id) if caller is None else caller,
        body={},
        **options,
    )


def _lots(customer_id: str = ME) -> list[tuple[str, int, datetime, str]]:
    """The stored lots, oldest first: (key, remaining, expiresAt, expiryShard)."""
    return [
        (record.sk, int(record.remaining), record.expires_at, record.expiry_shard)
        for record in PointLotRecord.query(
            customer_key(customer_id), PointLotRecord.sk.startswith("LOT#"), consistent_read=True
        )
    ]


def _unsettled(customer_id: str = ME) -> int:
    record = LoyaltyAccountRecord.get(customer_key(customer_id), ACCOUNT_SK, consistent_read=True)
    return int(record.unsettled or 0)


def _earn_at(frozen_clock: FrozenClock, ago: timedelta, points: int) -> None:
    """A credit of `points` made `ago` before now (a lot earned then), the clock put back after."""
    now = frozen_clock.now()
    frozen_clock.move_to(now - ago)
    assert adjust(ME, points, f"credit {ago.days} days ago").status == 201
    frozen_clock.move_to(now)


# ---- the rule ---------------------------------------------------------------------------------


def test_a_cancelled_redemption_refunds_its_points_and_voids_the_voucher(queued_notifications: Any) -> None:
    create_profile(ME)
    adjust(ME, 1000)
    redeemed = _redeem().body
    before = account(ME)

    reply = _cancel(redeemed["redemptionId"])

    assert reply.status == 200, reply.body
    refund = ledger(ME)[0]
    assert reply.body == {
        "redemptionId": redeemed["redemptionId"],
        "status": "cancelled",
        "pointsRefunded": 300,
        "balanceAfter": 1000,
        "transactionId": refund["transactionId"],
    }
    assert (refund["type"], refund["points"], refund["balanceAfter"]) == ("refund", 300, 1000)
    assert refund["source"] == {"kind": "redemption", "id": redeemed["redemptionId"]}
    assert [entry["type"] for entry in ledger(ME, type="refund")] == ["refund"]  # a valid filter
    after = account(ME)
    assert (after["pointsBalance"], after["lifetimePoints"], after["tier"]) == (
        1000,
        before["lifetimePoints"],
        before["tier"],
    )
    stored = repository.get_redemption(ME, redeemed["redemptionId"])
    assert stored is not None
    assert stored.status == "cancelled"  # the voucher is void
    [notice] = queued_notifications("points_refunded")
    assert (notice["category"], notice["customerId"]) == ("loyalty", ME)
    assert notice["params"] == {"points": 300, "voucherCode": redeemed["voucherCode"]}


def test_twice_is_409_and_refunds_once() -> None:
    create_profile(ME)
    adjust(ME, 1000)
    redemption = _redeem().body["redemptionId"]
    assert _cancel(redemption).status == 200
    assert problem(_cancel(redemption)) == (409, "/problems/redemption-already-cancelled")
    assert problem(_cancel(redemption, caller=AGENT)) == (409, "/problems/redemption-already-cancelled")
    assert account(ME)["pointsBalance"] == 1000
    assert [entry["type"] for entry in ledger(ME)] == ["refund", "redeem", "adjust"]


def test_the_points_go_back_into_the_lots_they_came_from_with_their_expiry(
    frozen_clock: FrozenClock,
) -> None:
    create_profile(ME)
    _earn_at(frozen_clock, timedelta(days=200), 100)  # spent whole: the lot is deleted
    _earn_at(frozen_clock, timedelta(days=100), 500)  # spent in part
    _earn_at(frozen_clock, timedelta(days=10), 50)  # not touched
    lots = _lots()
    redemption = _redeem().body["redemptionId"]
    assert [(key, remaining) for key, remaining, _, _ in _lots()] == [(lots[1][0], 300), (lots[2][0], 50)]

    assert _cancel(redemption).status == 200

    assert _lots() == lots  # the same keys, points, expiry and expiry index key
    assert account(ME)["pointsBalance"] == 650


def test_points_whose_lot_expired_meanwhile_expire_at_once(frozen_clock: FrozenClock) -> None:
    create_profile(ME)
    _earn_at(frozen_clock, timedelta(days=364), 100)  # expires in a day or two
    _earn_at(frozen_clock, timedelta(days=30), 500)
    _, young = _lots()
    redemption = _redeem().body["redemptionId"]  # 100 from the old lot, 200 from the young one
    frozen_clock.shift(timedelta(days=3))  # the old lot has expired; staff may still cancel

    reply = _cancel(redemption, caller=AGENT)

    assert reply.status == 200, reply.body
    assert (reply.body["pointsRefunded"], reply.body["balanceAfter"]) == (300, 500)
    expired, refund = ledger(ME)[:2]
    assert (refund["type"], refund["points"], refund["balanceAfter"]) == ("refund", 300, 600)
    assert (expired["type"], expired["points"], expired["balanceAfter"]) == ("expire", -100, 500)
    assert reply.body["transactionId"] == refund["transactionId"]
    assert _lots() == [young]  # the expired lot is not put back
    assert account(ME)["pointsBalance"] == 500


# ---- who and when -----------------------------------------------------------------------------


def test_the_customer_may_cancel_for_30_minutes(frozen_clock: FrozenClock) -> None:
    create_profile(ME)
    adjust(ME, 1000)
    on_time, late = _redeem().body["redemptionId"], _redeem().body["redemptionId"]
    frozen_clock.shift(timedelta(minutes=30))
    assert _cancel(on_time).status == 200
    frozen_clock.shift(timedelta(microseconds=1))
    assert problem(_cancel(late)) == (409, "/problems/cancellation-window-closed")
    assert account(ME)["pointsBalance"] == 700


def test_staff_may_cancel_at_any_time(frozen_clock: FrozenClock) -> None:
    create_profile(ME)
    adjust(ME, 1000)
    redemption = _redeem().body["redemptionId"]
    frozen_clock.shift(timedelta(days=20))
    reply = _cancel(redemption, caller=AGENT)
    assert (reply.status, reply.body["balanceAfter"]) == (200, 1000)


def test_unknown_redemption_another_customer_and_no_token() -> None:
    create_profile(ME)
    create_profile(OTHER)
    adjust(ME, 1000)
    mine = _redeem().body["redemptionId"]
    assert problem(_cancel("no-such-redemption")) == (404, "/problems/redemption-not-found")
    assert problem(_cancel(mine, caller=claims(OTHER))) == (403, "/problems/forbidden")
    assert problem(_cancel(mine, customer_id=OTHER)) == (404, "/problems/redemption-not-found")
    assert problem(_cancel(mine, caller=NO_CLAIMS)) == (401, "/problems/unauthenticated")
    assert problem(_cancel(mine, customer_id="nobody", caller=AGENT)) == (404, "/problems/profile-not-found")
    assert account(ME)["pointsBalance"] == 700


def test_a_retried_cancellation_has_one_effect() -> None:
    create_profile(ME)
    adjust(ME, 1000)
    redemption = _redeem().body["redemptionId"]
    first = _cancel(redemption, idempotency_key="cancel-1")
    again = _cancel(redemption, idempotency_key="cancel-1")
    assert (again.status, again.body) == (first.status, first.body) == (200, first.body)
    assert account(ME)["pointsBalance"] == 1000
    assert [entry["type"] for entry in ledger(ME)] == ["refund", "redeem", "adjust"]


def test_a_cancellation_retried_after_dying_past_its_commit_answers_the_first_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The idempotency record is gone (the Lambda died after the commit and the record expired):
    the operation's outcome, committed with the refund, answers the retry."""
    from customer_id import idempotency

    create_profile(ME)
    adjust(ME, 1000)
    redemption = _redeem().body["redemptionId"]
    first = _cancel(redemption, idempotency_key="cancel-2")
    monkeypatch.setattr(idempotency, "run_once", lambda caller_id, key, event, context, process: process())
    again = _cancel(redemption, idempotency_key="cancel-2")
    assert (again.status, again.body) == (200, first.body)
    assert [entry["type"] for entry in ledger(ME)] == ["refund", "redeem", "adjust"]


# ---- races ------------------------------------------------------------------------------------


@pytest.fixture
def patch(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return monkeypatch


# with the account's seq (stage#1) and the entry's key (stage#2) unguarded, the redemption's status
# alone keeps the second cancellation out
@pytest.mark.guard(
    "loyalty.repository:stage#7", backs_up=("loyalty.repository:stage#1", "loyalty.repository:stage#2")
)
def test_racing_cancellations_refund_once(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    adjust(ME, 1000)
    redemption = _redeem().body["redemptionId"]
    replies = race(patch, lambda: _cancel(redemption), lambda: _cancel(redemption, caller=AGENT))
    assert sorted(reply.status for reply in replies) == [200, 409]
    assert [problem(reply) for reply in replies if reply.status == 409] == [
        (409, "/problems/redemption-already-cancelled")
    ]
    assert account(ME)["pointsBalance"] == 1000
    assert [entry["type"] for entry in ledger(ME)] == ["refund", "redeem", "adjust"]
    assert sum(remaining for _, remaining, _, _ in _lots()) == 1000


def test_a_cancellation_racing_a_redemption_never_overdraws(patch: pytest.MonkeyPatch) -> None:
    create_profile(ME)
    adjust(ME, 600)
    first = _redeem().body["redemptionId"]  # 300 left
    cancelled, redeemed = race(
        patch,
        lambda: _cancel(first),
        lambda: invoke(
            "CreateLoyaltyRedemptionFunction",
            path={"customerId": ME},
            caller=claims(ME),
            body={"itemId": "coffee-voucher"},
        ),
    )
    assert (cancelled.status, redeemed.status) == (200, 201), (cancelled.body, redeemed.body)
    entries = ledger(ME)[::-1]  # oldest first: each balanceAfter follows from the one before
    assert [entry["type"] for entry in entries[:2]] == ["adjust", "redeem"]
    assert sorted(entry["type"] for entry in entries[2:]) == ["redeem", "refund"]
    balances = [sum(entry["points"] for entry in entries[: index + 1]) for index in range(len(entries))]
    assert [entry["balanceAfter"] for entry in entries] == balances
    assert min(balances) >= 0
    assert balances[-1] == account(ME)["pointsBalance"] == 300
    assert sum(remaining for _, remaining, _, _ in _lots()) == 300


def test_a_redemption_committed_between_read_and_write_is_seen(patch: pytest.MonkeyPatch) -> None:
    """The cancellation read the account, then a redemption spent the lot it is to top up: it
    decides again on what is there now, so the lot gets exactly its points back."""
    create_profile(ME)
    adjust(ME, 600)
    first = _redeem().body["redemptionId"]
    reply = meanwhile(patch, lambda: _cancel(first), lambda: _redeem())
    assert reply.status == 200, reply.body
    assert account(ME)["pointsBalance"] == 300
    [(_, remaining, _, _)] = _lots()
    assert remaining == 300


# ---- lots, debt and the size of a transaction -------------------------------------------------


def _seed(count: int, points: int) -> list[str]:
    from tests.integration.test_loyalty import _seed_lots

    return _seed_lots(ME, count, points, timedelta(hours=1))


def test_a_cancellation_settles_the_accounts_debt_before_it_puts_lots_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A debit that left points owed on the oldest lots (its settling was contended): the refund
    must not put lots back under that debt, or the debt would come off the refunded lots."""
    create_profile(ME)
    keys = _seed(200, 5)  # 1,000 points on 200 lots
    coffee = _redeem().body["redemptionId"]  # lots 1-60
    monkeypatch.setattr(loyalty_ledger, "settle", lambda customer_id, at: None)  # the housekeeping is busy
    assert adjust(ME, -600).status == 201  # lots 61-180: 97 in its transaction, the rest owed
    assert _unsettled() == 115
    assert _cancel(coffee).status == 200
    assert _unsettled() == 0
    assert [key for key, _, _, _ in _lots()] == keys[:60] + keys[180:]
    assert sum(remaining for _, remaining, _, _ in _lots()) == account(ME)["pointsBalance"] == 400


def test_a_redemption_that_left_points_owed_knows_the_lots_they_came_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Debt from earlier debits fills most of the redemption's transaction: the points it could not
    take off there are owed, and come off the next lots when the debt is settled. It records those
    lots too, and a cancellation puts every point back where it was."""
    create_profile(ME)
    keys = _seed(320, 5)  # 1,600 points
    monkeypatch.setattr(loyalty_ledger, "settle", lambda customer_id, at: None)
    assert adjust(ME, -600).status == 201  # lots 1-120, 23 of them owed
    assert adjust(ME, -600).status == 201  # lots 121-240, 46 of them owed
    assert _unsettled() == 230
    coffee = _redeem().body["redemptionId"]  # settles 46 lots, takes 49 (245), owes 55 (11 lots)
    assert _unsettled() == 55
    stored = repository.get_redemption(ME, coffee)
    assert stored is not None
    assert stored.lots is not None
    assert [lot.key for lot in stored.lots] == keys[240:300]
    assert sum(lot.points for lot in stored.lots) == 300
    monkeypatch.undo()

    assert _cancel(coffee).status == 200

    assert [(key, remaining) for key, remaining, _, _ in _lots()] == [(key, 5) for key in keys[240:]]
    assert _unsettled() == 0
    assert account(ME)["pointsBalance"] == 400


def test_a_redemption_spread_over_more_lots_than_a_cancellation_holds_is_409() -> None:
    create_profile(ME)
    repository.put_catalog_item(CatalogItem("big-voucher", {"en": "Big voucher"}, 500, "bronze"))
    _seed(110, 5)
    redemption = _redeem("big-voucher").body["redemptionId"]  # 100 lots
    lots = _lots()
    assert problem(_cancel(redemption, caller=AGENT)) == (409, "/problems/redemption-not-refundable")
    assert (_lots(), account(ME)["pointsBalance"]) == (lots, 50)


# ---- the notification -------------------------------------------------------------------------


def test_the_refund_is_announced_in_the_customers_language(consume: Any) -> None:
    """Rendered in the profile's language when sent (the email), in the reader's in the inbox."""
    create_profile(ME, language="ar", email=f"{ME}@example.com")
    adjust(ME, 1000)
    redeemed = _redeem().body
    assert _cancel(redeemed["redemptionId"], caller=AGENT).status == 200
    consume("NotificationDispatcherFunction")
    sent = ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_REGION"]].sent_messages
    [email] = [message for message in sent if f"{ME}@example.com" in str(message.destinations)]
    assert email.subject == "تم إلغاء الاستبدال"
    inbox = invoke(
        "ListNotificationsFunction",
        path={"customerId": ME},
        caller=claims(ME),
        headers={"Accept-Language": "en"},
    ).body["items"]
    [notice] = [item for item in inbox if item["category"] == "loyalty"]
    assert (notice["title"], notice["body"]) == (
        "Redemption cancelled",
        f"Your voucher {redeemed['voucherCode']} is cancelled and no longer valid; "
        "its 300 points are back in your account.",
    )


def test_invalid_input_is_400_and_writes_nothing() -> None:
    create_profile(ME)
    adjust(ME, 1000)
    redemption = _redeem().body["redemptionId"]
    reply = invoke(
        "CancelLoyaltyRedemptionFunction",
        path={"customerId": ME, "redemptionId": redemption},
        caller=claims(ME),
        body={"reason": "changed my mind"},
    )
    assert problem(reply) == (400, "/problems/invalid-input")
    assert account(ME)["pointsBalance"] == 700
    empty = invoke(
        "CancelLoyaltyRedemptionFunction",
        path={"customerId": ME, "redemptionId": redemption},
        caller=claims(ME),
        raw_body="",
    )
    assert empty.status == 200, empty.body


def test_a_refund_leaves_lifetime_points_as_they_were() -> None:
    """`lifetimePoints` counts earned points: redemptions never change it, nor do their refunds."""
    create_profile(ME)
    assert (
        invoke(
            "RecordPurchaseFunction",
            path={"customerId": ME},
            caller=ADMIN,
            body={"orderId": "O-1", "amount": "500.00", "currency": "SAR", "channel": "web"},
        ).status
        == 201
    )
    redemption = _redeem().body["redemptionId"]
    assert _cancel(redemption).status == 200
    state = account(ME)
    assert (state["pointsBalance"], state["lifetimePoints"]) == (500, 500)
