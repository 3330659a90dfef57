"""The local runtime runs concurrent invocations in threads of one interpreter, where Lambda gives
each its own environment: what Powertools keeps per process must be per thread here."""

from __future__ import annotations

import threading

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from local_stack.runtime import per_thread_router_state


def test_each_thread_resolves_its_own_event() -> None:
    per_thread_router_state()
    first, second = APIGatewayRestResolver(), APIGatewayRestResolver()
    set_second = threading.Event()
    seen: list[object] = []

    def invocation() -> None:
        BaseRouter.current_event = "second event"  # as `resolve` does, in another invocation
        set_second.set()

    BaseRouter.current_event = "first event"
    thread = threading.Thread(target=invocation)
    thread.start()
    set_second.wait(5)
    thread.join()
    seen.append(first.current_event)
    seen.append(BaseRouter.current_event)
    assert seen == ["first event", "first event"]
    assert second.current_event == "first event"  # this thread's, whichever resolver reads it
