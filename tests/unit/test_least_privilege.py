"""The least-privilege check (tests/iam.py) itself: it fails on a call the role does not allow, on a
grant no call used, and on a CRUD grant that only reads. The roles are the template's, transformed
by the SAM translator; the calls are made up here (the integration tier records the real ones)."""

from __future__ import annotations

from pathlib import Path

from tests.iam import TEMPLATE, Call, check, requests_of, roles

PROFILE = "arn:aws:dynamodb:us-east-1:123456789012:table/ProfileTable"
SUPPORT = "arn:aws:dynamodb:us-east-1:123456789012:table/SupportTable"


def test_a_call_the_role_does_not_allow_is_reported() -> None:
    found = {"GetProfileFunction": roles()["GetProfileFunction"]}
    calls = {
        Call("GetProfileFunction", "dynamodb:GetItem", PROFILE): "t1",
        Call("GetProfileFunction", "dynamodb:PutItem", PROFILE): "t2",
    }

    findings = check(calls, all_ran=False, found_roles=found)

    assert findings.denied == [f"GetProfileFunction: dynamodb:PutItem on {PROFILE} (first made by t2)"]
    assert findings.unused == []


def test_a_grant_no_call_used_is_reported_when_the_whole_tier_ran(tmp_path: Path) -> None:
    bogus = TEMPLATE.read_text().replace(
        "      Handler: get_profile.lambda_handler\n      Policies:\n",
        "      Handler: get_profile.lambda_handler\n      Policies:\n"
        "        - DynamoDBReadPolicy: { TableName: !Ref SupportTable }\n",
    )
    assert bogus != TEMPLATE.read_text()
    template = tmp_path / "template.yaml"
    template.write_text(bogus)
    found = {"GetProfileFunction": roles(template)["GetProfileFunction"]}
    calls = {Call("GetProfileFunction", "dynamodb:GetItem", PROFILE): "t1"}

    assert check(calls, all_ran=True, found_roles=found).unused == [
        f"GetProfileFunction: DynamoDBReadPolicy(SupportTable) grants {SUPPORT}"
    ]
    assert check(calls, all_ran=False, found_roles=found).unused == []


def test_a_crud_grant_whose_calls_only_read_is_too_wide(tmp_path: Path) -> None:
    wider = TEMPLATE.read_text().replace(
        "      Handler: get_profile.lambda_handler\n      Policies:\n"
        "        - DynamoDBReadPolicy: { TableName: !Ref ProfileTable }\n",
        "      Handler: get_profile.lambda_handler\n      Policies:\n"
        "        - DynamoDBCrudPolicy: { TableName: !Ref ProfileTable }\n",
    )
    assert wider != TEMPLATE.read_text()
    template = tmp_path / "template.yaml"
    template.write_text(wider)
    found = {"GetProfileFunction": roles(template)["GetProfileFunction"]}
    calls = {Call("GetProfileFunction", "dynamodb:GetItem", PROFILE): "t1"}

    assert check(calls, all_ran=True, found_roles=found).wide == [
        "GetProfileFunction: DynamoDBCrudPolicy(ProfileTable): its calls (dynamodb:GetItem) "
        "need only DynamoDBReadPolicy"
    ]


def test_a_transaction_is_a_request_per_item_on_its_table() -> None:
    params = {
        "TransactItems": [
            {"Put": {"TableName": "ProfileTable", "Item": {}}},
            {"ConditionCheck": {"TableName": "SupportTable", "Key": {}}},
        ]
    }

    assert requests_of("dynamodb", "TransactWriteItems", params, "us-east-1") == [
        ("dynamodb:PutItem", PROFILE),
        ("dynamodb:ConditionCheckItem", SUPPORT),
    ]


def test_a_query_on_an_index_and_a_queue_url_become_their_arns() -> None:
    assert requests_of(
        "dynamodb", "Query", {"TableName": "ProfileTable", "IndexName": "gsi1"}, "us-east-1"
    ) == [("dynamodb:Query", f"{PROFILE}/index/gsi1")]
    assert requests_of(
        "sqs",
        "SendMessageBatch",
        {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/FraudQueue"},
        "us-east-1",
    ) == [("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:FraudQueue")]
