"""Integration tests: the template's functions invoked in-process on moto's DynamoDB, with the tables
and environment of `template.yaml`."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from customer_id.settings import settings
from local_stack import demo
from local_stack.isolation import serialize_dynamodb
from tests.harness import template


@pytest.fixture(autouse=True)
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    functions = template().functions()
    for key, value in functions[0].environment.items():
        monkeypatch.setenv(key, value)
    settings.cache_clear()
    serialize_dynamodb()
    with mock_aws():
        client = boto3.client("dynamodb")
        for arguments in template().tables().values():
            client.create_table(**arguments)
        for logical_id, attribute in template().time_to_live().items():
            client.update_time_to_live(
                TableName=logical_id, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
            )
        demo.load()
        yield
    settings.cache_clear()


@pytest.fixture
def dynamodb() -> boto3.client:  # type: ignore[valid-type]
    return boto3.client("dynamodb", region_name=os.environ["AWS_REGION"])
