"""The races of support, tickets and notifications, forced: the requests all read before any writes
(`race`), or another change commits between a request's read and its write (`meanwhile`). Each
test names the guards whose removal it catches (`@pytest.mark.guard`); the guards of these features
that decide no race are listed, with the reason, in tests/mutants.py."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from customer_id.notifications import dispatcher
from local_stack.streams import StreamPoller
from tests.clock import FrozenClock
from tests.harness import NO_CLAIMS, Reply, claims, deliver, invoke
from tests.integration.helpers import DEFAULT_PREFERENCES, create_profile, read
from tests.integration.support_helpers import (
    AGENT,
    OTHER_AGENT,
    close_chat,
    comment,
    get_chat,
    get_ticket,
    notifications,
    open_ticket,
    patch_ticket,
    post_message,
    start_chat,
)
from tests.races import meanwhile, race

CUSTOMER = "customer-support-racer"
ME = claims(CUSTOMER)


@pytest.fixture
def patch(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return monkeypatch


@pytest.fixture(autouse=True)
def profile() -> None:
    create_profile(CUSTOMER)


def _problem(reply: Reply) -> tuple[int, str]:
    return reply.status, reply.body["type"]


# ---- FAQ votes ------------------------------------------------------------------------------------


def _vote(helpful: bool, faq_id: str = "faq-returns") -> Reply:
    return invoke("FaqFeedbackFunction", path={"faqId": faq_id}, caller=ME, body={"helpful": helpful})


def _helpful_count(faq_id: str = "faq-returns") -> int:
    items = invoke("ListFaqFunction", caller=NO_CLAIMS, query={"limit": "100"}).body["items"]
    count: int = next(item["helpfulCount"] for item in items if item["faqId"] == faq_id)
    return count


@pytest.mark.guard("support.faq.repository:record_vote#1")
def test_racing_votes_of_one_customer_count_once(patch: pytest.MonkeyPatch) -> None:
    # a first vote sent from two devices at once: both read "no vote yet"
    replies = race(patch, lambda: _vote(True), lambda: _vote(True))
    assert [reply.status for reply in replies] == [200, 200]
    assert _helpful_count() == 1
    # both change their mind from "helpful": both read it, the count moves once
    replies = race(patch, lambda: _vote(False), lambda: _vote(False))
    assert [(reply.status, reply.body["helpful"]) for reply in replies] == [(200, False)] * 2
    assert _helpful_count() == 0


# ---- live chat ------------------------------------------------------------------------------------


def _chat() -> str:
    reply = start_chat(CUSTOMER)
    assert reply.status == 201, reply.body
    chat_id: str = reply.body["chatId"]
    return chat_id


# No guard mark: both agents write the chat's second message, so the chat's version (save_chat#1)
# and the message's key (save_chat#2) each decide this race alone, and removing one leaves the
# other. The races below write no message on one side: there the version alone decides.
@pytest.mark.guard("support.chat.repository:save_chat#2", backs_up=("support.chat.repository:save_chat#1",))
def test_agents_racing_for_a_chat_one_takes_it(patch: pytest.MonkeyPatch, relay: StreamPoller) -> None:
    chat_id = _chat()
    agents = (AGENT, OTHER_AGENT)
    replies = race(patch, *[lambda agent=agent: post_message(chat_id, agent, "Mine!") for agent in agents])
    assert sorted(reply.status for reply in replies) == [201, 409]
    [lost] = [reply for reply in replies if reply.status == 409]
    assert _problem(lost) == (409, "/problems/chat-taken")
    winner = next(agent["sub"] for agent, reply in zip(agents, replies, strict=True) if reply.status == 201)
    chat = get_chat(chat_id, ME).body
    assert (chat["status"], chat["agentId"]) == ("active", winner)
    assert [(message["sender"], message["body"]) for message in chat["messages"]] == [
        ("customer", "Hello, where is my order?"),
        ("agent", "Mine!"),
    ]
    assert [message["template"] for message in notifications(relay)] == ["chat_agent_reply"]


@pytest.mark.guard("support.chat.repository:save_chat#1")
def test_racing_closes_close_a_chat_once(patch: pytest.MonkeyPatch) -> None:
    chat_id = _chat()
    replies = race(patch, lambda: close_chat(chat_id, ME, {}), lambda: close_chat(chat_id, AGENT, {}))
    assert sorted(reply.status for reply in replies) == [200, 409]
    assert [_problem(reply) for reply in replies if reply.status == 409] == [(409, "/problems/chat-closed")]
    assert get_chat(chat_id, ME).body["status"] == "closed"


@pytest.mark.guard("support.chat.repository:save_chat#1")
def test_a_message_to_a_chat_closed_meanwhile_is_409(patch: pytest.MonkeyPatch) -> None:
    chat_id = _chat()
    closed: list[Reply] = []
    reply = meanwhile(
        patch,
        lambda: post_message(chat_id, ME, "Are you still there?"),
        lambda: closed.append(close_chat(chat_id, AGENT, {})),
    )
    assert [closed_reply.status for closed_reply in closed] == [200]
    assert _problem(reply) == (409, "/problems/chat-closed")
    chat = get_chat(chat_id, ME).body
    assert chat["status"] == "closed"
    assert [message["sender"] for message in chat["messages"]] == ["customer"]


# ---- tickets --------------------------------------------------------------------------------------


def _ticket_in_progress() -> str:
    reply = open_ticket(CUSTOMER)
    assert reply.status == 201, reply.body
    ticket_id: str = reply.body["ticketId"]
    assert patch_ticket(ticket_id, AGENT, status="in_progress").status == 200
    return ticket_id


@pytest.mark.guard("support.tickets.repository:save_change#1")
def test_agents_moving_a_ticket_at_once_one_move_wins(patch: pytest.MonkeyPatch, relay: StreamPoller) -> None:
    ticket_id = _ticket_in_progress()
    notifications(relay)  # the move to in_progress
    replies = race(
        patch,
        lambda: patch_ticket(ticket_id, AGENT, status="resolved"),
        lambda: patch_ticket(ticket_id, OTHER_AGENT, status="waiting_on_customer"),
    )
    assert sorted(reply.status for reply in replies) == [200, 409]
    [won] = [reply for reply in replies if reply.status == 200]
    [lost] = [reply for reply in replies if reply.status == 409]
    assert _problem(lost) == (409, "/problems/ticket-move-impossible")
    assert get_ticket(ticket_id, AGENT).body["status"] == won.body["status"]
    sent = notifications(relay)
    assert [(message["template"], message["params"]["status"]) for message in sent] == [
        ("ticket_status_changed", won.body["status"])
    ]


@pytest.mark.guard("support.tickets.repository:save_change#1")
def test_a_comment_on_a_ticket_closed_meanwhile_is_409(patch: pytest.MonkeyPatch) -> None:
    ticket_id = _ticket_in_progress()
    closed: list[Reply] = []
    reply = meanwhile(
        patch,
        lambda: comment(ticket_id, ME, "It is still broken."),
        lambda: closed.append(patch_ticket(ticket_id, AGENT, status="closed")),
    )
    assert [closed_reply.status for closed_reply in closed] == [200]
    assert _problem(reply) == (409, "/problems/ticket-closed")
    ticket = get_ticket(ticket_id, AGENT).body
    assert (ticket["status"], ticket["comments"]) == ("closed", [])


@pytest.mark.guard(
    "support.tickets.repository:save_change#2", backs_up=("support.tickets.repository:save_change#1",)
)
def test_racing_comments_are_both_kept(patch: pytest.MonkeyPatch) -> None:
    ticket_id = _ticket_in_progress()
    replies = race(
        patch,
        lambda: comment(ticket_id, ME, "It is still broken."),
        lambda: comment(ticket_id, AGENT, "We are on it."),
    )
    assert [reply.status for reply in replies] == [201, 201]
    comments = get_ticket(ticket_id, AGENT).body["comments"]
    assert sorted(item["body"] for item in comments) == ["It is still broken.", "We are on it."]


# ---- notifications --------------------------------------------------------------------------------


def _notification(message_id: str) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "customerId": CUSTOMER,
        "category": "rewards",
        "template": "referral_payout",
        "params": {"points": 500},
    }


def _dispatch(body: dict[str, Any]) -> list[dict[str, str]]:
    """The dispatcher on a batch of one SQS record; the records it reports as failed."""
    failures: list[dict[str, str]] = deliver("NotificationDispatcherFunction", json.dumps(body))[
        "batchItemFailures"
    ]
    return failures


def _emails() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_REGION"]].sent_messages)


def _texts() -> list[Any]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_REGION"]].sms_messages.values())


def _inbox() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = read("ListNotificationsFunction", CUSTOMER, limit="100")["items"]
    return items


def _read(notification_id: str) -> Reply:
    return invoke(
        "ReadNotificationFunction",
        path={"customerId": CUSTOMER, "notificationId": notification_id},
        caller=ME,
    )


@pytest.mark.guard("notifications.repository:mark_read")
def test_racing_reads_of_a_notification_read_it_once(patch: pytest.MonkeyPatch) -> None:
    assert _dispatch(_notification("payout-1")) == []
    [item] = _inbox()
    replies = race(patch, lambda: _read(item["notificationId"]), lambda: _read(item["notificationId"]))
    assert [reply.status for reply in replies] == [200, 200]
    assert replies[0].body == replies[1].body  # the readAt of the read that won, for both
    assert [entry["readAt"] for entry in _inbox()] == [replies[0].body["readAt"]]
    assert read("GetEngagementFunction", CUSTOMER)["notificationsRead"] == 1


@pytest.mark.guard("notifications.repository:write_inbox#2")
def test_two_attempts_at_one_message_write_one_inbox_item(patch: pytest.MonkeyPatch) -> None:
    # Powertools' in-progress lock keeps a second attempt at a message out while one runs; the
    # delivery record's condition is what still holds when two get through (the lock expired, the
    # first attempt outlived it). Email is off: each attempt's only effect is the inbox item.
    channels = {"email": False, "sms": False, "push": False, "inApp": True}
    preferences = {**DEFAULT_PREFERENCES, "channels": channels}
    put = invoke(
        "PutNotificationPreferencesFunction", path={"customerId": CUSTOMER}, caller=ME, body=preferences
    )
    assert put.status == 200, put.body
    patch.setattr(dispatcher, "_once", lambda message_id, deliver, context: deliver())
    body = _notification("payout-twice")
    results = race(patch, lambda: _dispatch(body), lambda: _dispatch(body))
    assert results == [[], []]
    [item] = _inbox()
    assert (item["channels"], item["readAt"]) == (["inApp"], None)
    assert item["body"] == "You earned 500 points for a referral. Thank you for spreading the word!"


@pytest.mark.guard("notifications.repository:claim")
def test_two_attempts_at_one_message_send_each_channel_once(
    patch: pytest.MonkeyPatch, frozen_clock: FrozenClock
) -> None:
    # as above, with the inbox off and email and SMS on: both attempts read "nothing sent yet", and
    # each channel's claim, written before its send, decides which attempt sends; the other skips a
    # channel done by then, or fails while its claim is held, and handed over again after the
    # visibility timeout finds the channels done
    channels = {"email": True, "sms": True, "push": False, "inApp": False}
    preferences = {**DEFAULT_PREFERENCES, "channels": channels}
    put = invoke(
        "PutNotificationPreferencesFunction", path={"customerId": CUSTOMER}, caller=ME, body=preferences
    )
    assert put.status == 200, put.body
    assert create_profile(CUSTOMER, phone="+966501234567").status == 200
    patch.setattr(dispatcher, "_once", lambda message_id, deliver, context: deliver())
    body = _notification("payout-twice-sent")
    race(patch, lambda: _dispatch(body), lambda: _dispatch(body))  # the loser may fail (claim held)
    assert (len(_emails()), len(_texts())) == (1, 1)
    frozen_clock.shift(timedelta(seconds=61))
    assert _dispatch(body) == []
    assert (len(_emails()), len(_texts())) == (1, 1)
    assert _inbox() == []


# ---- fresh ids that collide -----------------------------------------------------------------------
# A random 96-bit id does not collide in practice; its guard is what makes a collision harmless, so
# the collision is forced: the next id drawn is the one the first item got. Ids are drawn for
# requests without Idempotency-Key; with one, they derive from the operation (see below).


def _draw_again(patch: pytest.MonkeyPatch, taken: str) -> None:
    from customer_id import codes

    real = codes.new_id
    pending = [taken]
    patch.setattr(codes, "new_id", lambda: pending.pop() if pending else real())


@pytest.mark.guard("support.chat.repository:start_chat#1", backs_up=("support.chat.repository:start_chat#2",))
@pytest.mark.guard("support.chat.repository:start_chat#2", backs_up=("support.chat.repository:start_chat#1",))
def test_a_chat_drawing_a_taken_id_takes_another(patch: pytest.MonkeyPatch) -> None:
    first = start_chat(CUSTOMER, "First question", idempotency_key=None)
    assert first.status == 201
    _draw_again(patch, first.body["chatId"])
    second = start_chat(CUSTOMER, "Second question", idempotency_key=None)
    assert second.status == 201
    assert second.body["chatId"] != first.body["chatId"]
    for reply, text in ((first, "First question"), (second, "Second question")):
        messages = get_chat(reply.body["chatId"], ME).body["messages"]
        assert [message["body"] for message in messages] == [text]


@pytest.mark.guard("support.tickets.repository:create")
def test_a_ticket_drawing_a_taken_id_takes_another(patch: pytest.MonkeyPatch) -> None:
    first = open_ticket(CUSTOMER, subject="First problem", idempotency_key=None)
    assert first.status == 201
    _draw_again(patch, first.body["ticketId"])
    second = open_ticket(CUSTOMER, subject="Second problem", idempotency_key=None)
    assert second.status == 201
    assert second.body["ticketId"] != first.body["ticketId"]
    assert get_ticket(first.body["ticketId"], AGENT).body["subject"] == "First problem"


@pytest.mark.guard("support.faq.repository:create_faq#2")
def test_a_faq_drawing_a_taken_id_is_refused_and_the_first_kept(
    patch: pytest.MonkeyPatch, frozen_clock: FrozenClock
) -> None:
    def create(question: str) -> Reply:
        body = {
            "categoryId": "orders",
            "question": {"en": question, "ar": "سؤال؟"},
            "answer": {"en": "An answer.", "ar": "جواب."},
        }
        return invoke("CreateFaqFunction", caller=claims("admin-1", "admins"), body=body)

    first = create("How do I track my parcel?")
    assert first.status == 201, first.body
    _draw_again(patch, first.body["faqId"])
    frozen_clock.shift(timedelta(seconds=1))  # a later item: only the lookup by id can collide
    second = create("Can I change my address?")
    assert _problem(second) == (409, "/problems/faq-exists")
    items = invoke("ListFaqFunction", caller=NO_CLAIMS, query={"limit": "100"}).body["items"]
    assert [item["question"] for item in items if item["faqId"] == first.body["faqId"]] == [
        "How do I track my parcel?"
    ]


# ---- one operation executed twice at once -------------------------------------------------------
# The idempotency record keeps a second request with the key out while the first runs; once it is
# gone (the first request's 5xx, or its in-progress record expired while it ran on), two executions
# of one operation can run together. What they create derives from the operation, and the outcome
# is written with it: one of them writes, the other answers with its answer.


def _without_the_idempotency_record(patch: pytest.MonkeyPatch) -> None:
    from customer_id import idempotency

    patch.setattr(idempotency, "run_once", lambda caller_id, key, event, context, process: process())


@pytest.mark.guard("support.tickets.repository:create", backs_up=("operations:once",))
def test_one_operation_run_twice_at_once_opens_one_ticket(patch: pytest.MonkeyPatch) -> None:
    _without_the_idempotency_record(patch)
    replies = race(
        patch,
        lambda: open_ticket(CUSTOMER, idempotency_key="open-twice"),
        lambda: open_ticket(CUSTOMER, idempotency_key="open-twice"),
    )
    assert [reply.status for reply in replies] == [201, 201]
    assert replies[0].body == replies[1].body
    listed = read("ListTicketsFunction", CUSTOMER)["items"]
    assert [ticket["ticketId"] for ticket in listed] == [replies[0].body["ticketId"]]
    assert read("GetEngagementFunction", CUSTOMER)["ticketsOpened"] == 1


@pytest.mark.guard(
    "support.chat.repository:start_chat#1",
    backs_up=("support.chat.repository:start_chat#2", "operations:once"),
)
def test_one_operation_run_twice_at_once_starts_one_chat(patch: pytest.MonkeyPatch) -> None:
    _without_the_idempotency_record(patch)
    replies = race(
        patch,
        lambda: start_chat(CUSTOMER, idempotency_key="start-twice"),
        lambda: start_chat(CUSTOMER, idempotency_key="start-twice"),
    )
    assert [reply.status for reply in replies] == [201, 201]
    assert replies[0].body == replies[1].body
    listed = read("ListCustomerChatsFunction", CUSTOMER)["items"]
    assert [chat["chatId"] for chat in listed] == [replies[0].body["chatId"]]
    assert read("GetEngagementFunction", CUSTOMER)["chatsStarted"] == 1


@pytest.mark.parametrize("author", ["owner", "agent"])
def test_one_operation_run_twice_at_once_comments_once(
    patch: pytest.MonkeyPatch, relay: StreamPoller, author: str
) -> None:
    ticket_id = _ticket_in_progress()
    notifications(relay)
    caller = ME if author == "owner" else AGENT
    _without_the_idempotency_record(patch)
    replies = race(
        patch,
        lambda: comment(ticket_id, caller, "Any news?", idempotency_key="comment-twice"),
        lambda: comment(ticket_id, caller, "Any news?", idempotency_key="comment-twice"),
    )
    assert [reply.status for reply in replies] == [201, 201]
    assert replies[0].body == replies[1].body
    comments = get_ticket(ticket_id, AGENT).body["comments"]
    assert [item["commentId"] for item in comments] == [replies[0].body["commentId"]]
    sent = [message["messageId"] for message in notifications(relay)]
    assert sent == ([f"ticket:{ticket_id}:comment:{comments[0]['commentId']}"] if author == "agent" else [])


@pytest.mark.parametrize("sender", ["customer", "agent"])
def test_one_operation_run_twice_at_once_posts_one_message(
    patch: pytest.MonkeyPatch, relay: StreamPoller, sender: str
) -> None:
    chat_id = _chat()
    caller = ME if sender == "customer" else AGENT
    _without_the_idempotency_record(patch)
    replies = race(
        patch,
        lambda: post_message(chat_id, caller, "Hello?", idempotency_key="message-twice"),
        lambda: post_message(chat_id, caller, "Hello?", idempotency_key="message-twice"),
    )
    assert [reply.status for reply in replies] == [201, 201]
    assert replies[0].body == replies[1].body
    messages = get_chat(chat_id, ME).body["messages"]
    assert [(message["sender"], message["body"]) for message in messages[1:]] == [(sender, "Hello?")]
    sent = [message["messageId"] for message in notifications(relay)]
    assert sent == ([f"chat:{chat_id}:message:{messages[1]['messageId']}"] if sender == "agent" else [])
