"""Data rights (API.md "Data rights"): the export holds everything held about the customer, and
erasure makes every route of theirs 404 at once and leaves none of their personal data anywhere.

Both are tested against a customer who used every feature (`rights_scenario.build`), by scanning
every table of the stack: the export must represent every item that belongs to the customer (an
item kind the map below does not know fails the test, so a feature that starts keeping something
new must say where the export shows it), and after the erasure no table may hold the customer's
name, email, phone, IP address, device id, user agent or texts."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from customer_id import clock
from customer_id.support.chat import service as support_service
from customer_id.workflows.rights import erasure, export
from local_stack.streams import StreamPoller
from tests.harness import Reply, claims, deliver, handler, invoke, template
from tests.integration.helpers import ADMIN, create_profile, ledger, problem, purchase
from tests.integration.rights_scenario import (
    INTERNAL_COMMENT,
    NAME,
    RETURNS,
    TEXTS,
    Scenario,
    build,
    cognito_user,
    cognito_user_exists,
    scan_tables,
)
from tests.integration.support_helpers import AGENT, FAULTS
from tests.integration.test_route_matrix import CASES
from tests.integration.writes import record_writes
from tests.races import race

STRANGER = claims("rights-stranger")
NOT_FOUND = (404, "/problems/customer-not-found")
RIYADH = ZoneInfo("Asia/Riyadh")
ERASED = "[erased]"
# Tables whose items copy a request's answer or a queued message for a while, keyed by neither the
# customer nor anything the customer can be found by (a digest of caller, route and key; a message
# id): the idempotency records (Powertools' 48 h, outcomes 7 days) and the outbox (7 days). Each
# such item must carry its TTL, so that what it copies goes with it.
TRANSIENT = {"IdempotencyTable": "expiration", "OutboxTable": "expiresAt"}
KEPT_AT_MOST = timedelta(days=7)


def export_of(customer_id: str, caller: dict[str, str] | None = None, language: str = "en") -> Reply:
    return invoke(
        "ExportCustomerDataFunction",
        path={"customerId": customer_id},
        caller=caller or claims(customer_id),
        headers={"Accept-Language": language},
    )


def erase(customer_id: str, caller: dict[str, str] | None = None) -> Reply:
    return invoke(
        "EraseCustomerFunction", path={"customerId": customer_id}, caller=caller or claims(customer_id)
    )


def sweep(consume: Callable[[str], int]) -> int:
    """Relay the outbox and run the erasure worker until no step is left; the steps done."""
    steps = 0
    while done := consume("ErasureWorkerFunction"):
        steps += done
    return steps


def _s(item: dict[str, Any], name: str) -> str:
    return str(item[name]["S"])


def _n(item: dict[str, Any], name: str) -> int:
    return int(item[name]["N"])


# ---- the export ---------------------------------------------------------------------------------

Doc = dict[str, Any]


def _ids(items: list[Doc], name: str) -> set[str]:
    return {str(item[name]) for item in items}


def _local_day(instant: str) -> str:
    return datetime.fromisoformat(instant).astimezone(RIYADH).date().isoformat()


def _cents(amount: Doc) -> int:
    return int(Decimal(amount["amount"]) * 100)


def _net_cents(purchases: list[Doc]) -> int:
    """What the purchases count for in the aggregates: their amounts less what came back."""
    return sum(_cents(p["amount"]) - _cents(p["returnedAmount"]) for p in purchases)


def _in_bucket(item: dict[str, Any], doc: Doc) -> list[Doc]:
    """The exported purchases a DAY or MONTH bucket counts (the customer's calendar)."""
    kind, period, category = _s(item, "sk").split("#", 2)  # DAY#<day>#, MONTH#<month>#<category>
    if kind == "DAY":
        return [p for p in doc["purchases"] if _local_day(p["occurredAt"]) == period]
    return [
        p
        for p in doc["purchases"]
        if _local_day(p["occurredAt"])[:7] == period and (p["category"] or "") == category
    ]


def _redemption(item: dict[str, Any], doc: Doc) -> bool:
    """The redemption, its voucher, its status and the lots its points came from."""
    lots = [
        (_n(lot["M"], "points"), _s(lot["M"], "transaction_id"), _s(lot["M"], "expires_at"))
        for lot in item["lots"]["L"]
    ]
    shown = {
        r["redemptionId"]: (
            r["voucherCode"],
            r["status"],
            r["refundTransactionId"],
            [(lot["points"], lot["transactionId"], lot["expiresAt"]) for lot in r["lots"]],
        )
        for r in doc["loyalty"]["redemptions"]
    }
    stored = (
        _s(item, "voucher_code"),
        _s(item, "status"),
        item.get("refund_transaction_id", {}).get("S"),
        [(points, txn, clock.iso(datetime.fromisoformat(at))) for points, txn, at in lots],
    )
    return shown.get(_s(item, "redemption_id")) == stored


def _return(item: dict[str, Any], doc: Doc) -> bool:
    shown = {
        (p["purchaseId"], r["returnId"], r["amount"]["amount"], r["pointsReversed"], r["reason"])
        for p in doc["purchases"]
        for r in p["returns"]
    }
    stored = (
        _s(item, "purchase_id"),
        _s(item, "return_id"),
        _s(item, "amount"),
        _n(item, "points_reversed"),
        item.get("reason", {}).get("S"),
    )
    return stored in shown


def _engagement(item: dict[str, Any], doc: Doc) -> bool:
    counted = {
        "offers_applied": len(doc["offerApplications"]),
        "tickets_opened": len(doc["tickets"]),
        "chats_started": len(doc["chats"]),
        "referrals_made": len([r for r in doc["referrals"] if r["status"] in ("pending", "qualified")]),
        "rewards_claimed": len([r for r in doc["rewards"] if r["status"] == "claimed"]),
        "notifications_read": len([n for n in doc["notifications"] if n["readAt"] is not None]),
    }
    stored = {name: _n(item, name) for name in counted if name in item}
    return bool(stored) and all(stored[name] == counted[name] for name in stored)


def _window(item: dict[str, Any], doc: Doc) -> bool:
    """A fraud window entry names its fact: `<kind>:<id>` at the end of its key."""
    fact = _s(item, "sk").rsplit("#", 1)[1]
    kind, fact_id = fact.split(":", 1)
    return (
        fact_id
        in {
            "redemption": _ids(doc["loyalty"]["redemptions"], "redemptionId"),
            "purchase": _ids(doc["purchases"], "purchaseId"),
            "offer_application": _ids(doc["offerApplications"], "applicationId"),
            "security_event": _ids(doc["security"]["events"], "eventId"),
            "referral": _ids(doc["referrals"], "referralId")
            | {(doc["referredBy"] or {}).get("referralId", "")},
        }[kind]
    )


def _celebrant(item: dict[str, Any], doc: Doc) -> bool:
    occasion = _s(item, "occasion")
    shown = doc["specialDates"][occasion]
    return shown is not None and (shown["month"], shown["day"]) == (_n(item, "month"), _n(item, "day"))


# (table, first part of the sort key) -> how the export shows the item. Aggregates and markers are
# checked against the exported items they count or mark.
REPRESENTED: dict[tuple[str, str], Callable[[dict[str, Any], Doc], bool]] = {
    ("ProfileTable", "PROFILE"): lambda item, doc: (
        (doc["profile"]["displayName"], doc["profile"]["email"], doc["profile"]["phone"])
        == (_s(item, "display_name"), _s(item, "email"), _s(item, "phone"))
    ),
    ("LoyaltyTable", "ACCOUNT"): lambda item, doc: (
        (
            doc["loyalty"]["account"]["pointsBalance"],
            doc["loyalty"]["account"]["tier"],
            doc["loyalty"]["account"]["pointsDebt"],
        )
        == (_n(item, "balance"), _s(item, "tier"), _n(item, "points_debt") if "points_debt" in item else 0)
    ),
    ("LoyaltyTable", "TXN"): lambda item, doc: (
        _s(item, "transaction_id") in _ids(doc["loyalty"]["transactions"], "transactionId")
    ),
    ("LoyaltyTable", "LOT"): lambda item, doc: (
        _s(item, "transaction_id") in _ids(doc["loyalty"]["transactions"], "transactionId")
    ),
    ("LoyaltyTable", "REDEMPTION"): _redemption,
    ("LoyaltyTable", "EXPIRY_NOTICE"): lambda item, doc: any(
        n["category"] == "loyalty" for n in doc["notifications"]
    ),
    ("AnalyticsTable", "PURCHASE"): lambda item, doc: (
        (_s(item, "purchase_id"), _n(item, "returned_cents") if "returned_cents" in item else 0)
        in {(p["purchaseId"], _cents(p["returnedAmount"])) for p in doc["purchases"]}
    ),
    ("AnalyticsTable", "PURCHASE_ID"): lambda item, doc: (
        _s(item, "sk").split("#", 1)[1] in _ids(doc["purchases"], "purchaseId")
    ),
    ("AnalyticsTable", "RETURN"): _return,
    ("AnalyticsTable", "RETURN_ID"): lambda item, doc: (
        (_s(item, "sk").split("#", 1)[1], _s(item, "purchase_id"))
        in {(r["returnId"], p["purchaseId"]) for p in doc["purchases"] for r in p["returns"]}
    ),
    ("AnalyticsTable", "ORDER"): lambda item, doc: (
        (_s(item, "sk").split("#", 1)[1], _s(item, "purchase_id"))
        in {(p["orderId"], p["purchaseId"]) for p in doc["purchases"]}
    ),
    ("AnalyticsTable", "SUMMARY"): lambda item, doc: (
        (_n(item, "purchase_count"), _n(item, "spend_cents"))
        == (len(doc["purchases"]), _net_cents(doc["purchases"]))
    ),
    ("AnalyticsTable", "DAY"): lambda item, doc: (
        (_n(item, "purchases"), _n(item, "cents"))
        == (len(_in_bucket(item, doc)), _net_cents(_in_bucket(item, doc)))
    ),
    ("AnalyticsTable", "MONTH"): lambda item, doc: (
        (_n(item, "purchases"), _n(item, "cents"))
        == (len(_in_bucket(item, doc)), _net_cents(_in_bucket(item, doc)))
    ),
    ("AnalyticsTable", "ENGAGEMENT"): _engagement,
    ("SegmentsTable", "SEGMENT"): lambda item, doc: doc["segment"]["segmentId"] == _s(item, "segment_id"),
    ("OffersTable", "APPLICATION"): lambda item, doc: (
        (_s(item, "application_id"), "released_at" in item)
        in {(a["applicationId"], a["releasedAt"] is not None) for a in doc["offerApplications"]}
    ),
    ("OffersTable", "USAGE"): lambda item, doc: (  # a released application's use was given back
        _n(item, "uses")
        == len(
            [
                a
                for a in doc["offerApplications"]
                if a["offerId"] == _s(item, "sk").rsplit("#", 1)[1] and a["releasedAt"] is None
            ]
        )
    ),
    ("ReferralsTable", "CODE"): lambda item, doc: (doc["referralCode"] or {}).get("code") == _s(item, "code"),
    ("ReferralsTable", "REFERRED_BY"): lambda item, doc: (
        (doc["referredBy"] or {}).get("referralId") == _s(item, "referral_id")
    ),
    ("ReferralsTable", "REFERRAL"): lambda item, doc: (
        _s(item, "referral_id") in _ids(doc["referrals"], "referralId")
    ),
    ("ReferralsTable", "REFERRAL_STATS"): lambda item, doc: _n(item, "total") == len(doc["referrals"]),
    ("ReferralsTable", "PAYOUT"): lambda item, doc: (
        (_s(item, "referral_id"), _s(item, "transaction_id"))
        in {(r["referralId"], r["transactionId"]) for r in doc["referralRewards"]}
    ),
    ("ReferralsTable", "REWARD"): lambda item, doc: (
        _s(item, "transaction_id") in _ids(doc["referralRewards"], "transactionId")
    ),
    ("RewardsTable", "CELEBRANT"): _celebrant,
    ("RewardsTable", "REWARD"): lambda item, doc: _s(item, "reward_id") in _ids(doc["rewards"], "rewardId"),
    ("SupportTable", "TICKET"): lambda item, doc: _s(item, "ticket_id") in _ids(doc["tickets"], "ticketId"),
    ("SupportTable", "COMMENT"): lambda item, doc: (
        _s(item, "comment_id") in {c["commentId"] for t in doc["tickets"] for c in t["comments"]}
    ),
    ("SupportTable", "CHAT"): lambda item, doc: _s(item, "chat_id") in _ids(doc["chats"], "chatId"),
    ("SupportTable", "MESSAGE"): lambda item, doc: (
        _s(item, "message_id")
        in {m["messageId"] for c in doc["chats"] for m in c["messages"] if c["chatId"] == _s(item, "pk")[5:]}
    ),
    ("SupportTable", "VOTE"): lambda item, doc: (
        (_s(item, "pk").split("#", 1)[1], item["helpful"]["BOOL"])
        in {(v["faqId"], v["helpful"]) for v in doc["faqFeedback"]}
    ),
    ("NotificationsTable", "PREFERENCES"): lambda item, doc: (
        doc["notificationPreferences"]["channels"]["sms"] == item["channels"]["M"]["sms"]["BOOL"]
    ),
    ("NotificationsTable", "NOTIFICATION"): lambda item, doc: (
        _s(item, "notification_id") in _ids(doc["notifications"], "notificationId")
    ),
    ("NotificationsTable", "DELIVERY"): lambda item, doc: (
        _s(item, "notification_id") in _ids(doc["notifications"], "notificationId")
    ),
    ("SecurityTable", "SECURITY"): lambda item, doc: (
        doc["security"]["twoFactorEnabled"] == bool(item.get("two_factor_enabled", {}).get("BOOL", False))
    ),
    ("SecurityTable", "EVENT"): lambda item, doc: (
        _s(item, "event_id") in _ids(doc["security"]["events"], "eventId")
    ),
    ("SecurityTable", "ALERT"): lambda item, doc: (
        _s(item, "alert_id") in _ids(doc["security"]["alerts"], "alertId")
    ),
    ("SecurityTable", "ALERTREF"): lambda item, doc: (
        _s(item, "sk").split("#", 1)[1] in _ids(doc["security"]["alerts"], "alertId")
    ),
    ("SecurityTable", "DEVICE"): lambda item, doc: (
        _s(item, "sk").split("#", 1)[1] in _ids(doc["security"]["events"], "deviceId")
    ),
    ("SecurityTable", "LAST_LOGIN"): lambda item, doc: (
        _s(item, "device_id") in _ids(doc["security"]["events"], "deviceId")
    ),
    ("SecurityTable", "WINDOW"): _window,
    ("SecurityTable", "LATCH"): lambda item, doc: (
        _s(item, "sk").split("#", 1)[1] in _ids(doc["security"]["alerts"], "type")
    ),
}


def held_about(customer_id: str, tables: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """Every item of every table that belongs to the customer: in one of their partitions, or
    naming them as its customer, author, sender or referee, or keyed by them (a vote)."""
    partitions = {f"CUSTOMER#{customer_id}", f"CUSTOMER#{customer_id}#TICKETS"}
    found = []
    for table, items in tables.items():
        if table in TRANSIENT:
            continue
        for item in items:
            names = {
                item.get(name, {}).get("S")
                for name in ("customer_id", "author_id", "sender_id", "referee_id")
            }
            key = (item.get("pk", {}).get("S"), item.get("sk", {}).get("S"))
            if key[0] in partitions or customer_id in names or key[1] == f"VOTE#{customer_id}":
                found.append((table, item))
    return found


def _kind(table: str, item: dict[str, Any], customer_id: str) -> tuple[str, str]:
    sk = _s(item, "sk")
    if table == "ReferralsTable" and item.get("referee_id", {}).get("S") == customer_id:
        return (table, "REFERRED_BY")  # the referrer's list item of the customer's own referral
    return (table, sk.split("#", 1)[0])


def test_the_export_holds_everything_held_about_the_customer(
    consume: Callable[[str], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = build(consume)
    monkeypatch.setattr(export, "PAGE", 1)  # every list is read page by page, to its end
    monkeypatch.setattr(support_service, "MESSAGES_PER_READ", 1)  # and a chat, message by message
    reply = export_of(scenario.customer_id, AGENT, language="en")  # staff asks, in English
    assert reply.status == 200, reply.body
    doc = reply.body

    held = held_about(scenario.customer_id, scan_tables())
    kinds = {_kind(table, item, scenario.customer_id) for table, item in held}
    assert len(kinds) >= 38, kinds  # the scenario reached every feature
    missing = []
    for table, item in held:
        kind = _kind(table, item, scenario.customer_id)
        assert kind in REPRESENTED, f"the export does not know where {kind} shows: {item}"
        if not REPRESENTED[kind](item, doc):
            missing.append((kind, item))
    assert not missing, missing
    _returns_and_cancellations_shown(scenario, doc)

    text = json.dumps(doc, ensure_ascii=False)
    assert INTERNAL_COMMENT not in text
    # every text the customer wrote that the service keeps (a report's description is not kept:
    # its alert stands for it)
    assert all(value in text for name, value in TEXTS.items() if name != "security report")
    assert "We are on it." in text  # staff's public reply is the customer's to see
    # whoever asks, in whatever language: the customer's own reads, in their language (ar)
    assert doc == export_of(scenario.customer_id, language="ar").body
    mine = invoke(
        "GetSegmentFunction",
        path={"customerId": scenario.customer_id},
        caller=claims(scenario.customer_id),
        headers={"Accept-Language": "ar"},
    )
    assert doc["segment"] == mine.body
    assert doc["exportedAt"] == clock.iso(clock.now())


def _returns_and_cancellations_shown(scenario: Scenario, doc: Doc) -> None:
    """What the returns and the cancellation left, as the routes show it: each purchase as its
    detail route answers it (returns included), the account with its debt, the cancelled
    redemption with the lots it came from, the released application."""
    me = claims(scenario.customer_id)
    path = {"customerId": scenario.customer_id}
    for shown in doc["purchases"]:
        detail = invoke("GetPurchaseFunction", path={**path, "purchaseId": shown["purchaseId"]}, caller=me)
        assert shown == _ok(detail)
    by_id = {p["purchaseId"]: p for p in doc["purchases"]}
    partly, wholly = (
        by_id[scenario.ids["partly returned purchase"]],
        by_id[scenario.ids["wholly returned purchase"]],
    )
    assert [(r["returnId"], r["amount"]["amount"], r["reason"]) for r in partly["returns"]] == [
        (RETURNS["partial"], "200.00", "damaged in transit")
    ]
    assert (wholly["returnedAmount"], [r["returnId"] for r in wholly["returns"]]) == (
        wholly["amount"],
        [RETURNS["whole"]],
    )
    account = _ok(invoke("GetLoyaltyAccountFunction", path=path, caller=me))
    assert doc["loyalty"]["account"] == account
    assert account["pointsDebt"] > 0  # the reversals left a debt
    [cancelled] = [
        r for r in doc["loyalty"]["redemptions"] if r["redemptionId"] == scenario.ids["cancelled redemption"]
    ]
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelledAt"] == clock.iso(clock.now())
    [refund] = [t for t in doc["loyalty"]["transactions"] if t["type"] == "refund"]
    assert (refund["transactionId"], refund["source"]) == (
        cancelled["refundTransactionId"],
        {"kind": "redemption", "id": cancelled["redemptionId"]},
    )
    assert sum(lot["points"] for lot in cancelled["lots"]) == cancelled["pointsSpent"]
    credits = {t["transactionId"]: t for t in doc["loyalty"]["transactions"]}
    assert all(credits[lot["transactionId"]]["points"] > 0 for lot in cancelled["lots"])
    assert {r["status"] for r in doc["loyalty"]["redemptions"]} == {"active", "cancelled"}
    assert {t["type"] for t in doc["loyalty"]["transactions"]} >= {"reverse", "refund"}
    released = {a["applicationId"]: a["releasedAt"] for a in doc["offerApplications"]}
    assert released.pop(scenario.ids["released application"]) == clock.iso(clock.now())
    assert list(released.values()) == [None]  # the other application still counts


def test_an_export_over_lambdas_answer_limit_is_413_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile("rights-big")
    size = export.answer_size(export.export("rights-big"))
    monkeypatch.setattr(export, "MAX_ANSWER_BYTES", size - 1)
    assert problem(export_of("rights-big")) == (413, "/problems/export-too-large")
    monkeypatch.setattr(export, "MAX_ANSWER_BYTES", size)
    assert export_of("rights-big").status == 200


def test_a_customer_without_a_profile_has_nothing_to_export_or_erase() -> None:
    assert problem(export_of("rights-nobody")) == (404, "/problems/profile-not-found")
    assert problem(erase("rights-nobody")) == (404, "/problems/profile-not-found")


# ---- erasure ------------------------------------------------------------------------------------


def _customer_routes() -> list[tuple[str, str, str, str]]:
    """(function, method, path, who may call it) of every route under /customers/{customerId}."""
    return [
        (function.logical_id, route.method, route.path, CASES[(route.method, route.path)].access)
        for function in template().functions()
        for route in function.routes
        if route.path.startswith("/customers/{customerId}")
    ]


def _call(logical_id: str, path: str, customer_id: str, caller: dict[str, str]) -> Reply:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    parameters = {name: "any-id" for name in names} | {"customerId": customer_id}
    return invoke(logical_id, path=parameters, caller=caller)


def _admits(access: str, who: str) -> bool:
    """Whether a route's access lets `who` (customer, agent, admin) call it for the customer."""
    allowed = {
        "self": {"customer"},
        "self, staff": {"customer", "agent", "admin"},
        "self, admins": {"customer", "admin"},
        "admins": {"admin"},
    }
    return who in allowed[access]


def _everything_404s(customer_id: str) -> None:
    """Every /customers/{id}/... route: 404 to whoever may call it; 403 to whoever may not, and to
    another customer, as for anyone (access before existence)."""
    callers = {"customer": claims(customer_id), "agent": AGENT, "admin": ADMIN}
    routes = _customer_routes()
    assert len(routes) >= 43
    for logical_id, method, path, access in routes:
        for who, caller in callers.items():
            reply = _call(logical_id, path, customer_id, caller)
            if _admits(access, who):
                assert problem(reply) == NOT_FOUND, (method, path, who)
            else:
                assert reply.status == 403, (method, path, who, reply.body)
        assert _call(logical_id, path, customer_id, STRANGER).status == 403, (method, path)


def _referral_code_status(code: str) -> tuple[int, str]:
    return problem(invoke("GetReferralCodeFunction", path={"code": code}, caller={}))


def _ok(reply: Reply) -> Any:
    assert reply.status == 200, reply.body
    return reply.body


def _figures_others_rely_on(scenario: Scenario) -> dict[str, Any]:
    referrer, friend = scenario.referrer_id, scenario.friend_id
    segment = _ok(invoke("GetSegmentFunction", path={"customerId": friend}, caller=ADMIN))["segmentId"]
    return {
        "referrer's referrals": _ok(
            invoke("ListReferralsFunction", path={"customerId": referrer}, caller=claims(referrer))
        ),
        "referrer's account": _ok(
            invoke("GetLoyaltyAccountFunction", path={"customerId": referrer}, caller=ADMIN)
        ),
        "friend's account": _ok(
            invoke("GetLoyaltyAccountFunction", path={"customerId": friend}, caller=ADMIN)
        ),
        "friend's referral rewards": _ok(
            invoke("ListReferralRewardsFunction", path={"customerId": friend}, caller=ADMIN)
        ),
        "segment stats": {
            name: _ok(invoke("GetSegmentStatsFunction", path={"segmentId": name}, caller=ADMIN))
            for name in (segment, "potential_loyalist", "new")
        },
        "offer uses left": _ok(
            invoke(
                "GetOfferFunction",
                path={"customerId": friend, "offerId": scenario.offer_id},
                caller=claims(friend),
            )
        )["remainingUses"],
    }


def _second_ticket(customer_id: str) -> str:
    reply = invoke(
        "CreateTicketFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={
            "subject": f"{NAME} again",
            "description": f"{NAME} writes again",
            "categoryId": "orders",
            "priority": "low",
        },
    )
    assert reply.status == 201, reply.body
    return str(reply.body["ticketId"])


def _no_personal_data_anywhere(scenario: Scenario) -> None:
    """No table holds the customer's personal data or texts, except the transient copies (which
    expire within 7 days)."""
    marks = [*scenario.personal(), "Zainab Q."]  # the masked name too
    now = clock.now().timestamp()
    for table, items in scan_tables().items():
        for item in items:
            text = json.dumps(item, ensure_ascii=False)
            found = [mark for mark in marks if mark in text]
            if not found:
                continue
            assert table in TRANSIENT, (table, found, item)
            ttl = TRANSIENT[table]
            assert ttl in item, (table, item)
            expires: float = int(item[ttl]["N"])
            expires = expires / 1000 if expires > 10**11 else expires  # seconds, or milliseconds
            assert now < expires <= now + KEPT_AT_MOST.total_seconds() + 60, (table, item)


def _only_the_mark_is_left(customer_id: str) -> None:
    client = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"])
    for table in (
        "ProfileTable",
        "LoyaltyTable",
        "AnalyticsTable",
        "SegmentsTable",
        "OffersTable",
        "ReferralsTable",
        "RewardsTable",
        "SupportTable",
        "NotificationsTable",
        "SecurityTable",
    ):
        items = client.query(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CUSTOMER#{customer_id}"}},
        )["Items"]
        assert [item["sk"]["S"] for item in items] == (["ERASURE"] if table == "ProfileTable" else []), table


@pytest.mark.parametrize("steps", ["one step a table", "many small steps"])
def test_erasure_makes_the_customer_gone_and_keeps_what_others_rely_on(
    steps: str, consume: Callable[[str], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    if steps == "many small steps":  # a customer with a lot of data: every part takes several steps
        monkeypatch.setattr(erasure, "ITEMS_PER_STEP", 2)
        monkeypatch.setattr(erasure, "TEXTS_PER_STEP", 1)
    customer_id = cognito_user()
    scenario = build(consume, customer_id)
    more_tickets = [_second_ticket(customer_id)] if steps == "many small steps" else []
    code = scenario.code
    unknown_code = _referral_code_status("ZZZZZZZZ")
    before = _figures_others_rely_on(scenario)
    assert before["offer uses left"] == 1  # of 2: the customer's two uses, one released by a return

    reply = erase(customer_id)
    assert (reply.status, reply.body) == (202, {"customerId": customer_id, "status": "erasing"})
    _everything_404s(customer_id)  # at once, before the sweep has done anything
    assert problem(erase(customer_id)) == NOT_FOUND
    assert problem(erase(customer_id, ADMIN)) == NOT_FOUND

    done = sweep(consume)
    # referrals, tickets, chats, then 10 tables (one step each, and one that finds them empty) and
    # the identity; many more in small steps
    assert done >= 3 + 10 + 1 if steps == "one step a table" else done > 40, done

    assert _referral_code_status(code) == unknown_code
    after = _figures_others_rely_on(scenario)
    [shown] = after["referrer's referrals"]["items"]
    assert shown["refereeName"] == "Deleted customer"
    expected = before["referrer's referrals"]
    expected["items"][0]["refereeName"] = "Deleted customer"
    assert after == before | {"referrer's referrals": expected}

    for other in more_tickets:  # the second page of tickets
        shown_ticket = _ok(invoke("GetTicketFunction", path={"ticketId": other}, caller=AGENT))
        assert (shown_ticket["subject"], shown_ticket["description"]) == (ERASED, ERASED)
    ticket = _ok(invoke("GetTicketFunction", path={"ticketId": scenario.ticket_id}, caller=AGENT))
    assert (ticket["subject"], ticket["description"]) == (ERASED, ERASED)
    bodies = {(comment["authorRole"], comment["body"]) for comment in ticket["comments"]}
    assert bodies == {("customer", ERASED), ("staff", INTERNAL_COMMENT), ("staff", "We are on it.")}
    chat = _ok(invoke("GetChatFunction", path={"chatId": scenario.chat_id}, caller=AGENT, query={}))
    assert [(m["sender"], m["body"]) for m in chat["messages"]] == [
        ("customer", ERASED),
        ("agent", "Let me check."),
        ("customer", ERASED),
    ]

    assert not cognito_user_exists(customer_id)
    _everything_404s(customer_id)
    _no_personal_data_anywhere(scenario)
    _only_the_mark_is_left(customer_id)
    _no_returns_or_redemptions_anywhere(scenario)


def _no_returns_or_redemptions_anywhere(scenario: Scenario) -> None:
    """No table holds the customer's returns, the purchases they came from, the cancelled
    redemption or the released application any more, except the transient copies (whose TTL
    `_no_personal_data_anywhere` checks)."""
    marks = [*RETURNS.values(), "damaged in transit", *scenario.ids.values()]
    for table, items in scan_tables().items():
        if table in TRANSIENT:
            continue
        for item in items:
            text = json.dumps(item, ensure_ascii=False)
            assert not [mark for mark in marks if mark in text], (table, item)


def test_every_erasure_step_delivered_twice_changes_nothing_more(
    aws: Any, relay: StreamPoller, consume: Callable[[str], int]
) -> None:
    scenario = build(consume)
    assert erase(scenario.customer_id).status == 202
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    url = aws.names["ErasureJobsQueue"]
    delivered = 0
    while True:
        relay.drain()
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        messages = received.get("Messages", [])
        if not messages:
            break
        for message in messages:
            for _ in range(2):  # SQS hands a message over twice
                assert deliver("ErasureWorkerFunction", message["Body"]) == {"batchItemFailures": []}
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            delivered += 1
    assert delivered >= 14
    referrals = _ok(invoke("ListReferralsFunction", path={"customerId": scenario.referrer_id}, caller=ADMIN))[
        "items"
    ]
    assert [item["refereeName"] for item in referrals] == ["Deleted customer"]
    _no_personal_data_anywhere(scenario)
    _only_the_mark_is_left(scenario.customer_id)
    _no_returns_or_redemptions_anywhere(scenario)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_retried_delete(fault: str, consume: Callable[[str], int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A DELETE that died after its commit has erased (its retry: 404, the sweep runs once); one
    whose commit failed has done nothing (its retry erases)."""
    create_profile("rights-retried", displayName=NAME)
    with FAULTS[fault](monkeypatch):
        first = erase("rights-retried")
    assert first.status == 500
    retry = erase("rights-retried")
    if fault == "dies after the commit":
        assert problem(retry) == NOT_FOUND
    else:
        assert (retry.status, retry.body) == (202, {"customerId": "rights-retried", "status": "erasing"})
    assert sweep(consume) >= 12
    _only_the_mark_is_left("rights-retried")
    assert problem(erase("rights-retried")) == NOT_FOUND


def _record_return(customer_id: str, purchase_id: str, return_id: str, key: str | None = None) -> Reply:
    options: dict[str, Any] = {} if key is None else {"idempotency_key": key}
    return invoke(
        "RecordReturnFunction",
        path={"customerId": customer_id, "purchaseId": purchase_id},
        caller=ADMIN,
        body={"returnId": return_id, "amount": "10.00"},
        **options,
    )


def _cancel(customer_id: str, redemption_id: str, caller: dict[str, str]) -> Reply:
    return invoke(
        "CancelLoyaltyRedemptionFunction",
        path={"customerId": customer_id, "redemptionId": redemption_id},
        caller=caller,
        body={},
    )


def test_an_erased_customers_returns_and_cancellations_are_404_and_write_nothing(
    consume: Callable[[str], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order service's return (an admin's route) and a cancellation, by the customer or staff, of
    a purchase and a redemption that existed: 404 from the moment of the DELETE, before the sweep
    and after it, with nothing written; a return retried with the key of one answered before the
    erasure is 404 too, not the first answer replayed."""
    customer_id = "rights-returner"
    create_profile(customer_id, displayName=NAME)
    bought = purchase(customer_id, "RR-ORDER-1", "500.00")
    assert bought.status == 201, bought.body
    purchase_id = bought.body["purchaseId"]
    me = claims(customer_id)
    redeemed = invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": customer_id},
        caller=me,
        body={"itemId": "coffee-voucher"},
    )
    assert redeemed.status == 201, redeemed.body
    redemption_id = redeemed.body["redemptionId"]
    assert _record_return(customer_id, purchase_id, "RR-RETURN-1", key="rr-return-1").status == 201

    handler("CancelLoyaltyRedemptionFunction")  # loaded (and primed, which writes) before it counts
    assert erase(customer_id).status == 202
    for sweep_done in (False, True):
        if sweep_done:
            sweep(consume)
        written = record_writes(monkeypatch)
        replies = {
            "return retried": _record_return(customer_id, purchase_id, "RR-RETURN-1", key="rr-return-1"),
            "new return": _record_return(customer_id, purchase_id, f"RR-RETURN-2-{sweep_done}"),
            "cancelled by the customer": _cancel(customer_id, redemption_id, me),
            "cancelled by staff": _cancel(customer_id, redemption_id, AGENT),
            "cancelled by an admin": _cancel(customer_id, redemption_id, ADMIN),
        }
        assert {name: problem(reply) for name, reply in replies.items()} == dict.fromkeys(replies, NOT_FOUND)
        assert written == [], written
    _only_the_mark_is_left(customer_id)


@pytest.mark.guard("erasures:mark")
def test_two_deletes_at_once_erase_once(monkeypatch: pytest.MonkeyPatch) -> None:
    create_profile("rights-twice")
    replies = race(monkeypatch, lambda: erase("rights-twice"), lambda: erase("rights-twice", ADMIN))
    assert sorted(reply.status for reply in replies) == [202, 404]
    [lost] = [reply for reply in replies if reply.status == 404]
    assert problem(lost) == NOT_FOUND


@pytest.mark.guard("referrals.repository:forget_referee")
def test_a_referee_whose_referrers_item_is_gone_writes_no_stray_item(consume: Callable[[str], int]) -> None:
    scenario = build(consume)
    table = boto3.resource("dynamodb", region_name=os.environ["AWS_REGION"]).Table("ReferralsTable")
    referred = table.get_item(Key={"pk": f"CUSTOMER#{scenario.customer_id}", "sk": "REFERRED_BY"})["Item"]
    key = {"pk": f"CUSTOMER#{scenario.referrer_id}", "sk": referred["referrer_item"]}
    table.delete_item(Key=key)
    assert erase(scenario.customer_id).status == 202
    sweep(consume)
    assert "Item" not in table.get_item(Key=key)


def test_an_admin_erases_a_customer_and_the_mark_says_so_without_naming_them(
    consume: Callable[[str], int],
) -> None:
    create_profile("rights-by-admin")
    assert erase("rights-by-admin", ADMIN).status == 202
    table = boto3.resource("dynamodb", region_name=os.environ["AWS_REGION"]).Table("ProfileTable")
    mark = table.get_item(Key={"pk": "CUSTOMER#rights-by-admin", "sk": "ERASURE"})["Item"]
    assert (mark["requested_by"], mark["requested_at"][:10]) == ("admin", clock.iso(clock.now())[:10])


def test_a_referral_still_pending_pays_nobody_who_is_gone(consume: Callable[[str], int]) -> None:
    """The customer's code was applied but has not qualified: the erasure rejects it, so the
    referee's qualifying purchase pays no one and writes nothing of the erased customer again."""
    create_profile("rights-referrer", displayName=NAME)
    code = invoke(
        "CreateReferralCodeFunction",
        path={"customerId": "rights-referrer"},
        caller=claims("rights-referrer"),
        body={},
    ).body["code"]
    create_profile("rights-referee")
    applied = invoke(
        "ApplyReferralFunction",
        path={"customerId": "rights-referee"},
        caller=claims("rights-referee"),
        body={"code": code},
    )
    assert applied.status == 201, applied.body
    assert erase("rights-referrer").status == 202
    sweep(consume)

    bought = purchase("rights-referee", "ORD-AFTER", "80.00")
    assert bought.status == 201, bought.body
    referral = (
        boto3.resource("dynamodb", region_name=os.environ["AWS_REGION"])
        .Table("ReferralsTable")
        .get_item(Key={"pk": "CUSTOMER#rights-referee", "sk": "REFERRED_BY"})["Item"]
    )
    assert referral["status"] == "rejected"
    assert [entry["type"] for entry in ledger("rights-referee")] == ["earn"]  # no referral bonus
    sweep(consume)
    _only_the_mark_is_left("rights-referrer")
