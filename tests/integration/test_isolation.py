"""Every integration test starts from the same stack, whatever the tests before it did: the tables
as the demo content leaves them, every queue empty, no users, no mail or text sent, the functions'
environment set. The stack is provisioned once per process and restored before each test
(`tests/integration/moto_state.py`); these tests leave traces everywhere for the next to not find."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from local_stack.runtime import shared_environment
from local_stack.template import Template
from tests.harness import claims, invoke
from tests.integration.helpers import create_profile
from tests.integration.moto_state import SharedStack

REGION = "us-east-1"
ME = "customer-isolated"
TRACE = "isolationTrace"  # an attribute no product item has
USER = "isolated@example.com"
EXTRA_TABLE = "isolation-extra-table"
DEMO_ITEM = {"pk": {"S": "CATALOG"}, "sk": {"S": "ITEM#coffee-voucher"}}  # the demo catalog's first item


def _dynamodb() -> Any:
    return boto3.client("dynamodb", region_name=REGION)


def _table_names(stack: Template) -> dict[str, str]:
    return {logical_id: arguments["TableName"] for logical_id, arguments in stack.tables().items()}


def _counts(stack: Template, **scan: Any) -> dict[str, int]:
    client = _dynamodb()
    return {
        logical_id: sum(
            page["Count"]
            for page in client.get_paginator("scan").paginate(TableName=name, Select="COUNT", **scan)
        )
        for logical_id, name in _table_names(stack).items()
    }


def _queue_urls(stack: Template) -> dict[str, str]:
    return {logical_id: stack.names[logical_id] for logical_id in stack.of_type("AWS::SQS::Queue")}


@pytest.fixture(scope="module")
def demo_counts(shared_stack: SharedStack) -> dict[str, int]:
    """Each table's item count on a stack provisioned afresh, on a moto of its own."""
    with pytest.MonkeyPatch.context() as monkeypatch, shared_stack.separate(monkeypatch) as stack:
        counts = _counts(stack)
    assert sum(counts.values()) > 0  # the demo content is there to be restored
    return counts


def _assert_demo_state(stack: Template, demo_counts: dict[str, int]) -> None:
    client = _dynamodb()
    assert sorted(client.list_tables()["TableNames"]) == sorted(_table_names(stack).values())
    assert _counts(stack) == demo_counts
    assert _counts(
        stack, FilterExpression="attribute_exists(#trace)", ExpressionAttributeNames={"#trace": TRACE}
    ) == (dict.fromkeys(demo_counts, 0))
    loyalty = _table_names(stack)["LoyaltyTable"]
    assert TRACE not in client.get_item(TableName=loyalty, Key=DEMO_ITEM, ConsistentRead=True)["Item"]
    missing = invoke("GetProfileFunction", path={"customerId": ME}, caller=claims(ME))
    assert (missing.status, missing.body["type"]) == (404, "/problems/profile-not-found")

    sqs = boto3.client("sqs", region_name=REGION)
    for url in _queue_urls(stack).values():
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert (
            attributes["ApproximateNumberOfMessages"],
            attributes["ApproximateNumberOfMessagesNotVisible"],
            attributes["ApproximateNumberOfMessagesDelayed"],
        ) == ("0", "0", "0"), url

    cognito, pool = boto3.client("cognito-idp", region_name=REGION), stack.names["UserPool"]
    assert cognito.list_users(UserPoolId=pool)["Users"] == []
    assert cognito.list_users_in_group(UserPoolId=pool, GroupName="admins")["Users"] == []
    assert boto3.client("ses", region_name=REGION).get_send_quota()["SentLast24Hours"] == 0
    assert list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values()) == []

    for key, value in shared_environment(stack.functions()).items():
        assert os.environ[key] == value, key


def _leave_traces(stack: Template) -> None:
    client, tables = _dynamodb(), _table_names(stack)
    for name in tables.values():
        schema = client.describe_table(TableName=name)["Table"]
        types = {a["AttributeName"]: a["AttributeType"] for a in schema["AttributeDefinitions"]}
        values = {"S": {"S": "isolation"}, "N": {"N": "1"}, "B": {"B": b"isolation"}}
        key = {part["AttributeName"]: values[types[part["AttributeName"]]] for part in schema["KeySchema"]}
        client.put_item(TableName=name, Item={**key, TRACE: {"S": "left behind"}})
    client.update_item(
        TableName=tables["LoyaltyTable"],
        Key=DEMO_ITEM,
        UpdateExpression="SET #trace = :trace",
        ExpressionAttributeNames={"#trace": TRACE},
        ExpressionAttributeValues={":trace": {"S": "changed"}},
    )
    traced = _counts(
        stack, FilterExpression="attribute_exists(#trace)", ExpressionAttributeNames={"#trace": TRACE}
    )
    assert traced == {**dict.fromkeys(tables, 1), "LoyaltyTable": 2}
    # a failed transaction: moto puts back copies of the tables it touched
    with pytest.raises(ClientError, match="TransactionCanceledException"):
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": tables["ProfileTable"], "Item": {"pk": {"S": "x"}, "sk": {"S": "y"}}}},
                {
                    "ConditionCheck": {
                        "TableName": tables["LoyaltyTable"],
                        "Key": DEMO_ITEM,
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )
    client.delete_table(TableName=tables["AnalyticsTable"])
    client.create_table(
        TableName=EXTRA_TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    create_profile(ME)

    sqs = boto3.client("sqs", region_name=REGION)
    for url in _queue_urls(stack).values():
        sqs.send_message(QueueUrl=url, MessageBody='{"waiting": true}')
        sqs.send_message(QueueUrl=url, MessageBody='{"delayed": true}', DelaySeconds=900)
        sqs.send_message(QueueUrl=url, MessageBody='{"in flight": true}')
        assert sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=900)["Messages"]

    cognito, pool = boto3.client("cognito-idp", region_name=REGION), stack.names["UserPool"]
    cognito.admin_create_user(UserPoolId=pool, Username=USER, MessageAction="SUPPRESS")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=USER, GroupName="admins")
    ses = boto3.client("ses", region_name=REGION)
    ses.send_email(
        Source=ses.list_identities()["Identities"][0],
        Destination={"ToAddresses": [USER]},
        Message={"Subject": {"Data": "left behind"}, "Body": {"Text": {"Data": "left behind"}}},
    )
    boto3.client("sns", region_name=REGION).publish(PhoneNumber="+966501234567", Message="left behind")
    assert len(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages) == 1
    assert ses.get_send_quota()["SentLast24Hours"] == 1
    assert invoke("GetProfileFunction", path={"customerId": ME}, caller=claims(ME)).status == 200


def test_every_table_starts_with_the_demo_items(aws: Template, demo_counts: dict[str, int]) -> None:
    assert _counts(aws) == demo_counts


@pytest.mark.parametrize("round_", [1, 2])
def test_a_test_finds_nothing_of_the_one_before(
    aws: Template, demo_counts: dict[str, int], round_: int
) -> None:
    """Both rounds write the same keys and messages: whichever runs second meets the first's traces
    unless the stack was restored in between."""
    _assert_demo_state(aws, demo_counts)
    _leave_traces(aws)


@pytest.mark.parametrize("round_", [1, 2])
def test_a_deleted_queue_is_back_for_the_next_test(aws: Template, round_: int) -> None:
    """A queue deleted (or created) is a stack changed beyond restoring: it is provisioned again."""
    sqs = boto3.client("sqs", region_name=REGION)
    listed = sorted(sqs.list_queues()["QueueUrls"])
    assert listed == sorted(_queue_urls(aws).values())
    sqs.delete_queue(QueueUrl=aws.names["FraudDeadLetterQueue"])
    sqs.create_queue(QueueName="isolation-extra-queue")


@pytest.mark.fresh_aws
def test_a_test_marked_fresh_aws_gets_a_stack_of_its_own(
    aws: Template, shared_stack: SharedStack, demo_counts: dict[str, int]
) -> None:
    assert aws is not shared_stack.stack
    _assert_demo_state(aws, demo_counts)
    _leave_traces(aws)
