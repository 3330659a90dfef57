"""Data kept across a restart: the stack is stopped with Ctrl-C in the middle of traffic and started
again on the same state folder. The same user signs in with the same customerId, and every write
that was answered before the stop (purchases, their ledger entries, a ticket) is still there."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import requests

from tests.e2e.conftest import Stack, start_stack, stop_stack

PROFILE = {
    "displayName": "Keeper Kept",
    "email": "keeper@example.com",
    "language": "en",
    "timezone": "Asia/Riyadh",
}
TICKET = {
    "subject": "My order arrived damaged",
    "description": "The box was crushed and the mug inside is broken.",
    "categoryId": "orders",
    "priority": "high",
}


def _all(stack: Stack, path: str, token: str) -> list[dict[str, Any]]:
    """Every item of a paged listing."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": "50", **({"cursor": cursor} if cursor else {})}
        reply = stack.call("GET", path, token, params=params)
        assert reply.status_code == 200, reply.text
        items += reply.json()["items"]
        cursor = reply.json()["nextCursor"]
        if not cursor:
            return items


class Shopper(threading.Thread):
    """Posts purchases until the stack goes away; remembers the orders answered 201."""

    def __init__(self, stack: Stack, customer: str, token: str, lane: str) -> None:
        super().__init__(daemon=True)
        self.stack, self.customer, self.token, self.lane = stack, customer, token, lane
        self.committed: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        for number in range(500):
            if self.halt.is_set():
                return
            order = f"{self.lane}-{number}"
            body = {"orderId": order, "amount": "20.00", "currency": "SAR", "channel": "web"}
            try:
                reply = self.stack.call(
                    "POST", f"/customers/{self.customer}/purchases", self.token, json=body
                )
            except requests.RequestException:
                return  # the stack stopped under us
            if reply.status_code == 201:
                self.committed.append(order)


def test_a_restart_mid_traffic_keeps_users_and_every_committed_write(tmp_path: Path) -> None:
    state = tmp_path / "stack"
    first = start_stack(state)
    try:
        customer, token = first.sign_up("keeper@example.com")
        staff, admin_token = first.sign_up("till@example.com", group="admins")
        assert first.call("PUT", f"/customers/{customer}/profile", token, json=PROFILE).status_code == 200
        ticket = first.call("POST", f"/customers/{customer}/tickets", token, json=TICKET)
        assert ticket.status_code == 201, ticket.text
        shoppers = [Shopper(first, customer, admin_token, lane) for lane in ("a", "b")]
        for shopper in shoppers:
            shopper.start()
        deadline = time.monotonic() + 120
        while sum(len(shopper.committed) for shopper in shoppers) < 6 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert stop_stack(first) == 0  # Ctrl-C while both shoppers are still posting
        for shopper in shoppers:
            shopper.halt.set()
            shopper.join(timeout=60)
    finally:
        if first.process.poll() is None:
            stop_stack(first)
    committed = {order for shopper in shoppers for order in shopper.committed}
    assert len(committed) >= 6

    second = start_stack(state)
    try:
        again, token = second.sign_in("keeper@example.com")
        assert again == customer  # same sub, so the kept data is still the user's
        assert second.sign_in("till@example.com")[0] == staff
        admin_token = second.sign_in("till@example.com")[1]

        purchases = {item["orderId"] for item in _all(second, f"/customers/{customer}/purchases", token)}
        assert committed <= purchases
        ledger = _all(second, f"/customers/{customer}/loyalty/transactions", token)
        earned = {entry["reason"].removeprefix("purchase ") for entry in ledger if entry["type"] == "earn"}
        assert earned == purchases  # one earn entry per kept purchase, none without its purchase
        account = second.call("GET", f"/customers/{customer}/loyalty", token).json()
        assert account["pointsBalance"] == sum(entry["points"] for entry in ledger)
        tickets = _all(second, f"/customers/{customer}/tickets", token)
        assert [item["ticketId"] for item in tickets] == [ticket.json()["ticketId"]]
        # the group membership is kept too: the admin still reads another customer's account
        assert second.call("GET", f"/customers/{customer}/loyalty", admin_token).status_code == 200
        # and the stack goes on writing where it stopped
        body = {"orderId": "after-restart", "amount": "20.00", "currency": "SAR", "channel": "web"}
        reply = second.call("POST", f"/customers/{customer}/purchases", admin_token, json=body)
        assert reply.status_code == 201, reply.text
    finally:
        stop_stack(second)
