"""template.yaml as a deployment: it deploys with no parameter to invent, keeps its data when the
stack goes or a resource is replaced, pages someone when something fails, and keeps the cursors'
signing key out of the functions' environment."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from local_stack.template import ROOT, Template

TEMPLATE = Template()
RESOURCES: dict[str, Any] = TEMPLATE.resources
TOPIC = {"Ref": "AlarmTopic"}
SECRET = "CursorSigningSecret"


def _of_type(resource_type: str) -> dict[str, dict[str, Any]]:
    return {logical_id: r for logical_id, r in RESOURCES.items() if r["Type"] == resource_type}


def _refs(node: Any) -> set[str]:
    """The logical ids a node names (`Ref` or `GetAtt`)."""
    if isinstance(node, dict):
        found = set()
        for key, value in node.items():
            if key == "Ref":
                found.add(str(value))
            elif key == "Fn::GetAtt":
                found.add(str(value.split(".")[0] if isinstance(value, str) else value[0]))
            else:
                found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()


ALARMS = _of_type("AWS::CloudWatch::Alarm")
TABLES = _of_type("AWS::DynamoDB::Table")


def _alarmed(logical_id: str, metric: str) -> list[str]:
    """The alarms on `metric` of the resource `logical_id` (in their dimensions or metric queries)."""
    return [
        name
        for name, alarm in ALARMS.items()
        if metric in json.dumps(alarm["Properties"]) and logical_id in _refs(alarm["Properties"])
    ]


# ---- a first deploy needs no parameter ---------------------------------------------------------


def test_every_parameter_has_a_default_and_samconfig_names_only_real_ones() -> None:
    parameters = TEMPLATE.document["Parameters"]
    assert [name for name, spec in parameters.items() if "Default" not in spec] == []
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    for environment, commands in config.items():
        if not isinstance(commands, dict) or "deploy" not in commands:
            continue
        overrides = commands["deploy"]["parameters"].get("parameter_overrides", "")
        named = [pair.split("=", 1)[0] for pair in overrides.split()]
        assert set(named) <= set(parameters), environment


# ---- data survives the stack ------------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(TABLES))
def test_tables_are_retained_protected_and_recoverable(table: str) -> None:
    resource = TABLES[table]
    properties = resource["Properties"]
    assert (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")) == ("Retain", "Retain")
    assert properties.get("DeletionProtectionEnabled") is True
    assert properties.get("PointInTimeRecoverySpecification") == {"PointInTimeRecoveryEnabled": True}


def test_all_the_tables_are_checked() -> None:
    assert len(TABLES) == 12  # the 11 of the features and the outbox


def test_the_user_pool_is_retained_and_protected() -> None:
    [pool] = _of_type("AWS::Cognito::UserPool").values()
    assert (pool.get("DeletionPolicy"), pool.get("UpdateReplacePolicy")) == ("Retain", "Retain")
    assert pool["Properties"].get("DeletionProtection") == "ACTIVE"


def test_the_cursor_secret_is_generated_by_the_stack_and_retained() -> None:
    secret = RESOURCES[SECRET]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert (secret.get("DeletionPolicy"), secret.get("UpdateReplacePolicy")) == ("Retain", "Retain")
    assert "SecretString" not in secret["Properties"]
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32


# ---- the key stays out of the environment; only the functions that page may read it ------------


def test_no_function_environment_holds_a_secret_value() -> None:
    secret_parameters = {
        name for name, spec in TEMPLATE.document["Parameters"].items() if spec.get("NoEcho") is True
    }
    for function, properties in _of_type("AWS::Serverless::Function").items():
        environment = {
            **TEMPLATE.document["Globals"]["Function"]["Environment"]["Variables"],
            **properties["Properties"].get("Environment", {}).get("Variables", {}),
        }
        text = json.dumps(environment)
        assert "resolve:secretsmanager" not in text, function
        assert "resolve:ssm-secure" not in text, function
        assert not _refs(environment) & secret_parameters, function
        assert "CURSOR_SIGNING_KEY" not in environment, function
        assert environment["CURSOR_SECRET_ARN"] == {"Ref": SECRET}  # Ref: the secret's ARN


def _reads_the_secret(properties: dict[str, Any]) -> bool:
    return any(
        policy.get("AWSSecretsManagerGetSecretValuePolicy") == {"SecretArn": {"Ref": SECRET}}
        for policy in properties.get("Policies", [])
        if isinstance(policy, dict)
    )


# a handler that takes a `cursor` query parameter
_PAGES = re.compile(r"(?:^|[(,])\s*cursor: ", re.MULTILINE)


def test_exactly_the_functions_that_page_may_read_the_secret() -> None:
    paging = {
        function.logical_id
        for function in TEMPLATE.functions()
        if _PAGES.search(function.module_path.read_text())
    }
    readers = {
        logical_id
        for logical_id, resource in _of_type("AWS::Serverless::Function").items()
        if _reads_the_secret(resource["Properties"])
    }
    assert len(paging) == 11
    paging.add("ExportCustomerDataFunction")  # takes no cursor, but follows every list's to its end
    assert readers == paging
    # and no other grant names the secret
    others = [
        logical_id
        for logical_id, resource in RESOURCES.items()
        if SECRET in _refs(resource.get("Properties", {}).get("Policies", [])) and logical_id not in readers
    ]
    assert others == []


# ---- alarms page someone ------------------------------------------------------------------------


def test_every_alarm_pages_the_topic_and_says_when_it_is_ok() -> None:
    assert (
        len(ALARMS) >= 28
    )  # 7 dead-letter queues, 5 queue ages, 12 tables, API 5xx, Lambda errors, throttles, relay lag
    for name, alarm in ALARMS.items():
        assert TOPIC in alarm["Properties"].get("AlarmActions", []), name
        assert TOPIC in alarm["Properties"].get("OKActions", []), name


def test_the_topic_mails_the_alarm_email_when_one_is_given() -> None:
    [subscription] = _of_type("AWS::SNS::Subscription").values()
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {
        "TopicArn": TOPIC,
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }
    assert TEMPLATE.document["Parameters"]["AlarmEmail"]["Default"] == ""
    assert TEMPLATE.document["Conditions"]["HasAlarmEmail"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]
    }


def test_the_api_lambda_and_the_tables_are_alarmed() -> None:
    metrics = {
        (alarm["Properties"].get("Namespace"), alarm["Properties"].get("MetricName"))
        for alarm in ALARMS.values()
    }
    assert {("AWS/ApiGateway", "5XXError"), ("AWS/Lambda", "Errors"), ("AWS/Lambda", "Throttles")} <= metrics
    for table in TABLES:
        assert _alarmed(table, "ReadThrottleEvents"), table
        assert _alarmed(table, "WriteThrottleEvents"), table


def _consumers() -> list[tuple[str, str, int]]:
    """(function, queue, timeout) of every SQS-triggered function."""
    return [
        (function.logical_id, source.queue, function.timeout)
        for function in TEMPLATE.functions()
        for source in function.queues
    ]


def test_the_consumers_are_the_six_expected() -> None:
    assert {function for function, _, _ in _consumers()} == {
        "ErasureWorkerFunction",
        "FraudScorerFunction",
        "NotificationDispatcherFunction",
        "PointsExpiryWorkerFunction",
        "SpecialDateRewardsWorkerFunction",
        "SegmentRefreshWorkerFunction",
    }


@pytest.mark.parametrize(("function", "queue", "timeout"), _consumers())
def test_a_consumed_queue_outlasts_its_consumer_and_is_watched(
    function: str, queue: str, timeout: int
) -> None:
    properties = RESOURCES[queue]["Properties"]
    assert properties["VisibilityTimeout"] >= 6 * timeout
    assert _alarmed(queue, "ApproximateAgeOfOldestMessage")
    dead_letters = next(iter(_refs(properties["RedrivePolicy"]["deadLetterTargetArn"])))
    assert _alarmed(dead_letters, "ApproximateNumberOfMessagesVisible")
    [event] = [
        event
        for event in RESOURCES[function]["Properties"]["Events"].values()
        if event["Type"] == "SQS" and queue in _refs(event["Properties"]["Queue"])
    ]
    assert event["Properties"]["ScalingConfig"]["MaximumConcurrency"] >= 2


def test_every_dead_letter_queue_is_alarmed() -> None:
    targets = set()
    for resource in RESOURCES.values():
        text = json.dumps(resource.get("Properties", {}))
        if "deadLetterTargetArn" in text or "DeadLetterConfig" in text or "OnFailure" in text:
            targets |= {
                logical_id
                for logical_id in _refs(resource["Properties"])
                if RESOURCES.get(logical_id, {}).get("Type") == "AWS::SQS::Queue"
                and "DeadLetter" in logical_id
            }
    assert "ScheduleDeadLetterQueue" in targets
    assert len(targets) == 8
    for queue in targets:
        assert _alarmed(queue, "ApproximateNumberOfMessagesVisible"), queue


def test_schedules_retry_then_dead_letter() -> None:
    schedules = [
        (logical_id, event)
        for logical_id, resource in _of_type("AWS::Serverless::Function").items()
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] in ("Schedule", "ScheduleV2")
    ]
    assert len(schedules) == 3
    for function, event in schedules:
        assert event["Type"] == "ScheduleV2", function
        assert event["Properties"]["RetryPolicy"]["MaximumRetryAttempts"] >= 1, function
        [queue] = _refs(event["Properties"]["DeadLetterConfig"])
        assert RESOURCES[queue]["Type"] == "AWS::SQS::Queue"
        assert _alarmed(queue, "ApproximateNumberOfMessagesVisible"), function


# ---- the API: one stage, throttled, with access logs ------------------------------------------


def test_the_api_has_one_throttled_stage_with_json_access_logs() -> None:
    assert TEMPLATE.document["Globals"]["Api"]["OpenApiVersion"] == "3.0.1"  # no extra `Stage` stage
    [api] = _of_type("AWS::Serverless::Api").values()
    properties = api["Properties"]
    assert any(
        setting.get("ThrottlingBurstLimit") and setting.get("ThrottlingRateLimit")
        for setting in properties["MethodSettings"]
    )
    logs = properties["AccessLogSetting"]
    [group] = _refs(logs["DestinationArn"])
    assert RESOURCES[group]["Type"] == "AWS::Logs::LogGroup"
    assert {"requestId", "status", "caller"} <= set(json.loads(logs["Format"]))
    # API Gateway logs through the account's CloudWatch role, which the stack sets before the API
    assert api["DependsOn"] == "ApiGatewayAccount"
    assert _of_type("AWS::ApiGateway::Account")


# ---- the local stack makes the secret as Secrets Manager would, and keeps it with its data ------


def test_the_local_stack_generates_the_secret_and_keeps_it_across_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3
    from moto import mock_aws

    from local_stack.resources import Provisioned, _secrets

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    kept = tmp_path / "data" / "secrets.json"

    def run(keep: Path | None) -> str:
        """One start of the local stack (a new moto): the secret's value as the functions read it."""
        with mock_aws():
            made = Provisioned()
            _secrets(Template(), "us-east-1", made, keep)
            client = boto3.client("secretsmanager", region_name="us-east-1")
            value: str = client.get_secret_value(SecretId=made.names[SECRET])["SecretString"]
            return value

    first, second = run(kept), run(kept)
    assert first == second
    assert len(first) == 64
    assert first.isalnum()
    assert kept.stat().st_mode & 0o777 == 0o600
    assert run(None) not in (first, run(None))  # nothing kept: a new value each start
