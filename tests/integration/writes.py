"""Which DynamoDB items a piece of code writes: `record_writes(monkeypatch)` collects the key of
every item written from then on (in a transaction or alone), to show a hot path leaves an item alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import botocore.client
import pytest

SINGLE_WRITES = {"PutItem": "Item", "UpdateItem": "Key", "DeleteItem": "Key"}


@dataclass(frozen=True)
class Written:
    table: str
    pk: str  # "": a table keyed otherwise (the idempotency store)
    sk: str


def _written(table: str, key: dict[str, Any]) -> Written:
    return Written(table, key.get("pk", {}).get("S", ""), key.get("sk", {}).get("S", ""))


def record_writes(monkeypatch: pytest.MonkeyPatch) -> list[Written]:
    """The items written by DynamoDB requests made after this call, in order (one per write)."""
    written: list[Written] = []
    original = botocore.client.BaseClient._make_api_call

    def recording(self: Any, operation: str, parameters: Any) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            if operation == "TransactWriteItems":
                for item in parameters["TransactItems"]:
                    for kind, write in item.items():
                        if kind != "ConditionCheck":
                            written.append(_written(write["TableName"], write.get("Key") or write["Item"]))
            elif operation in SINGLE_WRITES:
                written.append(_written(parameters["TableName"], parameters[SINGLE_WRITES[operation]]))
            elif operation == "BatchWriteItem":
                for table, requests in parameters["RequestItems"].items():
                    for request in requests:
                        for write in request.values():
                            written.append(_written(table, write.get("Key") or write["Item"]))
        return original(self, operation, parameters)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", recording)
    return written
