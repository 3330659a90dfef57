"""The fault-injection matrix: every route and trigger that moves value or raises alerts, with a
fault injected at each step after its first write, must end, once retries have run, with exactly the
effects of a run without faults: the same ledger entries and balance, vouchers, alerts, risk and
hold, inbox items, emails sent; every queue drained and nothing in a dead-letter queue.

Each case runs the operation twice, for two customers prepared alike: once without a fault (its
effects are also checked against what the operation must do) and once with the fault; the two
customers' effects must be equal. A client retries a failed request with the same Idempotency-Key
(after a 5xx, or after a timeout once the request's idempotency record expired); a queue hands a
failed message over again; a job that stopped is run again.

Faults (tests/faults.py):
- `write fails @k`: the k-th write is refused, for every k the operation makes;
- `crash after @k`: the process fails right after the k-th write, for every k;
- `timeout after @k`: the invocation is cut short right after the k-th write (its idempotency record
  stays in progress until it expires), for every k;
- `response lost`: the request succeeds and the client, not seeing the answer, sends it again;
- `relay fails`: the outbox relay's first sends to SQS fail;
- `delivered twice`: every message reaches its queue twice;
- `out of order`: each queue's messages are handed over newest first;
- `run twice`: a daily job runs again.

The matrix (operation x fault -> effects) is printed at the end of the test run.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from customer_id import clock
from local_stack.streams import StreamPoller
from local_stack.template import Template
from tests import faults
from tests.clock import FrozenClock
from tests.harness import Reply, claims, handler, invoke, sample_event, template
from tests.integration.helpers import ADMIN, account, adjust, create_profile, ledger, purchase

AGENT = claims("agent-1", "agents")
HTTP_FAULTS = (
    "write fails",
    "crash after",
    "timeout after",
    "response lost",
    "relay fails",
    "delivered twice",
)
CONSUMER_FAULTS = ("write fails", "crash after", "delivered twice", "out of order", "relay fails")
JOB_FAULTS = ("write fails", "crash after", "run twice", "relay fails")
STEPPED = ("write fails", "crash after", "timeout after")


# ---- what an operation did -------------------------------------------------------------------


def _emails(customer_id: str) -> int:
    sent = ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_REGION"]].sent_messages
    return sum(f"{customer_id}@example.com" in str(message.destinations) for message in sent)


def _items(logical_id: str, path: dict[str, str], caller: dict[str, str]) -> list[dict[str, Any]]:
    reply = invoke(logical_id, path=path, caller=caller, query={"limit": "100"})
    assert reply.status == 200, reply.body
    items: list[dict[str, Any]] = reply.body["items"]
    return items


def effects(customer_id: str) -> dict[str, Any]:
    """What a customer has: ledger, balance, tier, alerts, risk, hold, inbox, emails."""
    me = claims(customer_id)
    path = {"customerId": customer_id}
    loyalty = account(customer_id)
    security = invoke("GetSecurityProfileFunction", path=path, caller=me).body
    return {
        "ledger": dict(Counter(entry["type"] for entry in ledger(customer_id))),
        "balance": loyalty["pointsBalance"],
        "tier": loyalty["tier"],
        "alerts": dict(
            Counter(f"{a['type']}/{a['status']}" for a in _items("ListSecurityAlertsFunction", path, me))
        ),
        "risk": security["riskScore"],
        "hold": security["redemptionHold"],
        "inbox": dict(Counter(n["category"] for n in _items("ListNotificationsFunction", path, me))),
        "emails": _emails(customer_id),
    }


# ---- the operations --------------------------------------------------------------------------


@dataclass
class Operation:
    name: str
    kind: str  # http, consumer, job
    prepare: Callable[[str], dict[str, Any]]  # a customer id -> what act and observe need
    act: Callable[[str, dict[str, Any], Callable[..., Reply]], Any]
    expected: dict[str, Any]  # part of the effects of a run without faults
    extra: Callable[[str, dict[str, Any]], dict[str, Any]] = field(default=lambda customer_id, context: {})
    statuses: tuple[int, ...] = (200, 201, 202)
    consumer: str | None = None  # a consumer's operation: the function its faults are armed for
    emits: bool = True  # queues something (else a relay or delivery fault has nothing to strike)

    def observe(self, customer_id: str, context: dict[str, Any]) -> dict[str, Any]:
        found = effects(customer_id)
        for other in context.get("others", ()):
            found[f"other {other}"] = effects(other)
        found.update(self.extra(customer_id, context))  # noqa: S610 - not Django
        return found


def _profile(customer_id: str, **fields: Any) -> None:
    create_profile(customer_id, email=f"{customer_id}@example.com", **fields)


def _post(logical_id: str, path: dict[str, str], caller: dict[str, str], body: Any) -> Callable[[str], Reply]:
    def send(key: str) -> Reply:
        return invoke(logical_id, path=path, caller=caller, body=body, idempotency_key=key)

    return send


# purchases: a first small purchase, then one large enough to rise to silver and to be scored as a
# large purchase (over 1 000 and over 5x the average before it)
def _prepare_purchase(customer_id: str) -> dict[str, Any]:
    _profile(customer_id)
    assert purchase(customer_id, "first", "100.00").status == 201
    return {}


def _act_purchase(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    body = {"orderId": "large", "amount": "1200.00", "currency": "SAR", "channel": "web"}
    return send(_post("RecordPurchaseFunction", {"customerId": customer_id}, ADMIN, body))


def _prepare_funded(customer_id: str) -> dict[str, Any]:
    _profile(customer_id)
    assert adjust(customer_id, 1000).status == 201
    return {}


def _act_redeem(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    path = {"customerId": customer_id}
    return send(
        _post("CreateLoyaltyRedemptionFunction", path, claims(customer_id), {"itemId": "coffee-voucher"})
    )


def _prepare_redeemed(customer_id: str) -> dict[str, Any]:
    _prepare_funded(customer_id)
    redeemed = invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"itemId": "coffee-voucher"},
    )
    assert redeemed.status == 201, redeemed.body
    return {"redemption": redeemed.body["redemptionId"]}


def _act_cancel(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    path = {"customerId": customer_id, "redemptionId": context["redemption"]}
    return send(_post("CancelLoyaltyRedemptionFunction", path, claims(customer_id), {}))


def _cancellation_effects(customer_id: str, context: dict[str, Any]) -> dict[str, Any]:
    from customer_id.loyalty import repository

    redemption = repository.get_redemption(customer_id, context["redemption"])
    assert redemption is not None
    lots = list(repository.lots_oldest_first(customer_id))
    return {"voucher": redemption.status, "lots": [lot.remaining for lot in lots]}


def _prepare_profile(customer_id: str) -> dict[str, Any]:
    _profile(customer_id)
    return {}


def _act_adjust(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    body = {"points": 500, "reason": "goodwill"}
    return send(_post("CreateLoyaltyAdjustmentFunction", {"customerId": customer_id}, ADMIN, body))


def _prepare_offer(customer_id: str) -> dict[str, Any]:
    _profile(customer_id)
    body = {
        "title": {"en": "Deal", "ar": "عرض"},
        "description": {"en": "Save", "ar": "وفّر"},
        "discountType": "percent",
        "discountValue": "10",
        "validFrom": clock.iso(clock.now() - timedelta(hours=1)),
        "validUntil": clock.iso(clock.now() + timedelta(days=30)),
        "totalLimit": 5,
    }
    created = invoke("CreateOfferFunction", caller=ADMIN, body=body)
    assert created.status == 201, created.body
    return {"offer": created.body["offerId"]}


def _act_apply_offer(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    path = {"customerId": customer_id, "offerId": context["offer"]}
    body = {"orderId": "order-1", "orderAmount": {"amount": "200.00", "currency": "SAR"}}
    return send(_post("ApplyOfferFunction", path, claims(customer_id), body))


def _offer_effects(customer_id: str, context: dict[str, Any]) -> dict[str, Any]:
    offer = invoke(
        "GetOfferFunction",
        path={"customerId": customer_id, "offerId": context["offer"]},
        caller=claims(customer_id),
    ).body
    engagement = invoke("GetEngagementFunction", path={"customerId": customer_id}, caller=claims(customer_id))
    return {"remainingUses": offer["remainingUses"], "offersApplied": engagement.body["offersApplied"]}


def _birthday_today(customer_id: str) -> None:
    today = clock.now().date()
    reply = invoke(
        "PutSpecialDatesFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"birthday": {"month": today.month, "day": today.day}},
    )
    assert reply.status == 200, reply.body


# returns: a purchase that raised the tier to silver, 300 of its points spent; its whole return
# reverses 1 200, of which the balance covers 900: 300 are debt, and the tier goes back to bronze
def _prepare_returnable(customer_id: str) -> dict[str, Any]:
    _profile(customer_id)
    bought = purchase(customer_id, "returned", "1200.00")
    assert bought.status == 201, bought.body
    redeemed = invoke(
        "CreateLoyaltyRedemptionFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"itemId": "coffee-voucher"},
    )
    assert redeemed.status == 201, redeemed.body
    return {"purchase": bought.body["purchaseId"]}


def _act_return(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    path = {"customerId": customer_id, "purchaseId": context["purchase"]}
    body = {"returnId": "RET-1", "amount": "1200.00"}
    return send(_post("RecordReturnFunction", path, ADMIN, body))


def _return_effects(customer_id: str, context: dict[str, Any]) -> dict[str, Any]:
    me = claims(customer_id)
    path = {"customerId": customer_id}
    bought = invoke("GetPurchaseFunction", path={**path, "purchaseId": context["purchase"]}, caller=me).body
    summary = invoke("GetAnalyticsSummaryFunction", path=path, caller=me).body
    return {
        "debt": account(customer_id)["pointsDebt"],
        "returns": len(bought["returns"]),
        "lifetimeSpend": summary["lifetimeSpend"]["amount"],
    }


def _prepare_reward(customer_id: str) -> dict[str, Any]:
    _profile(customer_id, timezone="UTC")
    _birthday_today(customer_id)
    issued = invoke("IssueRewardsFunction", caller=ADMIN, body={"date": clock.now().date().isoformat()})
    assert issued.status == 200, issued.body
    rewards = _items("ListRewardsFunction", {"customerId": customer_id}, claims(customer_id))
    assert len(rewards) == 1, rewards
    return {"reward": rewards[0]["rewardId"]}


def _act_claim(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    path = {"customerId": customer_id, "rewardId": context["reward"]}
    return send(_post("ClaimRewardFunction", path, claims(customer_id), None))


def _reward_effects(customer_id: str, context: dict[str, Any]) -> dict[str, Any]:
    rewards = _items("ListRewardsFunction", {"customerId": customer_id}, claims(customer_id))
    return {"rewards": dict(Counter(reward["status"] for reward in rewards))}


def _prepare_referral(customer_id: str) -> dict[str, Any]:
    referrer = f"{customer_id}-referrer"
    _profile(referrer)
    code = invoke(
        "CreateReferralCodeFunction", path={"customerId": referrer}, caller=claims(referrer), body={}
    )
    assert code.status == 201, code.body
    _profile(customer_id)
    return {"code": code.body["code"], "others": [referrer]}


def _act_apply_referral(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    path = {"customerId": customer_id}
    return send(_post("ApplyReferralFunction", path, claims(customer_id), {"code": context["code"]}))


def _referral_effects(customer_id: str, context: dict[str, Any]) -> dict[str, Any]:
    referrer = context["others"][0]
    made = _items("ListReferralsFunction", {"customerId": referrer}, claims(referrer))
    return {"referrals": dict(Counter(referral["status"] for referral in made))}


def _prepare_applied_referral(customer_id: str) -> dict[str, Any]:
    context = _prepare_referral(customer_id)
    applied = invoke(
        "ApplyReferralFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"code": context["code"]},
    )
    assert applied.status == 201, applied.body
    return context


def _act_qualifying_purchase(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    body = {"orderId": "qualifying", "amount": "60.00", "currency": "SAR", "channel": "mobile"}
    return send(_post("RecordPurchaseFunction", {"customerId": customer_id}, ADMIN, body))


def _act_report(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    body = {"category": "account_takeover", "description": "Someone changed my email"}
    return send(_post("ReportSecurityIssueFunction", {"customerId": customer_id}, claims(customer_id), body))


def _act_failed_logins(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    start = clock.now() - timedelta(minutes=10)
    for minute in range(5):
        body = {
            "type": "login_failed",
            "ipAddress": "198.51.100.7",
            "deviceId": "unknown-1",
            "country": "SA",
            "occurredAt": clock.iso(start + timedelta(minutes=minute)),
        }
        reply = send(
            _post("RecordSecurityEventFunction", {"customerId": customer_id}, ADMIN, body), index=minute
        )
        assert reply.status == 202, reply.body
    return reply


def _prepare_alert(customer_id: str) -> dict[str, Any]:
    _profile(customer_id)
    report = invoke(
        "ReportSecurityIssueFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"category": "phishing", "description": "A fake SMS asked for my code"},
    )
    assert report.status == 201, report.body
    return {"alert": report.body["alertId"]}


def _act_resolve(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    path = {"customerId": customer_id, "alertId": context["alert"]}
    return send(_post("ResolveSecurityAlertFunction", path, claims(customer_id), {"resolution": "fraud"}))


def _prepare_ticket(customer_id: str) -> dict[str, Any]:
    _profile(customer_id)
    opened = invoke(
        "CreateTicketFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={
            "subject": "Damaged",
            "description": "The mug is broken",
            "categoryId": "orders",
            "priority": "normal",
        },
    )
    assert opened.status == 201, opened.body
    return {"ticket": opened.body["ticketId"]}


def _act_comment(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    path = {"ticketId": context["ticket"]}
    return send(_post("AddTicketCommentFunction", path, AGENT, {"body": "We are sending a new one."}))


def _ticket_effects(customer_id: str, context: dict[str, Any]) -> dict[str, Any]:
    ticket = invoke(
        "GetTicketFunction", path={"ticketId": context["ticket"]}, caller=claims(customer_id)
    ).body
    return {"comments": len(ticket["comments"]), "ticket": ticket["status"]}


def _prepare_chat(customer_id: str) -> dict[str, Any]:
    _profile(customer_id)
    started = invoke(
        "StartChatFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"categoryId": "orders", "message": "Where is my order?"},
    )
    assert started.status == 201, started.body
    return {"chat": started.body["chatId"]}


def _act_chat_message(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    return send(
        _post("PostChatMessageFunction", {"chatId": context["chat"]}, AGENT, {"body": "Let me check."})
    )


def _chat_effects(customer_id: str, context: dict[str, Any]) -> dict[str, Any]:
    chat = invoke(
        "GetChatFunction", path={"chatId": context["chat"]}, caller=claims(customer_id), query={}
    ).body
    return {"messages": len(chat["messages"]), "chat": chat["status"]}


# the queue consumers: what they receive comes from requests made before the fault is armed. The
# scorer's customer has reported an account takeover (60): the failed logins (30) make the risk
# critical, so the scorer's alert commits with the hold and both notifications (story 2 of issue 13)
def _prepare_reported(customer_id: str) -> dict[str, Any]:
    context = _prepare_purchase(customer_id)
    _act_report(customer_id, context, Client(f"{customer_id}-report"))
    return context


def _act_signals(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
    _act_failed_logins(customer_id, context, send)
    return _act_purchase(customer_id, context, send)


# the daily jobs
def _prepare_expiring(customer_id: str) -> dict[str, Any]:
    """Points that expired yesterday, and points expiring in a week. Each run of the job is a day
    after the last one (its schedule plans each day once)."""
    _profile(customer_id)
    frozen: FrozenClock = context_clock()
    now = frozen.now() + timedelta(days=1)
    frozen.move_to(now - timedelta(days=366))
    assert adjust(customer_id, 300, "old points").status == 201
    frozen.move_to(now - timedelta(days=358))
    assert adjust(customer_id, 200, "soon expiring").status == 201
    frozen.move_to(now)
    return {}


def _run_job(
    schedule: str, worker: str, before: Callable[[dict[str, Any]], None] | None = None
) -> Callable[[str, dict[str, Any], Callable[..., Reply]], Any]:
    """A job as deployed: its schedule plans the periods ended since its last run, then its worker
    does the units the relay queued (a unit that failed comes back, its visibility timeout passed,
    until it is done). A fault strikes either; a run that stopped is run again, as the next
    schedule would. `before(context)` sets the scene (the clock) first."""

    def act(customer_id: str, context: dict[str, Any], send: Callable[..., Reply]) -> Any:
        if before is not None:
            before(context)
        function = template().function(schedule)

        def run(key: str) -> Any:
            planned = handler(schedule)(sample_event(function), None)
            _PIPELINE[-1].deliver(only=worker)
            return planned

        return send(run, job=True)

    return act


def _prepare_birthday(customer_id: str) -> dict[str, Any]:
    """A customer whose birthday begins at the next full hour (UTC): in the `Etc/GMT` zone whose
    midnight that is (they cover every whole-hour offset from -12 to +14)."""
    now = clock.now()
    begins = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    offset = -begins.hour % 24
    offset = offset - 24 if offset > 14 else offset
    zone = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
    _profile(customer_id, timezone=zone)
    birthday = (begins + timedelta(hours=offset)).date()
    reply = invoke(
        "PutSpecialDatesFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body={"birthday": {"month": birthday.month, "day": birthday.day}},
    )
    assert reply.status == 200, reply.body
    return {"begins": begins}


def _once_begun(context: dict[str, Any]) -> None:
    """The special-date rewards job runs once the customer's day has begun."""
    if clock.now() < context["begins"] + timedelta(minutes=1):
        context_clock().move_to(context["begins"] + timedelta(minutes=1))


_CLOCK: list[FrozenClock] = []
_PIPELINE: list[faults.Pipeline] = []


def context_clock() -> FrozenClock:
    return _CLOCK[-1]


SECURITY_NOTICE = {"security": 1}
OPERATIONS = [
    Operation(
        "purchase",
        "http",
        _prepare_purchase,
        _act_purchase,
        {
            "ledger": {"earn": 2},
            "tier": "silver",
            "alerts": {"large_purchase/open": 1},
            "risk": 35,
            "inbox": {"loyalty": 1, "security": 1},
            "emails": 2,
        },
    ),
    Operation(
        "redemption",
        "http",
        _prepare_funded,
        _act_redeem,
        {"ledger": {"adjust": 1, "redeem": 1}, "balance": 700, "alerts": {}, "inbox": {}},
    ),
    Operation(
        "redemption cancellation",
        "http",
        _prepare_redeemed,
        _act_cancel,
        {
            "ledger": {"adjust": 1, "redeem": 1, "refund": 1},
            "balance": 1000,
            "inbox": {"loyalty": 1},
            "voucher": "cancelled",
            "lots": [1000],
        },
        extra=_cancellation_effects,
    ),
    Operation(
        "return",
        "http",
        _prepare_returnable,
        _act_return,
        {
            "ledger": {"earn": 1, "redeem": 1, "reverse": 1},
            "balance": 0,
            "debt": 300,
            "tier": "bronze",
            "returns": 1,
            "lifetimeSpend": "0.00",
            "alerts": {},
            "inbox": {"loyalty": 2},  # the tier upgrade (prepared), the reversal
        },
        extra=_return_effects,
    ),
    Operation(
        "adjustment",
        "http",
        _prepare_profile,
        _act_adjust,
        {"ledger": {"adjust": 1}, "balance": 500},
        emits=False,
    ),
    Operation(
        "offer application",
        "http",
        _prepare_offer,
        _act_apply_offer,
        {"remainingUses": 0, "offersApplied": 1},
        extra=_offer_effects,
    ),
    Operation(
        "reward claim",
        "http",
        _prepare_reward,
        _act_claim,
        {"ledger": {"bonus": 1}, "rewards": {"claimed": 1}, "inbox": {"rewards": 1}},
        extra=_reward_effects,
        emits=False,  # within the tier: the reward's notice was sent when it was issued
    ),
    Operation(
        "referral application",
        "http",
        _prepare_referral,
        _act_apply_referral,
        {"referrals": {"pending": 1}, "alerts": {}},
        extra=_referral_effects,
    ),
    Operation(
        "referral payout",
        "http",
        _prepare_applied_referral,
        _act_qualifying_purchase,
        {"ledger": {"earn": 1, "bonus": 1}, "referrals": {"qualified": 1}, "inbox": {"rewards": 1}},
        extra=_referral_effects,
    ),
    Operation(
        "security report",
        "http",
        _prepare_profile,
        _act_report,
        {"alerts": {"customer_report_account_takeover/open": 1}, "risk": 60, "inbox": SECURITY_NOTICE},
    ),
    Operation(
        "security events",
        "http",
        _prepare_profile,
        _act_failed_logins,
        {"alerts": {"failed_logins/open": 1}, "risk": 30, "inbox": SECURITY_NOTICE},
    ),
    Operation(
        "alert resolution",
        "http",
        _prepare_alert,
        _act_resolve,
        {"alerts": {"customer_report_phishing/resolved": 1}, "hold": True},
    ),
    Operation(
        "ticket comment",
        "http",
        _prepare_ticket,
        _act_comment,
        {"comments": 1, "inbox": {"support": 1}},
        extra=_ticket_effects,
    ),
    Operation(
        "chat message",
        "http",
        _prepare_chat,
        _act_chat_message,
        {"messages": 2, "chat": "active", "inbox": {"support": 1}},
        extra=_chat_effects,
    ),
    Operation(
        "fraud scorer",
        "consumer",
        _prepare_reported,
        _act_signals,
        {
            "alerts": {
                "customer_report_account_takeover/open": 1,
                "failed_logins/open": 1,
                "large_purchase/open": 1,
            },
            "risk": 100,
            "hold": True,
            "inbox": {"loyalty": 1, "security": 4},  # three alerts and the hold
        },
        consumer="FraudScorerFunction",
    ),
    Operation(
        "notification dispatcher",
        "consumer",
        _prepare_purchase,
        _act_signals,
        {"inbox": {"loyalty": 1, "security": 2}, "emails": 3},
        consumer="NotificationDispatcherFunction",
    ),
    Operation(
        "points expiry job",
        "job",
        _prepare_expiring,
        _run_job("PointsExpiryScheduleFunction", "PointsExpiryWorkerFunction"),
        {"ledger": {"adjust": 2, "expire": 1}, "balance": 200, "inbox": {"loyalty": 1}},
    ),
    Operation(
        "special-date rewards job",
        "job",
        _prepare_birthday,
        _run_job("SpecialDateRewardsScheduleFunction", "SpecialDateRewardsWorkerFunction", _once_begun),
        {"inbox": {"rewards": 1}},
        extra=_reward_effects,
    ),
]
BY_NAME = {operation.name: operation for operation in OPERATIONS}
FAULTS = {"http": HTTP_FAULTS, "consumer": CONSUMER_FAULTS, "job": JOB_FAULTS}
RELAYED = ("relay fails", "delivered twice")
CASES = [
    (operation.name, fault)
    for operation in OPERATIONS
    for fault in FAULTS[operation.kind]
    if operation.emits or fault not in RELAYED
]


# ---- running a case --------------------------------------------------------------------------


class Client:
    """Sends an operation's requests as a careful client does: one Idempotency-Key per request,
    the same request again after a 5xx or a timeout (once the timed-out request's idempotency
    record expired), up to five times."""

    def __init__(self, prefix: str, lost: bool = False) -> None:
        self.prefix = prefix
        self.lost = lost  # the first answer of each request never reaches the client
        self.answers: list[Reply] = []

    def __call__(self, request: Callable[[str], Any], index: int = 0, job: bool = False) -> Any:
        key = f"{self.prefix}-{index}"
        for _ in range(5):
            try:
                reply = request(key)
            except faults.LambdaTimeout:
                faults.expire_in_progress()
                continue
            except Exception:
                if not job:
                    raise  # a request's failure is answered (500), never raised
                continue  # a job that stopped (a refused write, a crash) is run again
            if job:
                return reply
            if reply.status >= 500:
                continue
            if self.lost:
                again = request(key)
                assert (again.status, again.body) == (reply.status, reply.body), "a replay answers alike"
            self.answers.append(reply)
            return reply
        raise AssertionError(f"{key}: no answer after five tries")


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _delivery_fault(monkeypatch: pytest.MonkeyPatch, fault: str) -> AbstractContextManager[Any]:
    if fault == "relay fails":
        return faults.send_fails(monkeypatch, 2)
    if fault == "delivered twice":
        return faults.sent_twice(monkeypatch)
    return _nothing()


def _stepped(monkeypatch: pytest.MonkeyPatch, fault: str, step: int) -> AbstractContextManager[Any]:
    return {
        "write fails": faults.write_fails,
        "crash after": faults.crash_after,
        "timeout after": faults.timeout_after,
    }[fault](monkeypatch, step)


@pytest.fixture
def pipeline(aws: Template, relay: StreamPoller, frozen_clock: FrozenClock) -> Iterator[faults.Pipeline]:
    """Delivery as AWS does it: a message a consumer failed comes back after the queue's visibility
    timeout (60 s), which the frozen clock is moved past."""
    _PIPELINE.append(
        faults.Pipeline(aws, relay, on_redelivery=lambda: frozen_clock.shift(timedelta(seconds=61)))
    )
    yield _PIPELINE[-1]
    _PIPELINE.pop()


@pytest.fixture(autouse=True)
def _clock(frozen_clock: FrozenClock) -> Iterator[None]:
    _CLOCK.append(frozen_clock)
    yield
    _CLOCK.pop()


def _drained(pipeline: faults.Pipeline) -> None:
    pipeline.deliver()
    assert pipeline.relay.given_up == 0
    assert all(depth == 0 for depth in pipeline.depths().values()), pipeline.depths()


def _run(
    operation: Operation,
    customer_id: str,
    pipeline: faults.Pipeline,
    *,
    act_fault: AbstractContextManager[Any] | None = None,
    delivery_fault: AbstractContextManager[Any] | None = None,
    lost: bool = False,
    reverse: bool = False,
) -> tuple[dict[str, Any], Any]:
    context = operation.prepare(customer_id)
    _drained(pipeline)
    client = Client(f"{customer_id}-key", lost=lost)
    if operation.kind == "job" and delivery_fault is not None:  # a job delivers its own units
        act_fault, delivery_fault = delivery_fault, None
    with act_fault or _nothing() as struck:
        result = operation.act(customer_id, context, client)
    if operation.kind == "http":
        assert all(answer.status in operation.statuses for answer in client.answers), [
            (answer.status, answer.body) for answer in client.answers
        ]
    for poller in pipeline.pollers:
        poller.reverse = reverse
    with delivery_fault or _nothing() as delivery_struck:
        pipeline.deliver()
    for poller in pipeline.pollers:
        poller.reverse = False
    _drained(pipeline)
    for counter in (struck, delivery_struck):
        if counter is not None:
            assert counter.struck > 0, "the fault never struck"
    return operation.observe(customer_id, context), result


def _steps(
    operation: Operation, monkeypatch: pytest.MonkeyPatch, pipeline: faults.Pipeline, customer_id: str
) -> tuple[int, dict[str, Any]]:
    """A run without faults: its effects (checked against what the operation must do) and the
    number of writes the part a fault is armed for makes."""
    context = operation.prepare(customer_id)
    _drained(pipeline)
    client = Client(f"{customer_id}-key")
    if operation.kind == "consumer":
        operation.act(customer_id, context, client)
        with faults.armed_for(operation.consumer or ""), faults.count_writes(monkeypatch) as counted:
            pipeline.deliver()
    else:
        with faults.count_writes(monkeypatch) as counted:
            operation.act(customer_id, context, client)
        pipeline.deliver()
    _drained(pipeline)
    clean = operation.observe(customer_id, context)
    for key, value in operation.expected.items():
        assert clean[key] == value, (operation.name, key, clean[key], value)
    assert counted.writes > 0
    return counted.writes, clean


@pytest.mark.parametrize(("name", "fault"), CASES, ids=[f"{name}|{fault}" for name, fault in CASES])
def test_fault_matrix(
    name: str,
    fault: str,
    monkeypatch: pytest.MonkeyPatch,
    pipeline: faults.Pipeline,
    record_property: Callable[[str, object], None],
) -> None:
    operation = BY_NAME[name]
    steps, clean = _steps(operation, monkeypatch, pipeline, "clean")
    runs: list[str] = []
    if fault in STEPPED:
        for step in range(1, steps + 1):
            customer_id = f"faulty-{step}"
            if operation.kind == "consumer":
                context = operation.prepare(customer_id)
                _drained(pipeline)
                operation.act(customer_id, context, Client(f"{customer_id}-key"))
                with faults.armed_for(operation.consumer or ""), _stepped(monkeypatch, fault, step) as struck:
                    _deliver_through(pipeline, fault)
                assert struck.struck == 1
                _drained(pipeline)
                found = operation.observe(customer_id, context)
            else:
                found, _ = _run(
                    operation, customer_id, pipeline, act_fault=_stepped(monkeypatch, fault, step)
                )
            assert _same(found, clean), (step, found, clean)
            runs.append(f"@{step}")
    elif fault == "run twice":
        context = operation.prepare("faulty")
        _drained(pipeline)
        operation.act("faulty", context, Client("faulty-key"))
        operation.act("faulty", context, Client("faulty-key-2"))
        _drained(pipeline)
        assert _same(operation.observe("faulty", context), clean)
        runs.append("x2")
    else:
        found, _ = _run(
            operation,
            "faulty",
            pipeline,
            delivery_fault=_delivery_fault(monkeypatch, fault),
            lost=fault == "response lost",
            reverse=fault == "out of order",
        )
        assert _same(found, clean), (found, clean)
        runs.append("x1")
    record_property("fault_matrix", f"{name:<26} {fault:<16} {' '.join(runs):<12} -> {_summary(clean)}")


def _deliver_through(pipeline: faults.Pipeline, fault: str) -> None:
    """Deliver while a consumer's write fails or it crashes: the message comes back and is done."""
    for _ in range(5):
        try:
            pipeline.deliver()
            return
        except faults.LambdaTimeout:
            faults.expire_in_progress()
    raise AssertionError("not delivered")


def _same(found: dict[str, Any], clean: dict[str, Any]) -> bool:
    """Equal effects (another customer's under the same name): True, or fails naming what differs."""

    def rename(effects: dict[str, Any]) -> dict[str, Any]:
        return {key.split(" ")[0]: value for key, value in effects.items()}

    found, clean = rename(found), rename(clean)
    differing = {
        key: (found.get(key), clean.get(key))
        for key in found.keys() | clean.keys()
        if found.get(key) != clean.get(key)
    }
    assert not differing, f"effects differ (with the fault, without): {differing}"
    return True


def _summary(effects: dict[str, Any]) -> str:
    shown = {key: value for key, value in effects.items() if value not in ({}, 0, False, None)}
    return ", ".join(f"{key}={value}" for key, value in shown.items() if not key.startswith("other"))
