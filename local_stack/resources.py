"""Creates the template's AWS resources: tables (on DynamoDB Local or moto, wherever the DynamoDB
endpoint points), queues (with redrive), the user pool, its client and groups, and secrets (a
`GenerateSecretString` generated as Secrets Manager would). Returns what `Ref` and `GetAtt` give for
each, for the rest of the stack.

Tables kept from an earlier run are reused: a table that exists is not created again, and an index
the template added since is created on it (DynamoDB backfills it)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from local_stack.template import Template


@dataclass
class Provisioned:
    names: dict[str, str] = field(default_factory=dict)  # logical id -> Ref
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)  # (logical id, attribute) -> GetAtt
    created_tables: list[str] = field(default_factory=list)  # logical ids of the tables made by this run
    kept_tables: list[str] = field(default_factory=list)  # logical ids of the tables an earlier run made


def provision(template: Template, region: str, kept_secrets: Path | None = None) -> Provisioned:
    """`kept_secrets`: a file that keeps the generated secrets' values (logical id -> value) across
    runs, as a deployed stack keeps its secret (the cursors issued before a restart still open)."""
    made = Provisioned()
    _secrets(template, region, made, kept_secrets)
    _user_pools(template, region, made)
    _queues(template, region, made)
    template.names.update(made.names)
    template.attributes.update(made.attributes)
    _tables(template, region, made)
    template.attributes.update(made.attributes)
    _email_identities(template, region)
    return made


def _tables(template: Template, region: str, made: Provisioned) -> None:
    client = boto3.client("dynamodb", region_name=region)
    existing = {
        name for page in client.get_paginator("list_tables").paginate() for name in page["TableNames"]
    }
    for logical_id, arguments in template.tables().items():
        if arguments["TableName"] in existing:
            _add_missing_indexes(client, arguments)
            made.kept_tables.append(logical_id)
        else:
            client.create_table(**arguments)
            made.created_tables.append(logical_id)
        _stream(client, arguments, logical_id, made)
        attribute = template.time_to_live().get(logical_id)
        if attribute:
            current = client.describe_time_to_live(TableName=arguments["TableName"])
            if current["TimeToLiveDescription"].get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
                client.update_time_to_live(
                    TableName=arguments["TableName"],
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute},
                )


def _stream(client: Any, arguments: dict[str, Any], logical_id: str, made: Provisioned) -> None:
    """The table's stream ARN (`GetAtt X.StreamArn`), the stream turned on for a kept table that
    was made before the template asked for one."""
    if "StreamSpecification" not in arguments:
        return
    table = client.describe_table(TableName=arguments["TableName"])["Table"]
    if not table.get("StreamSpecification", {}).get("StreamEnabled"):
        table = client.update_table(
            TableName=arguments["TableName"], StreamSpecification=arguments["StreamSpecification"]
        )["TableDescription"]
    made.attributes[(logical_id, "StreamArn")] = table["LatestStreamArn"]


def _add_missing_indexes(client: Any, arguments: dict[str, Any]) -> None:
    """Create the template's global secondary indexes that a kept table lacks (one per request, as
    DynamoDB allows). Other differences (keys, local indexes) need `make reset`."""
    table = client.describe_table(TableName=arguments["TableName"])["Table"]
    present = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])}
    for index in arguments.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] in present:
            continue
        client.update_table(
            TableName=arguments["TableName"],
            AttributeDefinitions=arguments["AttributeDefinitions"],
            GlobalSecondaryIndexUpdates=[{"Create": index}],
        )


def _email_identities(template: Template, region: str) -> None:
    ses = boto3.client("ses", region_name=region)
    for properties in template.of_type("AWS::SES::EmailIdentity").values():
        ses.verify_email_identity(EmailAddress=str(template.resolve(properties["EmailIdentity"])))


def _user_pools(template: Template, region: str, made: Provisioned) -> None:
    client = boto3.client("cognito-idp", region_name=region)
    for logical_id, properties in template.of_type("AWS::Cognito::UserPool").items():
        resolved = template.resolve(properties)
        arguments = {
            key: resolved[key]
            for key in ("UsernameAttributes", "AutoVerifiedAttributes", "Policies", "Schema")
            if key in resolved
        }
        pool = client.create_user_pool(PoolName=resolved.get("UserPoolName", logical_id), **arguments)[
            "UserPool"
        ]
        made.names[logical_id] = pool["Id"]
        made.attributes[(logical_id, "Arn")] = pool["Arn"]
        made.attributes[(logical_id, "ProviderName")] = f"cognito-idp.{region}.amazonaws.com/{pool['Id']}"
        template.names[logical_id] = pool["Id"]
    for logical_id, properties in template.of_type("AWS::Cognito::UserPoolClient").items():
        resolved = template.resolve(properties)
        app_client = client.create_user_pool_client(
            UserPoolId=resolved["UserPoolId"],
            ClientName=resolved.get("ClientName", logical_id),
            GenerateSecret=bool(resolved.get("GenerateSecret", False)),
            ExplicitAuthFlows=resolved.get("ExplicitAuthFlows", []),
        )["UserPoolClient"]
        made.names[logical_id] = app_client["ClientId"]
    for logical_id, properties in template.of_type("AWS::Cognito::UserPoolGroup").items():
        resolved = template.resolve(properties)
        client.create_group(
            GroupName=resolved["GroupName"],
            UserPoolId=resolved["UserPoolId"],
            Description=resolved.get("Description", ""),
        )
        made.names[logical_id] = resolved["GroupName"]


def _queues(template: Template, region: str, made: Provisioned) -> None:
    client = boto3.client("sqs", region_name=region)
    pending = dict(template.of_type("AWS::SQS::Queue"))
    # a queue's redrive policy names its dead-letter queue's ARN: create queues after the ones they name
    while pending:
        ready = [
            logical_id for logical_id, properties in pending.items() if not _waits_for(properties, pending)
        ]
        if not ready:
            raise ValueError(f"queues refer to each other in a cycle: {sorted(pending)}")
        for logical_id in ready:
            properties = pending.pop(logical_id)
            template.names.update(made.names)
            template.attributes.update(made.attributes)
            resolved = template.resolve(properties)
            name = resolved.get("QueueName", logical_id)
            attributes: dict[str, str] = {}
            for key in (
                "VisibilityTimeout",
                "MessageRetentionPeriod",
                "DelaySeconds",
                "ReceiveMessageWaitTimeSeconds",
            ):
                if key in resolved:
                    attributes[key] = str(resolved[key])
            if "RedrivePolicy" in resolved:
                attributes["RedrivePolicy"] = json.dumps(resolved["RedrivePolicy"])
            if resolved.get("FifoQueue"):
                attributes["FifoQueue"] = "true"
            url = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
            arn = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            made.names[logical_id] = url
            made.attributes[(logical_id, "Arn")] = arn
            made.attributes[(logical_id, "QueueName")] = name
            made.attributes[(logical_id, "QueueUrl")] = url


def _waits_for(properties: Any, pending: dict[str, Any]) -> bool:
    text = json.dumps(properties, default=str)
    return any(f'"{logical_id}' in text for logical_id in pending)


def _secrets(template: Template, region: str, made: Provisioned, kept: Path | None) -> None:
    """Each `AWS::SecretsManager::Secret`: its `SecretString`, or one generated from its
    `GenerateSecretString` by Secrets Manager's own password generator (`GetRandomPassword`), in a
    JSON object under `GenerateStringKey` when the template gives a `SecretStringTemplate`."""
    client = boto3.client("secretsmanager", region_name=region)
    values: dict[str, str] = json.loads(kept.read_text()) if kept is not None and kept.exists() else {}
    for logical_id, properties in template.of_type("AWS::SecretsManager::Secret").items():
        resolved = template.resolve(properties)
        value = resolved.get("SecretString") or values.get(logical_id) or _generated(client, resolved)
        values[logical_id] = value
        arn = client.create_secret(
            Name=resolved.get("Name", logical_id),
            Description=resolved.get("Description", ""),
            SecretString=value,
        )["ARN"]
        made.names[logical_id] = arn  # `Ref` gives a secret's ARN
        made.attributes[(logical_id, "Id")] = arn
    if kept is not None and values:
        kept.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(values, file)


def _generated(client: Any, properties: dict[str, Any]) -> str:
    spec = dict(properties["GenerateSecretString"])
    template, key = spec.pop("SecretStringTemplate", None), spec.pop("GenerateStringKey", None)
    options = {
        name: spec[name]
        for name in (
            "PasswordLength",
            "ExcludeCharacters",
            "ExcludeNumbers",
            "ExcludePunctuation",
            "ExcludeUppercase",
            "ExcludeLowercase",
            "IncludeSpace",
            "RequireEachIncludedType",
        )
        if name in spec
    }
    password: str = client.get_random_password(**options)["RandomPassword"]
    if template is None:
        return password
    return json.dumps({**json.loads(template), str(key): password})
