"""Makes moto's DynamoDB isolate requests as DynamoDB does.

moto applies a TransactWriteItems by snapshotting the tables and restoring the snapshot when a
condition fails, with no lock: a write that another thread commits in between is lost, and the
snapshot itself can fail with "dictionary changed size during iteration". DynamoDB never loses a
committed write, and it is what our conditional writes rely on, so the local stack and the tests
run moto's DynamoDB requests one at a time.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.RLock()
_installed = False


def serialize_dynamodb() -> None:
    global _installed
    if _installed:
        return
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action

    def call_action(self: Any) -> Any:
        with _lock:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    _installed = True
