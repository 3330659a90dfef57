"""An in-memory recorder of DynamoDB requests, with the capacity each one consumes by DynamoDB's
rules, for the capacity model (`bench/capacity.py`) and its tests.

Installed as a botocore hook (every DynamoDB API call of the process, made by pynamodb or boto3),
it records one `Access` per item a request touches: the table or index, the partition key value,
read or write, the capacity units, the simulated instant (`time.time()`, which a frozen clock
governs) and the function being invoked. It knows nothing about the service's key layouts: tables,
key attributes and indexes come from `template.yaml`, and an index's partition key is read from
the item's images, taken from moto's backend (not recorded) just before and after each write.

Capacity rules (DynamoDB developer guide, "Read/write capacity mode" and "Item sizes"):
- a write costs 1 WCU per 1 KB of the larger of the item's old and new image (rounded up), 2x inside
  TransactWriteItems; a ConditionCheck costs like a transactional write of the checked item but is
  not a write to its partition; a conditional write that fails still costs and still counts as a
  write to its partition (it used the partition's throughput);
- a read costs 1 RCU per 4 KB strongly consistent, 0.5 eventually consistent, 2 in a transaction;
  a Query or Scan sums the sizes of the items it evaluates (before any filter or projection) and
  then rounds up; a GetItem of a missing item still costs the minimum;
- a global secondary index is written when a write changes what the index holds for the item: a new
  or changed index entry is a put on the partition of the new image's index key, an entry that
  goes away (or moves to another index key) a delete on the old one; each costs 1 WCU per 1 KB of
  the entry (its projection), never the transactional 2x. A local secondary index is written the
  same way, on the table's own partition.
"""

from __future__ import annotations

import copy
import math
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import botocore.client

WRITE_UNIT = 1024
READ_UNIT = 4096
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Access:
    at: float  # the simulated instant (epoch seconds)
    table: str  # logical id
    index: str | None  # None: the table itself
    operation: str
    kind: str  # "read" or "write"
    key: str  # the partition key value touched ("" if unknown)
    units: float  # RCU or WCU
    function: str | None  # the function being invoked
    request: int  # the invocation it belongs to (`Recorder.request`, set by the driver)


@dataclass(frozen=True)
class Index:
    name: str
    hash_attr: str
    range_attr: str | None
    projection: str  # ALL, KEYS_ONLY, INCLUDE
    included: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    logical_id: str
    name: str
    hash_attr: str
    range_attr: str | None
    indexes: tuple[Index, ...]

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        return {name: item[name] for name in (self.hash_attr, self.range_attr) if name}


def tables_of(create_arguments: dict[str, dict[str, Any]]) -> dict[str, Table]:
    """The recorder's view of the template's tables (`Template.tables()`), by table name."""
    found = {}
    for logical_id, arguments in create_arguments.items():
        hash_attr, range_attr = _key_schema(arguments["KeySchema"])
        indexes = []
        for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            for index in arguments.get(kind, []):
                index_hash, index_range = _key_schema(index["KeySchema"])
                projection = index.get("Projection", {})
                indexes.append(
                    Index(
                        name=index["IndexName"],
                        hash_attr=index_hash,
                        range_attr=index_range,
                        projection=projection.get("ProjectionType", "ALL"),
                        included=tuple(projection.get("NonKeyAttributes", ())),
                    )
                )
        found[arguments["TableName"]] = Table(
            logical_id, arguments["TableName"], hash_attr, range_attr, tuple(indexes)
        )
    return found


def _key_schema(schema: list[dict[str, str]]) -> tuple[str, str | None]:
    roles = {entry["KeyType"]: entry["AttributeName"] for entry in schema}
    return roles["HASH"], roles.get("RANGE")


# --- sizes (DynamoDB developer guide, "Item sizes and formats") -------------------------------------


def value_size(value: dict[str, Any]) -> int:
    ((kind, content),) = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        return _number_size(content)
    if kind == "B":
        return len(content)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(element.encode()) for element in content)
    if kind == "NS":
        return sum(_number_size(element) for element in content)
    if kind == "BS":
        return sum(len(element) for element in content)
    if kind == "L":
        return 3 + sum(value_size(element) + 1 for element in content)
    if kind == "M":
        return 3 + sum(len(name.encode()) + value_size(element) + 1 for name, element in content.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def _number_size(text: str) -> int:
    """About one byte per two significant digits, plus one (and one for a negative number)."""
    digits = Decimal(text).as_tuple().digits
    significant = len("".join(map(str, digits)).strip("0")) or 1
    return math.ceil(significant / 2) + 1 + (1 if text.startswith("-") else 0)


def item_size(item: dict[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def write_units(size: int, transactional: bool = False) -> int:
    return max(1, math.ceil(size / WRITE_UNIT)) * (2 if transactional else 1)


def read_units(size: int, consistent: bool, transactional: bool = False) -> float:
    blocks = max(1, math.ceil(size / READ_UNIT))
    if transactional:
        return blocks * 2.0
    return blocks * (1.0 if consistent else 0.5)


def key_text(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    ((_, content),) = value.items()
    return str(content)


# --- the recorder ------------------------------------------------------------------------------------


@dataclass
class Recorder:
    tables: dict[str, Table]  # by table name
    region: str
    accesses: list[Access] = field(default_factory=list)
    function: str | None = None  # set by the driver around each invocation
    request: int = 0  # the driver's number of that invocation
    operations: list[str] = field(default_factory=list)  # every DynamoDB call recorded, in order
    other_calls: Counter[str] = field(default_factory=Counter)  # other AWS calls ("sqs.SendMessage")
    seconds_in_dynamodb: float = 0.0  # wall time spent inside those calls (moto's and the recorder's)
    enabled: bool = True

    def _backend(self) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[ACCOUNT][self.region]

    def image(self, table: Table, key: dict[str, Any]) -> dict[str, Any] | None:
        """The item as stored now, read from moto's backend (no request is made, nothing recorded)."""
        try:
            found = self._backend().get_item(table.name, key)
        except Exception:  # a malformed key: the request itself fails and says why
            return None
        return copy.deepcopy(found.to_json()["Attributes"]) if found is not None else None

    @contextmanager
    def installed(self) -> Iterator[Recorder]:
        original = botocore.client.BaseClient._make_api_call
        recorder = self

        def recording(client: Any, operation: str, parameters: Any) -> Any:
            service = client.meta.service_model.service_name
            if not recorder.enabled:
                return original(client, operation, parameters)
            if service != "dynamodb":
                recorder.other_calls[f"{service}.{operation}"] += 1
                return original(client, operation, parameters)
            return recorder._call(lambda op, params: original(client, op, params), operation, parameters)

        botocore.client.BaseClient._make_api_call = recording
        try:
            yield self
        finally:
            botocore.client.BaseClient._make_api_call = original

    @contextmanager
    def paused(self) -> Iterator[None]:
        was, self.enabled = self.enabled, False
        try:
            yield
        finally:
            self.enabled = was

    # each call: the written items' images before, the call, the images after, then the accesses
    def _call(self, send: Any, operation: str, parameters: dict[str, Any]) -> Any:
        began = time.perf_counter()  # moto's time and the recorder's own: not the handler's
        try:
            return self._recorded(send, operation, parameters)
        finally:
            self.seconds_in_dynamodb += time.perf_counter() - began
            self.operations.append(operation)

    def _recorded(self, send: Any, operation: str, parameters: dict[str, Any]) -> Any:
        at = time.time()
        writes = self._planned_writes(operation, parameters)
        before = [self.image(table, key) for table, key, _, _ in writes]
        failed = False
        try:
            answer = send(operation, parameters)
        except Exception:
            failed = True
            raise
        finally:
            after = [self.image(table, key) for table, key, _, _ in writes]
            for (table, key, transactional, mutation), old, new in zip(writes, before, after, strict=True):
                self._write(at, operation, table, key, old, new, transactional, mutation, failed)
        self._reads(at, send, operation, parameters, answer)
        return answer

    def _table(self, name: str) -> Table:
        return self.tables[name]

    def _planned_writes(
        self, operation: str, parameters: dict[str, Any]
    ) -> list[tuple[Table, dict[str, Any], bool, bool]]:
        """(table, key, transactional, is a mutation) for each item the request may write."""
        planned = []
        if operation == "PutItem":
            table = self._table(parameters["TableName"])
            planned.append((table, table.key_of(parameters["Item"]), False, True))
        elif operation in ("UpdateItem", "DeleteItem"):
            planned.append((self._table(parameters["TableName"]), parameters["Key"], False, True))
        elif operation == "TransactWriteItems":
            for entry in parameters["TransactItems"]:
                ((kind, write),) = entry.items()
                table = self._table(write["TableName"])
                key = write.get("Key") or table.key_of(write["Item"])
                planned.append((table, key, True, kind != "ConditionCheck"))
        elif operation == "BatchWriteItem":
            for name, requests in parameters["RequestItems"].items():
                table = self._table(name)
                for request in requests:
                    if "PutRequest" in request:
                        planned.append((table, table.key_of(request["PutRequest"]["Item"]), False, True))
                    else:
                        planned.append((table, request["DeleteRequest"]["Key"], False, True))
        return planned

    def _write(
        self,
        at: float,
        operation: str,
        table: Table,
        key: dict[str, Any],
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        transactional: bool,
        mutation: bool,
        failed: bool,
    ) -> None:
        size = max(item_size(old), item_size(new))
        units = write_units(size, transactional)
        partition = key_text(key.get(table.hash_attr))
        if not mutation:  # a ConditionCheck: paid as a transactional write, no write to the partition
            self._add(at, table, None, operation, "check", partition, units)
            return
        self._add(at, table, None, operation, "write", partition, units)
        if failed:
            return
        for index in table.indexes:
            old_entry, new_entry = _entry(table, index, old), _entry(table, index, new)
            if old_entry == new_entry:
                continue
            old_key = key_text(old_entry.get(index.hash_attr)) if old_entry else None
            new_key = key_text(new_entry.get(index.hash_attr)) if new_entry else None
            if old_entry and (not new_entry or old_key != new_key):  # the entry leaves its partition
                self._add(
                    at,
                    table,
                    index.name,
                    operation,
                    "write",
                    old_key or "",
                    write_units(item_size(old_entry)),
                )
            if new_entry:
                self._add(
                    at,
                    table,
                    index.name,
                    operation,
                    "write",
                    new_key or "",
                    write_units(item_size(new_entry)),
                )

    def _reads(
        self, at: float, send: Any, operation: str, parameters: dict[str, Any], answer: dict[str, Any]
    ) -> None:
        if operation == "GetItem":
            table = self._table(parameters["TableName"])
            units = read_units(item_size(answer.get("Item")), bool(parameters.get("ConsistentRead")))
            if "ProjectionExpression" in parameters or "AttributesToGet" in parameters:
                units = read_units(
                    item_size(self.image(table, parameters["Key"])), bool(parameters.get("ConsistentRead"))
                )
            self._add(
                at, table, None, operation, "read", key_text(parameters["Key"].get(table.hash_attr)), units
            )
        elif operation == "BatchGetItem":
            for name, request in parameters["RequestItems"].items():
                table = self._table(name)
                for key in request["Keys"]:
                    units = read_units(item_size(self.image(table, key)), bool(request.get("ConsistentRead")))
                    self._add(at, table, None, operation, "read", key_text(key.get(table.hash_attr)), units)
        elif operation == "TransactGetItems":
            for entry in parameters["TransactItems"]:
                get = entry["Get"]
                table = self._table(get["TableName"])
                units = read_units(item_size(self.image(table, get["Key"])), True, transactional=True)
                self._add(
                    at, table, None, operation, "read", key_text(get["Key"].get(table.hash_attr)), units
                )
        elif operation in ("Query", "Scan"):
            table = self._table(parameters["TableName"])
            index_name = parameters.get("IndexName")
            items = answer.get("Items", [])
            narrowed = {
                "FilterExpression",
                "ProjectionExpression",
                "Select",
                "AttributesToGet",
                "QueryFilter",
            }
            if narrowed & parameters.keys():  # capacity is paid on what was evaluated, whole
                evaluated = {key: value for key, value in parameters.items() if key not in narrowed}
                names = _used_names(evaluated)
                evaluated["ExpressionAttributeNames"] = names
                if not names:
                    evaluated.pop("ExpressionAttributeNames")
                values = _used_values(evaluated, parameters.get("ExpressionAttributeValues", {}))
                evaluated["ExpressionAttributeValues"] = values
                if not values:
                    evaluated.pop("ExpressionAttributeValues")
                items = send(operation, evaluated).get("Items", [])
            units = read_units(sum(map(item_size, items)), bool(parameters.get("ConsistentRead")))
            partition = _query_partition(table, index_name, parameters) if operation == "Query" else ""
            self._add(at, table, index_name, operation, "read", partition, units)

    def _add(
        self, at: float, table: Table, index: str | None, operation: str, kind: str, key: str, units: float
    ) -> None:
        self.accesses.append(
            Access(at, table.logical_id, index, operation, kind, key, units, self.function, self.request)
        )


def _entry(table: Table, index: Index, item: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the index holds for the item (None: the item is not in the index)."""
    if not item or index.hash_attr not in item or (index.range_attr and index.range_attr not in item):
        return None
    if index.projection == "ALL":
        return item
    names = {table.hash_attr, table.range_attr, index.hash_attr, index.range_attr} | set(index.included)
    return {name: value for name, value in item.items() if name in names}


_PLACEHOLDER = re.compile(r"[#:][A-Za-z0-9_]+")
_EQUALS = re.compile(r"(#?[A-Za-z0-9_.]+)\s*=\s*(:[A-Za-z0-9_]+)")


def _used_names(parameters: dict[str, Any]) -> dict[str, str]:
    text = " ".join(str(parameters.get(key, "")) for key in ("KeyConditionExpression",))
    given = parameters.get("ExpressionAttributeNames", {})
    return {name: given[name] for name in _PLACEHOLDER.findall(text) if name in given}


def _used_values(parameters: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    text = str(parameters.get("KeyConditionExpression", ""))
    return {name: given[name] for name in _PLACEHOLDER.findall(text) if name in given}


def _query_partition(table: Table, index_name: str | None, parameters: dict[str, Any]) -> str:
    hash_attr = table.hash_attr
    for index in table.indexes:
        if index.name == index_name:
            hash_attr = index.hash_attr
    names = parameters.get("ExpressionAttributeNames", {})
    values = parameters.get("ExpressionAttributeValues", {})
    for name, placeholder in _EQUALS.findall(parameters.get("KeyConditionExpression", "")):
        if names.get(name, name) == hash_attr:
            return key_text(values.get(placeholder))
    return ""
