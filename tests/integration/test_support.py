"""Customer support through its handlers: categories and the FAQ in both languages, the FAQ search
(Arabic diacritics and letter variants, English case and plurals, its cached index), one vote per
customer per item, and live chat: the queue, the agents' race, polling, closing and rating."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from customer_id import clock
from customer_id.support.faq import repository as support_repository
from local_stack.streams import StreamPoller
from tests.clock import FrozenClock
from tests.contention import contention
from tests.harness import NO_CLAIMS, Reply, claims, invoke
from tests.integration.helpers import ADMIN, create_profile, problem
from tests.integration.support_helpers import (
    AGENT,
    FAULTS,
    OTHER_AGENT,
    Fault,
    close_chat,
    engagement,
    get_chat,
    notifications,
    post_message,
    start_chat,
)

CUSTOMER = "customer-support"
OTHER = "customer-support-other"
ME = claims(CUSTOMER)
AR = {"Accept-Language": "ar"}

NEW_FAQ = {
    "categoryId": "returns",
    "question": {"en": "Can I exchange an item?", "ar": "هل يمكنني استبدال منتج؟"},
    "answer": {
        "en": "Yes: return it within 14 days and order the new one.",
        "ar": "نعم: أعده خلال 14 يومًا واطلب المنتج الجديد.",
    },
}


@pytest.fixture(autouse=True)
def profiles() -> None:
    create_profile(CUSTOMER)
    create_profile(OTHER, displayName="Omar Khalid", email="omar@example.com")


def _search(query: str, headers: dict[str, str] | None = None) -> Reply:
    return invoke("SearchFaqFunction", caller=NO_CLAIMS, query={"q": query}, headers=headers)


def _found(query: str) -> list[str]:
    reply = _search(query)
    assert reply.status == 200, reply.body
    return [item["faqId"] for item in reply.body["items"]]


def _faq(**query: str) -> Reply:
    return invoke("ListFaqFunction", caller=NO_CLAIMS, query=query)


def _helpful_count(faq_id: str) -> int:
    items = _faq(limit="100").body["items"]
    count: int = next(item["helpfulCount"] for item in items if item["faqId"] == faq_id)
    return count


def _vote(faq_id: str, customer_id: str, helpful: Any) -> Reply:
    return invoke(
        "FaqFeedbackFunction", path={"faqId": faq_id}, caller=claims(customer_id), body={"helpful": helpful}
    )


def _chat() -> str:
    reply = start_chat(CUSTOMER)
    assert reply.status == 201, reply.body
    chat_id: str = reply.body["chatId"]
    return chat_id


def _queue(**query: str) -> Reply:
    return invoke("ListChatQueueFunction", caller=AGENT, query=query)


# ---- categories and FAQ ------------------------------------------------------------------------


def test_categories_in_the_request_language() -> None:
    english = invoke("ListSupportCategoriesFunction", caller=NO_CLAIMS)
    assert english.status == 200
    assert [item["categoryId"] for item in english.body["items"]] == [
        "orders",
        "shipping",
        "returns",
        "payments",
        "account",
        "loyalty",
    ]
    assert english.body["items"][0] == {
        "categoryId": "orders",
        "name": "Orders",
        "description": "Tracking, changing or cancelling an order",
    }
    arabic = invoke("ListSupportCategoriesFunction", caller=NO_CLAIMS, headers={"Accept-Language": "ar-SA"})
    assert arabic.body["items"][0]["name"] == "الطلبات"


def test_the_faq_pages_in_both_languages() -> None:
    first = _faq(limit="4")
    assert first.status == 200
    assert [item["faqId"] for item in first.body["items"]] == [
        "faq-returns",
        "faq-refund-time",
        "faq-track-order",
        "faq-cancel-order",
    ]
    assert first.body["items"][0] == {
        "faqId": "faq-returns",
        "categoryId": "returns",
        "question": "How do I return an item?",
        "answer": "You can return most items within 14 days of delivery: open your order, choose Return "
        "and print the label.",
        "helpfulCount": 0,
    }
    seen = [item["faqId"] for item in first.body["items"]]
    cursor = first.body["nextCursor"]
    while cursor:
        page = _faq(limit="4", cursor=cursor).body
        seen += [item["faqId"] for item in page["items"]]
        cursor = page["nextCursor"]
    assert len(seen) == len(set(seen)) == 11
    arabic = invoke("ListFaqFunction", caller=NO_CLAIMS, query={"limit": "1"}, headers=AR)
    assert arabic.body["items"][0]["question"] == "كَيْفَ أُرْجِعُ مُنْتَجًا؟"


def test_the_faq_by_category() -> None:
    loyalty = _faq(categoryId="loyalty", limit="1")
    assert [item["faqId"] for item in loyalty.body["items"]] == ["faq-points-expiry"]
    rest = _faq(categoryId="loyalty", limit="1", cursor=loyalty.body["nextCursor"])
    assert [item["faqId"] for item in rest.body["items"]] == ["faq-tiers"]
    assert rest.body["nextCursor"] is None
    elsewhere = _faq(categoryId="returns", cursor=loyalty.body["nextCursor"])
    assert problem(elsewhere) == (400, "/problems/invalid-cursor")  # bound to its filter
    unknown = _faq(categoryId="no-such-category")
    assert problem(unknown) == (400, "/problems/unknown-support-category")
    assert problem(_faq(limit="0")) == (400, "/problems/invalid-input")


def test_admins_add_faq_items(frozen_clock: FrozenClock) -> None:
    frozen_clock.shift(timedelta(seconds=1))  # added after the demo items
    reply = invoke("CreateFaqFunction", caller=ADMIN, body=NEW_FAQ, headers=AR)
    assert reply.status == 201, reply.body
    assert reply.body == {
        "faqId": reply.body["faqId"],
        "categoryId": "returns",
        "question": "هل يمكنني استبدال منتج؟",
        "answer": "نعم: أعده خلال 14 يومًا واطلب المنتج الجديد.",
        "helpfulCount": 0,
    }
    returns = [item["faqId"] for item in _faq(categoryId="returns").body["items"]]
    assert returns == ["faq-returns", "faq-refund-time", reply.body["faqId"]]
    assert _found("exchange") == [reply.body["faqId"]]  # the search sees it at once


@pytest.mark.parametrize(
    ("body", "problem_type"),
    [
        ({**NEW_FAQ, "categoryId": "no-such-category"}, "/problems/unknown-support-category"),
        ({**NEW_FAQ, "question": {"en": "Only English?"}}, "/problems/invalid-input"),
        ({**NEW_FAQ, "answer": {"en": "", "ar": "نعم"}}, "/problems/invalid-input"),
        ({**NEW_FAQ, "question": {"en": "q" * 301, "ar": "س"}}, "/problems/invalid-input"),
        ({**NEW_FAQ, "extra": True}, "/problems/invalid-input"),
        ({"question": NEW_FAQ["question"], "answer": NEW_FAQ["answer"]}, "/problems/invalid-input"),
    ],
)
def test_invalid_faq_items_are_400_and_write_nothing(body: dict[str, Any], problem_type: str) -> None:
    reply = invoke("CreateFaqFunction", caller=ADMIN, body=body)
    assert problem(reply) == (400, problem_type)
    assert len(_faq(limit="100").body["items"]) == 11


def test_adding_an_faq_item_replays_with_an_idempotency_key() -> None:
    key = {"Idempotency-Key": "faq-1"}
    first = invoke("CreateFaqFunction", caller=ADMIN, body=NEW_FAQ, headers=key)
    again = invoke("CreateFaqFunction", caller=ADMIN, body=NEW_FAQ, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert len(_faq(limit="100").body["items"]) == 12


# ---- feedback ------------------------------------------------------------------------------------


def test_one_vote_per_customer_and_the_second_replaces_the_first() -> None:
    reply = _vote("faq-returns", CUSTOMER, True)
    assert (reply.status, reply.body) == (200, {"faqId": "faq-returns", "helpful": True})
    assert _helpful_count("faq-returns") == 1
    assert _vote("faq-returns", CUSTOMER, True).status == 200
    assert _helpful_count("faq-returns") == 1
    assert _vote("faq-returns", CUSTOMER, False).body == {"faqId": "faq-returns", "helpful": False}
    assert _helpful_count("faq-returns") == 0
    assert _vote("faq-returns", OTHER, False).status == 200
    assert _helpful_count("faq-returns") == 0
    assert _vote("faq-returns", OTHER, True).status == 200
    assert _vote("faq-returns", CUSTOMER, True).status == 200
    assert invoke(
        "FaqFeedbackFunction", path={"faqId": "faq-returns"}, caller=AGENT, body={"helpful": True}
    ).body == {"faqId": "faq-returns", "helpful": True}
    assert _helpful_count("faq-returns") == 3
    assert _helpful_count("faq-refund-time") == 0


@pytest.mark.parametrize("helpful", ["yes", 1, None, "true"])
def test_invalid_feedback_is_400(helpful: Any) -> None:
    assert problem(_vote("faq-returns", CUSTOMER, helpful)) == (400, "/problems/invalid-input")
    empty = invoke("FaqFeedbackFunction", path={"faqId": "faq-returns"}, caller=ME, body={})
    assert problem(empty) == (400, "/problems/invalid-input")
    assert _helpful_count("faq-returns") == 0


def test_feedback_on_an_unknown_item_is_404() -> None:
    reply = _vote("faq-nothing", CUSTOMER, True)
    assert problem(reply) == (404, "/problems/faq-not-found")


def test_concurrent_votes_count_exactly() -> None:
    voters = [f"voter-{index}" for index in range(10)]

    def vote(index: int) -> int:
        # ten customers vote helpful; one of them also changes their mind twice meanwhile
        if index < 10:
            return _vote("faq-tiers", voters[index], True).status
        return _vote("faq-tiers", voters[0], index % 2 == 1).status

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(vote, range(14)))
    assert statuses == [200] * 14
    final_vote_of_first = support_repository.vote_of("faq-tiers", voters[0])
    assert _helpful_count("faq-tiers") == 9 + int(bool(final_vote_of_first))


# ---- search --------------------------------------------------------------------------------------


def test_english_search_ignores_case_and_plurals() -> None:
    assert _found("refunds")[0] == "faq-refund-time"
    assert _found("REFUND")[0] == "faq-refund-time"
    assert _found("Passwords")[0] == "faq-reset-password"
    assert _found("invoices")[0] == "faq-invoice"
    hit = _search("refund").body["items"][0]
    assert set(hit) == {"faqId", "question", "answer", "score"}
    assert hit["question"] == "When will I get my refund?"
    assert hit["score"] > 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("إِلْغَاء الطَّلَب", "faq-cancel-order"),  # with diacritics; the item has them too
        ("الغاء الطلب", "faq-cancel-order"),  # hamza on alef dropped, no diacritics
        ("إلغاء", "faq-cancel-order"),
        ("الفاتوره", "faq-invoice"),  # ة typed as ه
        ("فاتورة", "faq-invoice"),  # without the article
        ("متي استلم المبلغ", "faq-refund-time"),  # ى typed as ي, أ as ا
        ("المُسترَد", "faq-refund-time"),
        ("الشحن مجاني", "faq-free-shipping"),  # the item writes الشـــحن, with tatweel
        ("الشـــــحن مجانـي", "faq-free-shipping"),
        ("كلمه المرور", "faq-reset-password"),
        ("آرجع منتج", "faq-returns"),  # آ for ا
    ],
)
def test_arabic_search_ignores_diacritics_and_letter_variants(query: str, expected: str) -> None:
    assert _found(query)[0] == expected


def test_search_answers_in_the_request_language() -> None:
    arabic = _search("refund", headers=AR).body["items"][0]
    assert (arabic["faqId"], arabic["question"]) == ("faq-refund-time", "مَتَى أَسْتَلِمُ المَبْلَغَ المُسْتَرَدّ؟")
    english = _search("الفاتورة").body["items"][0]
    assert (english["faqId"], english["question"]) == ("faq-invoice", "Where can I find my invoice?")


def test_search_ranks_the_best_ten() -> None:
    items = _search("order orders الطلب points").body["items"]
    assert 0 < len(items) <= 10
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)
    for index in range(12):
        item = {**NEW_FAQ, "question": {"en": f"Order question {index}", "ar": f"سؤال الطلب {index}"}}
        assert invoke("CreateFaqFunction", caller=ADMIN, body=item).status == 201
    assert len(_search("order").body["items"]) == 10
    assert _found("zebra") == []
    assert _found("???") == []


@pytest.mark.parametrize("query", ["", "   ", "x" * 201])
def test_the_query_is_1_to_200_characters(query: str) -> None:
    assert problem(_search(query)) == (400, "/problems/invalid-input")
    assert problem(invoke("SearchFaqFunction", caller=NO_CLAIMS, query={})) == (
        400,
        "/problems/invalid-input",
    )
    assert _search("x" * 200).status == 200


def test_the_index_is_not_rebuilt_while_the_faq_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    real = support_repository.all_faqs

    def counting() -> Any:
        reads.append(1)
        return real()

    monkeypatch.setattr(support_repository, "all_faqs", counting)
    for _ in range(3):
        assert _found("refund")[0] == "faq-refund-time"
    assert len(reads) <= 1  # built once (or already built by an earlier test of this process)
    assert invoke("CreateFaqFunction", caller=ADMIN, body=NEW_FAQ).status == 201
    built = len(reads)
    for _ in range(3):
        assert _found("exchange")
    assert len(reads) == built + 1


# ---- live chat -----------------------------------------------------------------------------------


def test_starting_a_chat(relay: StreamPoller) -> None:
    reply = start_chat(CUSTOMER, "  Hello, where is my order?  ")
    assert reply.status == 201, reply.body
    assert set(reply.body) == {"chatId", "status", "createdAt"}
    assert reply.body["status"] == "waiting"
    chat = get_chat(reply.body["chatId"], ME).body
    assert (chat["status"], chat["agentId"], chat["customerId"]) == ("waiting", None, CUSTOMER)
    assert [(message["sender"], message["body"]) for message in chat["messages"]] == [
        ("customer", "Hello, where is my order?")
    ]
    assert engagement(CUSTOMER)["chatsStarted"] == 1
    queued = _queue().body["items"]
    assert [(item["chatId"], item["openingMessage"]) for item in queued] == [
        (reply.body["chatId"], "Hello, where is my order?")
    ]
    assert notifications(relay) == []


@pytest.mark.parametrize(
    ("body", "problem_type"),
    [
        ({"categoryId": "no-such-category", "message": "Hi"}, "/problems/unknown-support-category"),
        ({"categoryId": "orders", "message": " "}, "/problems/invalid-input"),
        ({"categoryId": "orders", "message": "x" * 2001}, "/problems/invalid-input"),
        ({"categoryId": "orders"}, "/problems/invalid-input"),
        ({"message": "Hi"}, "/problems/invalid-input"),
        ({"categoryId": "orders", "message": "Hi", "priority": "high"}, "/problems/invalid-input"),
    ],
)
def test_invalid_chats_are_400_and_write_nothing(body: dict[str, Any], problem_type: str) -> None:
    reply = invoke("StartChatFunction", path={"customerId": CUSTOMER}, caller=ME, body=body)
    assert problem(reply) == (400, problem_type)
    assert _queue().body["items"] == []
    assert engagement(CUSTOMER)["chatsStarted"] == 0


def test_chat_routes_of_other_customers() -> None:
    assert problem(start_chat("customer-without-profile")) == (404, "/problems/profile-not-found")
    other_path = invoke(
        "StartChatFunction",
        path={"customerId": CUSTOMER},
        caller=claims(OTHER),
        body={"categoryId": "orders"},
    )
    assert problem(other_path) == (403, "/problems/forbidden")
    others = invoke("ListCustomerChatsFunction", path={"customerId": CUSTOMER}, caller=claims(OTHER))
    assert problem(others) == (403, "/problems/forbidden")
    chat_id = _chat()
    stranger = claims(OTHER)
    missing = get_chat("no-such-chat", stranger)
    assert problem(missing) == (404, "/problems/not-found")
    for reply in (
        get_chat(chat_id, stranger),
        post_message(chat_id, stranger),
        close_chat(chat_id, stranger, {}),
    ):
        assert problem(reply) == (404, "/problems/not-found")
        assert reply.body == missing.body
    assert len(get_chat(chat_id, ME).body["messages"]) == 1


def test_starting_a_chat_replays_with_an_idempotency_key() -> None:
    key = {"Idempotency-Key": "chat-1"}
    first, again = start_chat(CUSTOMER, headers=key), start_chat(CUSTOMER, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert len(_queue().body["items"]) == 1
    assert engagement(CUSTOMER)["chatsStarted"] == 1


def test_the_queue_is_oldest_first_and_only_waiting_chats(frozen_clock: FrozenClock) -> None:
    chats = []
    for index in range(3):
        frozen_clock.shift(timedelta(seconds=1))  # each chat later than the one before
        customer = f"customer-queue-{index}"
        create_profile(customer)
        reply = start_chat(customer, f"question {index}")
        chats.append(reply.body["chatId"])
    first = _queue(limit="2")
    assert [item["chatId"] for item in first.body["items"]] == chats[:2]
    assert all(item["status"] == "waiting" for item in first.body["items"])
    rest = _queue(limit="2", cursor=first.body["nextCursor"])
    assert [item["chatId"] for item in rest.body["items"]] == chats[2:]
    assert rest.body["nextCursor"] is None
    assert post_message(chats[0], AGENT).status == 201  # taken: leaves the queue
    assert close_chat(chats[2], claims("customer-queue-2"), None).status == 200  # closed: leaves it too
    assert [item["chatId"] for item in _queue().body["items"]] == [chats[1]]
    assert problem(_queue(cursor=first.body["nextCursor"] + "x")) == (400, "/problems/invalid-cursor")
    customers = invoke(
        "ListCustomerChatsFunction",
        path={"customerId": "customer-queue-0"},
        caller=AGENT,
        query={"cursor": first.body["nextCursor"]},
    )
    assert problem(customers) == (
        400,
        "/problems/invalid-cursor",
    )  # a cursor of the queue is not one of a customer's chats
    assert problem(invoke("ListChatQueueFunction", caller=ME, query={})) == (403, "/problems/staff-only")
    assert invoke("ListChatQueueFunction", caller=ADMIN, query={}).status == 200


def test_an_agents_first_message_takes_the_chat(relay: StreamPoller) -> None:
    chat_id = _chat()
    assert post_message(chat_id, ME, "Still there?").status == 201  # the customer's: still waiting
    assert get_chat(chat_id, ME).body["status"] == "waiting"
    reply = post_message(chat_id, AGENT, "Hi, I am looking into it.")
    assert reply.status == 201
    assert set(reply.body) == {"messageId", "sender", "body", "createdAt"}
    assert reply.body["sender"] == "agent"
    chat = get_chat(chat_id, ME).body
    assert (chat["status"], chat["agentId"]) == ("active", "agent-1")
    assert [message["sender"] for message in chat["messages"]] == ["customer", "customer", "agent"]
    taken = post_message(chat_id, OTHER_AGENT, "Me too")
    assert (taken.status, taken.body["type"]) == (409, "/problems/chat-taken")
    assert post_message(chat_id, AGENT, "Found it.").status == 201
    sent = notifications(relay)
    assert [(message["template"], message["customerId"], message["category"]) for message in sent] == [
        ("chat_agent_reply", CUSTOMER, "support")
    ] * 2
    assert len({message["messageId"] for message in sent}) == 2


def test_agents_racing_for_a_chat_exactly_one_wins() -> None:
    for _ in range(3):
        chat_id = _chat()
        agents = [claims(f"agent-{index}", "agents") for index in range(6)]
        with ThreadPoolExecutor(6) as pool:
            replies = list(pool.map(lambda agent: post_message(chat_id, agent, "Mine!"), agents))  # noqa: B023
        statuses = sorted(reply.status for reply in replies)
        assert statuses == [201] + [409] * 5
        winner = agents[next(index for index, reply in enumerate(replies) if reply.status == 201)]["sub"]
        chat = get_chat(chat_id, AGENT).body
        assert (chat["status"], chat["agentId"]) == ("active", winner)
        assert [message["sender"] for message in chat["messages"]] == ["customer", "agent"]


def test_contended_chat_and_vote_writes_are_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    with contention(monkeypatch, "TransactionConflict", every=2) as injected:
        chat_id = _chat()
        assert post_message(chat_id, AGENT, "Let me check.").status == 201
        assert _vote("faq-returns", CUSTOMER, True).status == 200
        assert close_chat(chat_id, ME, {"rating": 5}).status == 200
    assert injected.answered >= 2
    chat = get_chat(chat_id, ME).body
    assert (chat["status"], chat["agentId"], chat["rating"]) == ("closed", "agent-1", 5)
    assert [message["sender"] for message in chat["messages"]] == ["customer", "agent"]
    assert engagement(CUSTOMER)["chatsStarted"] == 1
    assert _helpful_count("faq-returns") == 1


def test_a_chat_that_stays_contended_is_503_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    chat_id = _chat()
    with contention(monkeypatch, "ThrottlingError", every=1):
        reply = post_message(chat_id, AGENT, "Let me check.")
    assert (reply.status, reply.body["type"]) == (503, "/problems/support-busy")
    assert reply.headers["Retry-After"] == "1"
    assert [message["sender"] for message in get_chat(chat_id, ME).body["messages"]] == ["customer"]


def test_polling_with_after() -> None:
    chat_id = _chat()
    opening = get_chat(chat_id, ME).body["messages"][0]["messageId"]
    replies = [
        post_message(chat_id, AGENT, "one"),
        post_message(chat_id, ME, "two"),
        post_message(chat_id, AGENT, "three"),
    ]
    after_opening = get_chat(chat_id, ME, after=opening).body["messages"]
    assert [message["body"] for message in after_opening] == ["one", "two", "three"]
    assert [message["messageId"] for message in after_opening] == [
        reply.body["messageId"] for reply in replies
    ]
    latest = get_chat(chat_id, AGENT, after=replies[1].body["messageId"]).body["messages"]
    assert [message["body"] for message in latest] == ["three"]
    assert get_chat(chat_id, ME, after=replies[2].body["messageId"]).body["messages"] == []
    assert problem(get_chat(chat_id, ME, after="not-a-message-id")) == (400, "/problems/invalid-input")


def test_closing_and_rating(monkeypatch: pytest.MonkeyPatch) -> None:
    chat_id = _chat()
    assert post_message(chat_id, AGENT).status == 201
    staff_rating = close_chat(chat_id, AGENT, {"rating": 5})
    assert problem(staff_rating) == (403, "/problems/chat-rating-owner-only")
    for rating in (0, 6, 4.5, "5", True):
        assert problem(close_chat(chat_id, ME, {"rating": rating})) == (400, "/problems/invalid-input"), (
            rating
        )
    assert problem(close_chat(chat_id, ME, {"rating": 5, "extra": 1})) == (400, "/problems/invalid-input")
    assert get_chat(chat_id, ME).body["status"] == "active"

    closed_at = clock.now().replace(microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: closed_at)
    closed = close_chat(chat_id, ME, {"rating": 4, "comment": "Quick, thanks."})
    assert closed.status == 200, closed.body
    assert (closed.body["status"], closed.body["rating"], closed.body["comment"]) == (
        "closed",
        4,
        "Quick, thanks.",
    )
    assert closed.body["closedAt"] == clock.iso(closed_at)
    chat = get_chat(chat_id, AGENT).body
    assert (chat["status"], chat["rating"]) == ("closed", 4)
    for caller in (ME, AGENT):
        posted = post_message(chat_id, caller)
        assert problem(posted) == (409, "/problems/chat-closed")
        again = close_chat(chat_id, caller, {})
        assert problem(again) == (409, "/problems/chat-closed")
    assert len(get_chat(chat_id, ME).body["messages"]) == 2


def test_staff_close_a_chat_without_rating() -> None:
    chat_id = _chat()
    closed = close_chat(chat_id, OTHER_AGENT, None)  # an empty body is `{}`
    assert closed.status == 200
    assert (closed.body["status"], closed.body["rating"]) == ("closed", None)


def test_the_customer_lists_their_chats_newest_first(frozen_clock: FrozenClock) -> None:
    chats = []
    for _ in range(3):
        frozen_clock.shift(timedelta(seconds=1))  # each chat later than the one before
        chats.append(_chat())
    first = invoke(
        "ListCustomerChatsFunction", path={"customerId": CUSTOMER}, caller=ME, query={"limit": "2"}
    )
    assert first.status == 200
    assert [item["chatId"] for item in first.body["items"]] == chats[::-1][:2]
    rest = invoke(
        "ListCustomerChatsFunction",
        path={"customerId": CUSTOMER},
        caller=AGENT,
        query={"limit": "2", "cursor": first.body["nextCursor"]},
    )
    assert [item["chatId"] for item in rest.body["items"]] == chats[:1]
    assert rest.body["nextCursor"] is None
    assert close_chat(chats[0], ME, {"rating": 2}).status == 200
    listed = invoke("ListCustomerChatsFunction", path={"customerId": CUSTOMER}, caller=ME, query={}).body[
        "items"
    ]
    assert [(item["status"], item["rating"]) for item in listed] == [("waiting", None)] * 2 + [("closed", 2)]
    others = invoke("ListCustomerChatsFunction", path={"customerId": OTHER}, caller=claims(OTHER), query={})
    assert others.body["items"] == []


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "x" * 2001}, {"text": "hi"}])
def test_invalid_messages_are_400(body: dict[str, Any]) -> None:
    chat_id = _chat()
    reply = invoke("PostChatMessageFunction", path={"chatId": chat_id}, caller=AGENT, body=body)
    assert problem(reply) == (400, "/problems/invalid-input")
    assert get_chat(chat_id, ME).body["status"] == "waiting"
    assert len(get_chat(chat_id, ME).body["messages"]) == 1


def test_a_message_replays_with_an_idempotency_key() -> None:
    chat_id = _chat()
    key = {"Idempotency-Key": "message-1"}
    first = invoke(
        "PostChatMessageFunction", path={"chatId": chat_id}, caller=ME, body={"body": "Hi"}, headers=key
    )
    again = invoke(
        "PostChatMessageFunction", path={"chatId": chat_id}, caller=ME, body={"body": "Hi"}, headers=key
    )
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert len(get_chat(chat_id, ME).body["messages"]) == 2


# ---- a fault, then the same Idempotency-Key again ------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_starting_tried_again_after_a_fault_starts_one_chat(
    fault: Fault, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fault(monkeypatch):
        failed = start_chat(CUSTOMER, idempotency_key="chat-after-fault")
    assert problem(failed) == (500, "/problems/internal-error")
    retried = start_chat(CUSTOMER, idempotency_key="chat-after-fault")
    assert retried.status == 201, retried.body
    again = start_chat(CUSTOMER, idempotency_key="chat-after-fault")
    assert (again.status, again.body) == (201, retried.body)
    listed = invoke("ListCustomerChatsFunction", path={"customerId": CUSTOMER}, caller=ME, query={}).body
    assert [chat["chatId"] for chat in listed["items"]] == [retried.body["chatId"]]
    assert engagement(CUSTOMER)["chatsStarted"] == 1


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
@pytest.mark.parametrize("sender", ["customer", "agent"])
def test_a_message_tried_again_after_a_fault_is_posted_and_notified_once(
    sender: str, fault: Fault, monkeypatch: pytest.MonkeyPatch, relay: StreamPoller
) -> None:
    chat_id = _chat()
    caller = ME if sender == "customer" else AGENT
    with fault(monkeypatch):
        failed = post_message(chat_id, caller, "Are you there?", idempotency_key="message-after-fault")
    assert problem(failed) == (500, "/problems/internal-error")
    retried = post_message(chat_id, caller, "Are you there?", idempotency_key="message-after-fault")
    assert retried.status == 201, retried.body
    again = post_message(chat_id, caller, "Are you there?", idempotency_key="message-after-fault")
    assert (again.status, again.body) == (201, retried.body)
    chat = get_chat(chat_id, ME).body
    assert [(message["sender"], message["body"]) for message in chat["messages"]] == [
        ("customer", "Hello, where is my order?"),
        (sender, "Are you there?"),
    ]
    assert chat["messages"][1]["messageId"] == retried.body["messageId"]
    sent = [(message["messageId"], message["template"]) for message in notifications(relay)]
    expected = [(f"chat:{chat_id}:message:{retried.body['messageId']}", "chat_agent_reply")]
    assert sent == (expected if sender == "agent" else [])


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_closing_tried_again_after_a_fault_answers_the_first_closing(
    fault: Fault, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat_id = _chat()
    closing = {"rating": 4, "comment": "Thanks"}
    key = "close-after-fault"
    with fault(monkeypatch):
        failed = invoke(
            "CloseChatFunction", path={"chatId": chat_id}, caller=ME, body=closing, idempotency_key=key
        )
    assert problem(failed) == (500, "/problems/internal-error")
    retried = invoke(
        "CloseChatFunction", path={"chatId": chat_id}, caller=ME, body=closing, idempotency_key=key
    )
    assert (retried.status, retried.body["status"], retried.body["rating"]) == (200, "closed", 4)
    again = invoke(
        "CloseChatFunction", path={"chatId": chat_id}, caller=ME, body=closing, idempotency_key=key
    )
    assert (again.status, again.body) == (200, retried.body)
