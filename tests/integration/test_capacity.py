"""The capacity model's recorder (bench/capacity_recorder.py): DynamoDB's capacity arithmetic on
known requests, index partitions read from the item images, and per-key write counts of real
requests that match an independent count (tests/integration/writes.py)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from bench.capacity_recorder import Recorder, tables_of
from bench.capacity_report import per_second
from local_stack.template import Template
from tests.harness import claims, invoke
from tests.integration.helpers import ADMIN, create_profile
from tests.integration.writes import record_writes
from tests.moto_speed import quick_moto

TABLE = "CapacityProbe"
ARGUMENTS = {
    "TableName": TABLE,
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
        {"AttributeName": "day", "AttributeType": "S"},
    ],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "BillingMode": "PAY_PER_REQUEST",
    "GlobalSecondaryIndexes": [
        {
            "IndexName": "byDay",
            "KeySchema": [
                {"AttributeName": "day", "KeyType": "HASH"},
                {"AttributeName": "pk", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }
    ],
}


@pytest.fixture
def probe(aws: Template) -> Iterator[tuple[Any, Recorder]]:
    client = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"])
    client.create_table(**ARGUMENTS)
    recorder = Recorder(tables_of({"CapacityProbe": ARGUMENTS}), os.environ["AWS_REGION"])
    with recorder.installed():
        yield client, recorder
    client.delete_table(TableName=TABLE)


def _item(pk: str, sk: str, size: int, **more: str) -> dict[str, Any]:
    """An item of exactly `size` bytes by DynamoDB's rules (names and values, UTF-8)."""
    fixed = len("pk") + len(pk) + len("sk") + len(sk) + sum(len(k) + len(v) for k, v in more.items())
    payload = "x" * (size - fixed - len("payload"))
    return {"pk": {"S": pk}, "sk": {"S": sk}, "payload": {"S": payload}} | {
        name: {"S": value} for name, value in more.items()
    }


def _units(recorder: Recorder, **where: Any) -> float:
    return sum(
        access.units
        for access in recorder.accesses
        if all(getattr(access, name) == value for name, value in where.items())
    )


def test_a_put_costs_one_write_unit_a_kilobyte_rounded_up(probe: tuple[Any, Recorder]) -> None:
    client, recorder = probe
    client.put_item(TableName=TABLE, Item=_item("a", "1", 3 * 1024))
    client.put_item(TableName=TABLE, Item=_item("a", "2", 3 * 1024 + 1))
    assert [access.units for access in recorder.accesses] == [3, 4]
    assert {(access.kind, access.key, access.index) for access in recorder.accesses} == {("write", "a", None)}


def test_a_transaction_doubles_each_write_and_a_cancelled_one_leaves_nothing(
    probe: tuple[Any, Recorder],
) -> None:
    client, recorder = probe
    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": _item("t", "1", 500)}},
            {"Put": {"TableName": TABLE, "Item": _item("u", "1", 900)}},
        ]
    )
    assert _units(recorder, operation="TransactWriteItems") == 4
    with quick_moto(), pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": _item("v", "1", 100)}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": {"pk": {"S": "t"}, "sk": {"S": "1"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )
    assert "Item" not in client.get_item(TableName=TABLE, Key={"pk": {"S": "v"}, "sk": {"S": "1"}})


def test_an_index_partition_is_written_when_the_key_comes_moves_or_goes(probe: tuple[Any, Recorder]) -> None:
    client, recorder = probe
    key = {"pk": {"S": "c"}, "sk": {"S": "1"}}
    client.put_item(TableName=TABLE, Item=_item("c", "1", 2000, day="2026-11-27"))
    client.update_item(  # the index entry (KEYS_ONLY) is unchanged: no index write
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET payload = :p",
        ExpressionAttributeValues={":p": {"S": "y"}},
    )
    client.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET #d = :d",
        ExpressionAttributeNames={"#d": "day"},
        ExpressionAttributeValues={":d": {"S": "2026-11-28"}},
    )
    client.update_item(
        TableName=TABLE, Key=key, UpdateExpression="REMOVE #d", ExpressionAttributeNames={"#d": "day"}
    )
    index = [(access.key, access.units) for access in recorder.accesses if access.index == "byDay"]
    assert index == [("2026-11-27", 1), ("2026-11-27", 1), ("2026-11-28", 1), ("2026-11-28", 1)]
    assert _units(recorder, index=None, kind="write") == 2 + 2 + 1 + 1


def test_a_query_pays_for_what_it_evaluates_rounded_once(probe: tuple[Any, Recorder]) -> None:
    client, recorder = probe
    for sk in ("1", "2", "3"):
        client.put_item(TableName=TABLE, Item=_item("q", sk, 10 * 1024 // 3))
    recorder.accesses.clear()
    query = {
        "TableName": TABLE,
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "q"}},
    }
    client.query(**query)
    client.query(**query, ConsistentRead=True)
    filtered = client.query(
        **query | {"ExpressionAttributeValues": {":p": {"S": "q"}, ":none": {"S": "nothing"}}},
        FilterExpression="payload = :none",
    )
    client.get_item(TableName=TABLE, Key={"pk": {"S": "missing"}, "sk": {"S": "1"}})
    assert filtered["Items"] == []
    assert [(access.key, access.units) for access in recorder.accesses] == [
        ("q", 1.5),
        ("q", 3.0),
        ("q", 1.5),
        ("missing", 0.5),
    ]


def test_a_replay_counts_each_keys_writes_as_an_independent_count_does(
    aws: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    customers = [f"customer-capacity-{number}" for number in range(3)]
    for customer in customers:
        create_profile(customer)
    written = record_writes(monkeypatch)
    recorder = Recorder(tables_of(aws.tables()), os.environ["AWS_REGION"])
    with recorder.installed():
        for order in range(6):
            customer = customers[order % 3]
            reply = invoke(
                "RecordPurchaseFunction",
                path={"customerId": customer},
                caller=ADMIN,
                body={"orderId": f"capacity-{order}", "amount": "20.00", "currency": "SAR", "channel": "web"},
            )
            assert reply.status == 201, reply.body
            assert (
                invoke(
                    "GetLoyaltyAccountFunction", path={"customerId": customer}, caller=claims(customer)
                ).status
                == 200
            )
    names = {arguments["TableName"]: logical_id for logical_id, arguments in aws.tables().items()}
    expected = Counter((names[write.table], write.pk) for write in written if write.pk)
    keyed_by_pk = {table.logical_id for table in recorder.tables.values() if table.hash_attr == "pk"}
    recorded = Counter(
        (access.table, access.key)
        for access in recorder.accesses
        if access.kind == "write" and access.index is None and access.table in keyed_by_pk
    )
    assert recorded == expected
    assert recorder.accesses
    table, key = max(expected, key=lambda entry: (expected[entry], entry))
    figures = per_second(recorder.accesses, min(access.at for access in recorder.accesses))
    assert figures[table]["hottest_key_writes_per_second"] == expected[(table, key)]
