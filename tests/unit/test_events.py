"""Every sample event in events/ is what AWS sends the function it belongs to: it passes Powertools'
parser model of its source (API Gateway REST proxy, SQS, DynamoDB stream, EventBridge schedule).
The API samples come from tools/make_events.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayProxyEventModel,
    DynamoDBStreamModel,
    EventBridgeModel,
    SqsModel,
)
from pydantic import BaseModel

from local_stack.template import ROOT, Function, Template

EVENTS = ROOT / "events"


def _sample(function: Function) -> Path:
    return EVENTS / function.code_dir.name / (function.handler.split(".")[0] + ".json")


def _model(function: Function) -> type[BaseModel]:
    if function.routes:
        return APIGatewayProxyEventModel
    if function.queues:
        return SqsModel
    if function.streams:
        return DynamoDBStreamModel
    assert function.schedules, f"{function.logical_id} has no event source"
    return EventBridgeModel


SAMPLES = {
    _sample(function): _model(function) for function in Template().functions() if _sample(function).exists()
}


def test_every_sample_belongs_to_a_function() -> None:
    assert sorted(EVENTS.rglob("*.json")) == sorted(SAMPLES)


def test_every_api_function_has_a_sample() -> None:
    api_functions = [function for function in Template().functions() if function.routes]

    assert all(_sample(function).exists() for function in api_functions)
    assert len(api_functions) == 65


@pytest.mark.parametrize("sample", sorted(SAMPLES), ids=lambda path: str(path.relative_to(EVENTS)))
def test_a_sample_passes_its_sources_powertools_model(sample: Path) -> None:
    SAMPLES[sample].model_validate(json.loads(sample.read_text()))
