"""Support tickets through their handlers: opening, the status machine move by move and role by
role, the owner's 7-day reopen window, priority and SLA, comments and internal notes, notifications,
access, idempotency and concurrent changes."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest

from customer_id import clock
from customer_id.support.tickets.service import MAX_COMMENTS
from local_stack.streams import StreamPoller
from tests.clock import FrozenClock
from tests.contention import contention
from tests.harness import NO_CLAIMS, claims, invoke
from tests.integration.helpers import ADMIN, create_profile, problem
from tests.integration.support_helpers import (
    AGENT,
    FAULTS,
    OTHER_AGENT,
    Fault,
    comment,
    dying_after_the_commit,
    engagement,
    get_ticket,
    notifications,
    open_ticket,
    patch_ticket,
)
from tests.races import race

OWNER = "customer-ticket-owner"
OTHER = "customer-ticket-other"
ME = claims(OWNER)

STATUSES = ("open", "in_progress", "waiting_on_customer", "resolved", "closed")
# API.md's "Support tickets." rules, written out move by move
STAFF_MOVES = {
    ("open", "in_progress"),
    ("in_progress", "waiting_on_customer"),
    ("in_progress", "resolved"),
    ("waiting_on_customer", "in_progress"),
    ("resolved", "open"),
    ("open", "closed"),
    ("in_progress", "closed"),
    ("waiting_on_customer", "closed"),
    ("resolved", "closed"),
}
OWNER_MOVES = {
    ("resolved", "open"),
    ("open", "closed"),
    ("in_progress", "closed"),
    ("waiting_on_customer", "closed"),
    ("resolved", "closed"),
}
# staff moves that take a new ticket to each status
ROUTE_TO = {
    "open": [],
    "in_progress": ["in_progress"],
    "waiting_on_customer": ["in_progress", "waiting_on_customer"],
    "resolved": ["in_progress", "resolved"],
    "closed": ["closed"],
}


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.fixture(autouse=True)
def profiles() -> None:
    create_profile(OWNER)
    create_profile(OTHER, displayName="Omar Khalid", email="omar@example.com")


def _ticket(status: str = "open", **fields: Any) -> str:
    reply = open_ticket(OWNER, **fields)
    assert reply.status == 201, reply.body
    ticket_id: str = reply.body["ticketId"]
    for step in ROUTE_TO[status]:
        moved = patch_ticket(ticket_id, AGENT, status=step)
        assert moved.status == 200, moved.body
    return ticket_id


# ---- opening and reading -----------------------------------------------------------------------


def test_opening_a_ticket(relay: StreamPoller) -> None:
    reply = open_ticket(OWNER, priority="high", subject="  Broken mug  ")
    assert reply.status == 201, reply.body
    ticket = reply.body
    assert ticket["status"] == "open"
    assert (ticket["customerId"], ticket["subject"], ticket["categoryId"]) == (OWNER, "Broken mug", "orders")
    assert ticket["assigneeId"] is None
    assert ticket["comments"] == []
    assert (ticket["resolvedAt"], ticket["closedAt"]) == (None, None)
    assert _iso(ticket["slaDueAt"]) - _iso(ticket["createdAt"]) == timedelta(hours=24)
    assert ticket["createdAt"].endswith("Z")
    assert get_ticket(ticket["ticketId"], ME).body == ticket
    assert get_ticket(ticket["ticketId"], AGENT).body == ticket
    assert engagement(OWNER)["ticketsOpened"] == 1
    assert notifications(relay) == []  # opening is no status change


@pytest.mark.parametrize(("priority", "hours"), [("urgent", 4), ("high", 24), ("normal", 48), ("low", 72)])
def test_sla_follows_the_priority(priority: str, hours: int) -> None:
    ticket = open_ticket(OWNER, priority=priority).body
    assert _iso(ticket["slaDueAt"]) - _iso(ticket["createdAt"]) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("body", "problem_type"),
    [
        ({"description": "d", "categoryId": "orders", "priority": "low"}, "/problems/invalid-input"),
        (
            {"subject": " ", "description": "d", "categoryId": "orders", "priority": "low"},
            "/problems/invalid-input",
        ),
        (
            {"subject": "s" * 201, "description": "d", "categoryId": "orders", "priority": "low"},
            "/problems/invalid-input",
        ),
        (
            {"subject": "s", "description": "d", "categoryId": "orders", "priority": "critical"},
            "/problems/invalid-input",
        ),
        ({"subject": "s", "description": "d", "categoryId": "orders"}, "/problems/invalid-input"),
        (
            {
                "subject": "s",
                "description": "d",
                "categoryId": "orders",
                "priority": "low",
                "status": "closed",
            },
            "/problems/invalid-input",
        ),
        (
            {"subject": "s", "description": "d", "categoryId": "no-such-category", "priority": "low"},
            "/problems/unknown-support-category",
        ),
    ],
)
def test_invalid_tickets_are_400_and_write_nothing(body: dict[str, Any], problem_type: str) -> None:
    reply = invoke("CreateTicketFunction", path={"customerId": OWNER}, caller=ME, body=body)
    assert problem(reply) == (400, problem_type)
    listed = invoke("ListTicketsFunction", path={"customerId": OWNER}, caller=ME, query={})
    assert listed.body["items"] == []
    assert engagement(OWNER)["ticketsOpened"] == 0


def test_an_unknown_category_names_the_field() -> None:
    reply = open_ticket(OWNER, categoryId="no-such-category")
    assert problem(reply) == (400, "/problems/unknown-support-category")
    assert [error["field"] for error in reply.body["errors"]] == ["categoryId"]


def test_malformed_json_is_400() -> None:
    reply = invoke("CreateTicketFunction", path={"customerId": OWNER}, caller=ME, raw_body="{nope")
    assert problem(reply) == (400, "/problems/malformed-json")


def test_a_customer_without_profile_is_404() -> None:
    assert problem(open_ticket("customer-without-profile")) == (404, "/problems/profile-not-found")
    reply = invoke(
        "ListTicketsFunction", path={"customerId": "customer-without-profile"}, caller=AGENT, query={}
    )
    assert problem(reply) == (404, "/problems/profile-not-found")


def test_another_customers_path_is_403() -> None:
    mine = invoke("CreateTicketFunction", path={"customerId": OWNER}, caller=claims(OTHER), body={})
    assert problem(mine) == (403, "/problems/forbidden")
    listed = invoke("ListTicketsFunction", path={"customerId": OWNER}, caller=claims(OTHER), query={})
    assert problem(listed) == (403, "/problems/forbidden")
    staff = invoke("CreateTicketFunction", path={"customerId": OWNER}, caller=AGENT, body={})
    assert problem(staff) == (403, "/problems/forbidden")


def test_opening_replays_with_an_idempotency_key() -> None:
    key = {"Idempotency-Key": "ticket-1"}
    first, again = open_ticket(OWNER, headers=key), open_ticket(OWNER, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    other_body = open_ticket(OWNER, subject="Another subject", headers=key)
    assert problem(other_body) == (409, "/problems/idempotency-key-reused")
    assert (
        len(invoke("ListTicketsFunction", path={"customerId": OWNER}, caller=ME, query={}).body["items"]) == 1
    )
    assert engagement(OWNER)["ticketsOpened"] == 1


def test_someone_elses_ticket_is_404_like_a_missing_one() -> None:
    ticket_id = _ticket()
    stranger = claims(OTHER)
    missing = get_ticket("no-such-ticket", stranger)
    assert problem(missing) == (404, "/problems/not-found")
    for reply in (
        get_ticket(ticket_id, stranger),
        comment(ticket_id, stranger),
        patch_ticket(ticket_id, stranger, status="closed"),
    ):
        assert problem(reply) == (404, "/problems/not-found")
        assert reply.body == missing.body
    assert get_ticket(ticket_id, ME).body["status"] == "open"
    assert get_ticket(ticket_id, ADMIN).status == 200
    assert problem(get_ticket(ticket_id, NO_CLAIMS)) == (401, "/problems/unauthenticated")


def test_listing_pages_newest_first_with_a_status_filter(frozen_clock: FrozenClock) -> None:
    first = _ticket()
    frozen_clock.shift(timedelta(seconds=1))  # each ticket later than the one before
    second = _ticket("in_progress")
    frozen_clock.shift(timedelta(seconds=1))
    third = _ticket()
    listed = invoke("ListTicketsFunction", path={"customerId": OWNER}, caller=ME, query={"limit": "2"})
    assert [item["ticketId"] for item in listed.body["items"]] == [third, second]
    assert "comments" not in listed.body["items"][0]
    rest = invoke(
        "ListTicketsFunction",
        path={"customerId": OWNER},
        caller=ME,
        query={"limit": "2", "cursor": listed.body["nextCursor"]},
    )
    assert [item["ticketId"] for item in rest.body["items"]] == [first]
    assert rest.body["nextCursor"] is None

    open_only = invoke(
        "ListTicketsFunction",
        path={"customerId": OWNER},
        caller=AGENT,
        query={"status": "open", "limit": "1"},
    )
    assert [item["ticketId"] for item in open_only.body["items"]] == [third]
    following = invoke(
        "ListTicketsFunction",
        path={"customerId": OWNER},
        caller=AGENT,
        query={"status": "open", "limit": "1", "cursor": open_only.body["nextCursor"]},
    )
    assert [item["ticketId"] for item in following.body["items"]] == [first]
    # a cursor is bound to its filter, and an unknown status is invalid
    elsewhere = invoke(
        "ListTicketsFunction",
        path={"customerId": OWNER},
        caller=AGENT,
        query={"status": "resolved", "cursor": open_only.body["nextCursor"]},
    )
    assert problem(elsewhere) == (400, "/problems/invalid-cursor")
    unknown = invoke("ListTicketsFunction", path={"customerId": OWNER}, caller=ME, query={"status": "lost"})
    assert problem(unknown) == (400, "/problems/invalid-input")
    assert (
        invoke("ListTicketsFunction", path={"customerId": OTHER}, caller=claims(OTHER), query={}).body[
            "items"
        ]
        == []
    )


# ---- the status machine ------------------------------------------------------------------------


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("role", ["owner", "staff"])
def test_every_move_from_every_status(relay: StreamPoller, current: str, role: str) -> None:
    caller = ME if role == "owner" else AGENT
    allowed = OWNER_MOVES if role == "owner" else STAFF_MOVES
    for target in STATUSES:
        if target == current:
            continue
        ticket_id = _ticket(current)
        notifications(relay)
        reply = patch_ticket(ticket_id, caller, status=target)
        if (current, target) in allowed:
            expected = 200
        elif role == "owner" and (current, target) in STAFF_MOVES:
            expected = 403
        else:
            expected = 409
        assert reply.status == expected, (current, target, reply.body)
        status_now = get_ticket(ticket_id, AGENT).body["status"]
        sent = notifications(relay)
        if expected == 200:
            assert reply.body["status"] == status_now == target
            assert [(message["template"], message["params"]["status"]) for message in sent] == [
                ("ticket_status_changed", target)
            ]
            assert sent[0]["params"]["previousStatus"] == current
            assert (sent[0]["customerId"], sent[0]["category"]) == (OWNER, "support")
        else:
            assert status_now == current
            assert sent == []
            expected_type = (
                "/problems/ticket-move-staff-only" if expected == 403 else "/problems/ticket-move-impossible"
            )
            assert problem(reply) == (expected, expected_type)


@pytest.mark.parametrize("status", STATUSES)
def test_setting_the_current_status_again_changes_nothing(relay: StreamPoller, status: str) -> None:
    ticket_id = _ticket(status)
    before = get_ticket(ticket_id, AGENT).body
    notifications(relay)
    for caller in (ME, AGENT):
        reply = patch_ticket(ticket_id, caller, status=status)
        assert reply.status == 200
        assert reply.body == before
    assert notifications(relay) == []


def test_the_owner_reopens_a_resolved_ticket_within_7_days(monkeypatch: pytest.MonkeyPatch) -> None:
    resolved_at = clock.now().replace(microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: resolved_at)
    within, late = _ticket("resolved"), _ticket("resolved")
    resolved = get_ticket(within, ME).body
    assert resolved["resolvedAt"] == clock.iso(resolved_at)
    reopened = patch_ticket(within, ME, status="open")
    assert reopened.status == 200
    assert (reopened.body["status"], reopened.body["resolvedAt"]) == ("open", None)

    assert _iso(get_ticket(late, ME).body["resolvedAt"]) == resolved_at
    monkeypatch.setattr(clock, "now", lambda: resolved_at + timedelta(days=7, seconds=1))
    too_late = patch_ticket(late, ME, status="open")
    assert problem(too_late) == (409, "/problems/ticket-reopen-window-passed")
    assert patch_ticket(late, ME, status="closed").status == 200  # closing stays the owner's

    staff_late = _ticket("resolved")
    monkeypatch.setattr(clock, "now", lambda: datetime.now(resolved_at.tzinfo) + timedelta(days=30))
    assert patch_ticket(staff_late, AGENT, status="open").status == 200  # staff: any time


def test_a_resolved_ticket_records_when_and_closing_when(monkeypatch: pytest.MonkeyPatch) -> None:
    resolved_at = clock.now().replace(microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: resolved_at)
    ticket_id = _ticket("resolved")
    closed_at = resolved_at + timedelta(hours=2)
    monkeypatch.setattr(clock, "now", lambda: closed_at)
    closed = patch_ticket(ticket_id, ME, status="closed").body
    assert (closed["resolvedAt"], closed["closedAt"]) == (clock.iso(resolved_at), clock.iso(closed_at))


# ---- priority, assignee --------------------------------------------------------------------------


def test_only_staff_set_priority_and_assignee() -> None:
    ticket_id = _ticket()
    for body in (
        {"priority": "urgent"},
        {"assigneeId": "agent-2"},
        {"assigneeId": None},
        {"status": "closed", "priority": "low"},
    ):
        reply = patch_ticket(ticket_id, ME, **body)
        assert problem(reply) == (403, "/problems/ticket-fields-staff-only"), body
    assert get_ticket(ticket_id, ME).body["status"] == "open"


def test_a_priority_change_recomputes_the_sla_from_creation() -> None:
    ticket = open_ticket(OWNER, priority="low").body
    urgent = patch_ticket(ticket["ticketId"], AGENT, priority="urgent")
    assert urgent.status == 200
    assert _iso(urgent.body["slaDueAt"]) - _iso(ticket["createdAt"]) == timedelta(hours=4)
    assert urgent.body["status"] == "open"
    high = patch_ticket(ticket["ticketId"], ADMIN, priority="high").body
    assert _iso(high["slaDueAt"]) - _iso(ticket["createdAt"]) == timedelta(hours=24)


def test_assignment() -> None:
    ticket_id = _ticket()
    assigned = patch_ticket(ticket_id, ADMIN, assigneeId="agent-2")
    assert (assigned.status, assigned.body["assigneeId"]) == (200, "agent-2")
    assert patch_ticket(ticket_id, AGENT, assigneeId=None).body["assigneeId"] is None
    # the agent who takes an unassigned ticket is its assignee, unless the patch names one
    assert patch_ticket(ticket_id, AGENT, status="in_progress").body["assigneeId"] == "agent-1"
    other = _ticket()
    named = patch_ticket(other, AGENT, status="in_progress", assigneeId="agent-2").body
    assert named["assigneeId"] == "agent-2"


@pytest.mark.parametrize(
    "body", [{}, {"status": None}, {"priority": None}, {"status": "done"}, {"priority": "asap"}, {"x": 1}]
)
def test_invalid_patches_are_400(body: dict[str, Any]) -> None:
    ticket_id = _ticket()
    before = get_ticket(ticket_id, AGENT).body
    reply = invoke("UpdateTicketFunction", path={"ticketId": ticket_id}, caller=AGENT, body=body)
    assert problem(reply) == (400, "/problems/invalid-input")
    assert get_ticket(ticket_id, AGENT).body == before


def test_a_closed_ticket_takes_no_change() -> None:
    ticket_id = _ticket("closed")
    assert problem(patch_ticket(ticket_id, AGENT, priority="urgent")) == (409, "/problems/ticket-closed")
    assert problem(patch_ticket(ticket_id, AGENT, assigneeId="agent-2")) == (409, "/problems/ticket-closed")
    closed_comment = comment(ticket_id, ME)
    assert problem(closed_comment) == (409, "/problems/ticket-closed")
    assert get_ticket(ticket_id, AGENT).body["comments"] == []


# ---- comments and internal notes -----------------------------------------------------------------


def test_comments_and_internal_notes(relay: StreamPoller) -> None:
    ticket_id = _ticket("in_progress")
    notifications(relay)
    mine = comment(ticket_id, ME, "The mug handle is broken too.")
    assert mine.status == 201
    assert {key: mine.body[key] for key in ("authorId", "authorRole", "body", "internal")} == {
        "authorId": OWNER,
        "authorRole": "customer",
        "body": "The mug handle is broken too.",
        "internal": False,
    }
    note = comment(ticket_id, AGENT, "Customer seems to have dropped it.", internal=True)
    assert (note.status, note.body["internal"], note.body["authorRole"]) == (201, True, "staff")
    reply = comment(ticket_id, AGENT, "We are sending a replacement.")
    assert reply.status == 201

    staff_view = get_ticket(ticket_id, AGENT).body["comments"]
    assert [item["commentId"] for item in staff_view] == [
        mine.body["commentId"],
        note.body["commentId"],
        reply.body["commentId"],
    ]
    customer_view = get_ticket(ticket_id, ME).body
    assert [item["commentId"] for item in customer_view["comments"]] == [
        mine.body["commentId"],
        reply.body["commentId"],
    ]
    assert "dropped" not in str(customer_view)
    # nor in the ticket a customer's own change answers with
    closed = patch_ticket(ticket_id, ME, status="closed").body
    assert "dropped" not in str(closed)
    assert len(patch_ticket(ticket_id, ADMIN, status="closed").body["comments"]) == 3

    # the agent's reply is notified, the internal note and the customer's own comment are not
    sent = notifications(relay)
    replies = [message for message in sent if message["template"] == "ticket_agent_reply"]
    assert [message["params"]["commentId"] for message in replies] == [reply.body["commentId"]]
    assert "dropped" not in str(sent)


def test_customers_write_no_internal_notes() -> None:
    ticket_id = _ticket()
    reply = comment(ticket_id, ME, "Secret?", internal=True)
    assert problem(reply) == (403, "/problems/ticket-internal-staff-only")
    assert get_ticket(ticket_id, AGENT).body["comments"] == []


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "x" * 5001}, {"body": "hi", "internal": "yes"}])
def test_invalid_comments_are_400(body: dict[str, Any]) -> None:
    ticket_id = _ticket()
    reply = invoke("AddTicketCommentFunction", path={"ticketId": ticket_id}, caller=ME, body=body)
    assert problem(reply) == (400, "/problems/invalid-input")
    assert get_ticket(ticket_id, AGENT).body["comments"] == []


def test_the_owners_comment_brings_a_waiting_ticket_back(relay: StreamPoller) -> None:
    ticket_id = _ticket("waiting_on_customer")
    assert comment(ticket_id, AGENT, "Could you send a photo?").status == 201
    assert get_ticket(ticket_id, ME).body["status"] == "waiting_on_customer"  # staff's comment: no move
    notifications(relay)
    assert comment(ticket_id, ME, "Here it is.").status == 201
    assert get_ticket(ticket_id, ME).body["status"] == "in_progress"
    sent = notifications(relay)
    assert [(message["template"], message["params"]["status"]) for message in sent] == [
        ("ticket_status_changed", "in_progress")
    ]


def test_a_comment_replays_with_an_idempotency_key() -> None:
    ticket_id = _ticket()
    key = {"Idempotency-Key": "comment-1"}
    first = invoke(
        "AddTicketCommentFunction", path={"ticketId": ticket_id}, caller=ME, body={"body": "Hi"}, headers=key
    )
    again = invoke(
        "AddTicketCommentFunction", path={"ticketId": ticket_id}, caller=ME, body={"body": "Hi"}, headers=key
    )
    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert len(get_ticket(ticket_id, ME).body["comments"]) == 1


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_opening_tried_again_after_a_fault_opens_one_ticket(
    fault: Fault, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fault(monkeypatch):
        failed = open_ticket(OWNER, idempotency_key="open-after-fault")
    assert problem(failed) == (500, "/problems/internal-error")
    retried = open_ticket(OWNER, idempotency_key="open-after-fault")
    assert retried.status == 201, retried.body
    again = open_ticket(OWNER, idempotency_key="open-after-fault")
    assert (again.status, again.body) == (201, retried.body)
    listed = invoke("ListTicketsFunction", path={"customerId": OWNER}, caller=ME, query={}).body["items"]
    assert [ticket["ticketId"] for ticket in listed] == [retried.body["ticketId"]]
    assert engagement(OWNER)["ticketsOpened"] == 1


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
@pytest.mark.parametrize("author", ["owner", "staff"])
def test_a_comment_tried_again_after_a_fault_is_written_and_notified_once(
    author: str, fault: Fault, monkeypatch: pytest.MonkeyPatch, relay: StreamPoller
) -> None:
    ticket_id = _ticket("waiting_on_customer")
    notifications(relay)
    caller = ME if author == "owner" else AGENT
    with fault(monkeypatch):
        failed = comment(ticket_id, caller, "Where is it?", idempotency_key="comment-after-fault")
    assert problem(failed) == (500, "/problems/internal-error")
    retried = comment(ticket_id, caller, "Where is it?", idempotency_key="comment-after-fault")
    assert retried.status == 201, retried.body
    again = comment(ticket_id, caller, "Where is it?", idempotency_key="comment-after-fault")
    assert (again.status, again.body) == (201, retried.body)
    ticket = get_ticket(ticket_id, AGENT).body
    assert [(item["commentId"], item["body"]) for item in ticket["comments"]] == [
        (retried.body["commentId"], "Where is it?")
    ]
    sent = [(message["messageId"], message["template"]) for message in notifications(relay)]
    if author == "owner":  # the owner's comment moves the waiting ticket back, once
        assert ticket["status"] == "in_progress"
        assert sent == [
            (f"ticket:{ticket_id}:version:{ticket_status_version(ticket_id)}", "ticket_status_changed")
        ]
    else:  # the agent's reply, once, under a message id of the comment
        assert ticket["status"] == "waiting_on_customer"
        assert sent == [(f"ticket:{ticket_id}:comment:{retried.body['commentId']}", "ticket_agent_reply")]


def test_a_move_tried_again_after_the_process_died_is_notified_once(
    monkeypatch: pytest.MonkeyPatch, relay: StreamPoller
) -> None:
    # PATCH is no operation: trying the same move again finds it made, and changes nothing
    ticket_id = _ticket()
    with dying_after_the_commit(monkeypatch):
        failed = patch_ticket(ticket_id, AGENT, status="in_progress")
    assert problem(failed) == (500, "/problems/internal-error")
    retried = patch_ticket(ticket_id, AGENT, status="in_progress")
    assert (retried.status, retried.body["status"]) == (200, "in_progress")
    sent = [(message["messageId"], message["params"]["status"]) for message in notifications(relay)]
    assert sent == [(f"ticket:{ticket_id}:version:2", "in_progress")]


def ticket_status_version(ticket_id: str) -> int:
    """The version the ticket's last change produced."""
    from customer_id.support.tickets import repository

    found = repository.get(ticket_id)
    assert found is not None
    return found.version


def test_a_comment_id_derives_from_the_operation() -> None:
    ticket_id = _ticket()
    first = comment(ticket_id, ME, "Same words", idempotency_key="first-key")
    second = comment(ticket_id, ME, "Same words", idempotency_key="second-key")
    assert (first.status, second.status) == (201, 201)
    assert first.body["commentId"] != second.body["commentId"]
    assert len(get_ticket(ticket_id, ME).body["comments"]) == 2


def test_each_status_change_has_its_own_message_id(relay: StreamPoller) -> None:
    ticket_id = _ticket()
    notifications(relay)
    for status in ("in_progress", "waiting_on_customer", "in_progress", "resolved", "open", "closed"):
        assert patch_ticket(ticket_id, AGENT, status=status).status == 200
    sent = notifications(relay)
    assert [message["params"]["status"] for message in sent] == [
        "in_progress",
        "waiting_on_customer",
        "in_progress",
        "resolved",
        "open",
        "closed",
    ]
    assert len({message["messageId"] for message in sent}) == 6


# ---- a bounded ticket ---------------------------------------------------------------------------

LAMBDA_ANSWER_LIMIT = 6 * 1024 * 1024
# the largest comment, in characters JSON escapes to the most bytes (two \uXXXX each)
LONGEST = "\U0001f4e6" * 5000


def _answer_size(body: Any) -> int:
    """The bytes of Lambda's answer: the body as Powertools writes it (compact, ASCII), as a string
    in the answer's own JSON."""
    return len(json.dumps({"statusCode": 200, "body": json.dumps(body, separators=(",", ":"))}))


def _too_many(reply: Any) -> None:
    assert (reply.status, reply.body["type"]) == (409, "/problems/too-many-comments"), reply.body
    assert reply.body["detail"] == f"This ticket has reached its {MAX_COMMENTS} comments; open a new ticket."


def test_a_ticket_holds_at_most_its_comments_and_its_answer_fits_lambda() -> None:
    """Comments were read without a bound: a customer could grow `GET /tickets/{id}` past the 6 MB
    a Lambda answer holds. The comment after the last one allowed is a 409, whoever writes it."""
    ticket_id = _ticket(description=LONGEST, subject="\U0001f4e6" * 200)
    for index in range(MAX_COMMENTS):
        author = ME if index % 2 else AGENT
        assert comment(ticket_id, author, LONGEST, internal=author is AGENT).status == 201, index

    for author, internal in ((ME, False), (AGENT, False), (AGENT, True)):
        _too_many(comment(ticket_id, author, "One more.", internal=internal))
    ticket = get_ticket(ticket_id, AGENT)
    assert ticket.status == 200
    assert len(ticket.body["comments"]) == MAX_COMMENTS
    assert LAMBDA_ANSWER_LIMIT // 2 < _answer_size(ticket.body) < LAMBDA_ANSWER_LIMIT
    assert len(get_ticket(ticket_id, ME).body["comments"]) == MAX_COMMENTS // 2  # the notes are hidden
    # a patch answers the ticket with its comments too
    assert patch_ticket(ticket_id, AGENT, status="closed").status == 200


@pytest.mark.guard("support.tickets.repository:save_change#1")
def test_two_comments_for_the_last_place_cannot_both_take_it(monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = _ticket()
    for index in range(MAX_COMMENTS - 1):
        assert comment(ticket_id, ME, f"comment {index}").status == 201

    replies = race(
        monkeypatch,
        lambda: comment(ticket_id, ME, "mine is the last"),
        lambda: comment(ticket_id, AGENT, "no, mine"),
    )

    assert sorted(reply.status for reply in replies) == [201, 409]
    _too_many(next(reply for reply in replies if reply.status == 409))
    [winner] = [reply.body["commentId"] for reply in replies if reply.status == 201]
    comments = get_ticket(ticket_id, AGENT).body["comments"]
    assert len(comments) == MAX_COMMENTS
    assert comments[-1]["commentId"] == winner


# ---- concurrency --------------------------------------------------------------------------------


def test_two_agents_moving_at_once_cannot_both_win() -> None:
    for _ in range(3):
        ticket_id = _ticket("in_progress")
        with ThreadPoolExecutor(2) as pool:
            replies = list(
                pool.map(
                    lambda move: patch_ticket(move[0], move[1], status=move[2]),
                    [(ticket_id, AGENT, "resolved"), (ticket_id, OTHER_AGENT, "waiting_on_customer")],
                )
            )
        assert sorted(reply.status for reply in replies) == [200, 409]
        winner = next(reply for reply in replies if reply.status == 200)
        assert get_ticket(ticket_id, AGENT).body["status"] == winner.body["status"]


def test_concurrent_changes_are_never_lost(relay: StreamPoller) -> None:
    ticket_id = _ticket("in_progress")
    notifications(relay)

    def change(index: int) -> int:
        if index == 0:
            return patch_ticket(ticket_id, AGENT, priority="urgent").status
        if index == 1:
            return patch_ticket(ticket_id, OTHER_AGENT, assigneeId="agent-2").status
        if index == 2:
            return patch_ticket(ticket_id, AGENT, status="waiting_on_customer").status
        return comment(ticket_id, AGENT if index % 2 else ME, f"comment {index}").status

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(change, range(12)))
    assert statuses == [200, 200, 200] + [201] * 9
    ticket = get_ticket(ticket_id, AGENT).body
    assert (ticket["priority"], ticket["assigneeId"]) == ("urgent", "agent-2")
    assert sorted(item["body"] for item in ticket["comments"]) == sorted(
        f"comment {index}" for index in range(3, 12)
    )
    # every status change was notified once: the move to waiting, and the owner's comment that
    # brought it back if one came after it (commits and notifications may interleave in any order)
    changes = [message for message in notifications(relay) if message["template"] == "ticket_status_changed"]
    notified = sorted(message["params"]["status"] for message in changes)
    if ticket["status"] == "waiting_on_customer":
        assert notified == ["waiting_on_customer"]
    else:
        assert notified == ["in_progress", "waiting_on_customer"]
    assert len({message["messageId"] for message in changes}) == len(changes)


def test_contended_ticket_writes_are_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    with contention(monkeypatch, "TransactionConflict", every=2) as injected:
        ticket_id = _ticket("in_progress")
        assert comment(ticket_id, ME, "Still broken.").status == 201
    assert injected.answered >= 2
    ticket = get_ticket(ticket_id, AGENT).body
    assert (ticket["status"], ticket["assigneeId"]) == ("in_progress", "agent-1")
    assert [item["body"] for item in ticket["comments"]] == ["Still broken."]
    assert engagement(OWNER)["ticketsOpened"] == 1


def test_a_ticket_that_stays_contended_is_503_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = _ticket()
    with contention(monkeypatch, "ThrottlingError", every=1):
        reply = patch_ticket(ticket_id, AGENT, status="in_progress")
    assert (reply.status, reply.body["type"]) == (503, "/problems/ticket-busy")
    assert reply.headers["Retry-After"] == "1"
    assert get_ticket(ticket_id, AGENT).body["status"] == "open"
