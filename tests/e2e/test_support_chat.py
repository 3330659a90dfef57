"""Live chat over HTTP on the local stack, with tokens from its user pool: a customer opens a chat,
an agent finds it in the queue and replies, the customer polls with `after`, then closes and rates
it. And the demo FAQ, searched in Arabic as people type it."""

from __future__ import annotations

from tests.e2e.conftest import Stack

PROFILE = {
    "displayName": "Layla Hassan",
    "email": "layla.chat@example.com",
    "language": "en",
    "timezone": "Asia/Riyadh",
}


def test_a_chat_round_trip(stack: Stack) -> None:
    customer, token = stack.sign_up("layla.chat@example.com")
    agent, agent_token = stack.sign_up("agent.chat@example.com", group="agents")
    assert stack.call("PUT", f"/customers/{customer}/profile", token, json=PROFILE).status_code == 200

    opened = stack.call(
        "POST",
        f"/customers/{customer}/chats",
        token,
        json={"categoryId": "orders", "message": "Hello, where is my order?"},
        headers={"Idempotency-Key": "e2e-chat-1"},
    )
    assert opened.status_code == 201, opened.text
    chat_id = opened.json()["chatId"]
    assert opened.json()["status"] == "waiting"

    assert stack.call("GET", "/support/chats", token).status_code == 403  # the queue is staff's
    queue = stack.call("GET", "/support/chats", agent_token, params={"limit": 100})
    assert queue.status_code == 200, queue.text
    assert chat_id in [item["chatId"] for item in queue.json()["items"]]

    first = stack.call("GET", f"/chats/{chat_id}", token).json()["messages"]
    assert [message["body"] for message in first] == ["Hello, where is my order?"]

    reply = stack.call("POST", f"/chats/{chat_id}/messages", agent_token, json={"body": "It ships today."})
    assert reply.status_code == 201, reply.text
    assert reply.json()["sender"] == "agent"
    queue_after = stack.call("GET", "/support/chats", agent_token, params={"limit": 100}).json()["items"]
    assert chat_id not in [item["chatId"] for item in queue_after]

    polled = stack.call("GET", f"/chats/{chat_id}", token, params={"after": first[-1]["messageId"]})
    assert polled.status_code == 200, polled.text
    chat = polled.json()
    assert (chat["status"], chat["agentId"]) == ("active", agent)
    assert [(message["sender"], message["body"]) for message in chat["messages"]] == [
        ("agent", "It ships today.")
    ]
    assert (
        stack.call("POST", f"/chats/{chat_id}/messages", token, json={"body": "Thanks!"}).status_code == 201
    )
    newer = stack.call("GET", f"/chats/{chat_id}", agent_token, params={"after": reply.json()["messageId"]})
    assert [message["body"] for message in newer.json()["messages"]] == ["Thanks!"]

    assert stack.call("POST", f"/chats/{chat_id}/close", agent_token, json={"rating": 5}).status_code == 403
    closed = stack.call("POST", f"/chats/{chat_id}/close", token, json={"rating": 5, "comment": "Great help"})
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["rating"]) == ("closed", 5)
    late = stack.call("POST", f"/chats/{chat_id}/messages", token, json={"body": "One more thing"})
    assert late.status_code == 409
    assert late.headers["Content-Type"] == "application/problem+json"

    mine = stack.call("GET", f"/customers/{customer}/chats", token).json()["items"]
    assert [(item["chatId"], item["status"], item["rating"]) for item in mine] == [(chat_id, "closed", 5)]
    _, other_token = stack.sign_up("someone.chat@example.com")
    assert stack.call("GET", f"/chats/{chat_id}", other_token).status_code == 404
    assert stack.call("GET", f"/customers/{customer}/chats", other_token).status_code == 403


def test_the_demo_faq_in_arabic(stack: Stack) -> None:
    categories = stack.call("GET", "/support/categories", headers={"Accept-Language": "ar"})
    assert categories.status_code == 200
    assert "الطلبات" in [item["name"] for item in categories.json()["items"]]
    found = stack.call(
        "GET", "/support/faq/search", params={"q": "الغاء الطلب"}, headers={"Accept-Language": "ar"}
    )
    assert found.status_code == 200, found.text
    best = found.json()["items"][0]
    assert (best["faqId"], best["question"]) == ("faq-cancel-order", "هَلْ يُمْكِنُنِي إِلْغَاءُ الطَّلَبِ؟")
