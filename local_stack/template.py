"""Reads `template.yaml`: the tables, functions and their events, with intrinsics resolved to local
names. The local stack and the tests take every resource from here, never from a second list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from cfnlint.decode.cfn_yaml import loads

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str  # API Gateway form: /customers/{customerId}/profile
    public: bool


@dataclass(frozen=True)
class QueueSource:
    queue: str  # logical id of the AWS::SQS::Queue
    batch_size: int
    batching_window_seconds: int
    report_batch_item_failures: bool


@dataclass(frozen=True)
class StreamSource:
    table: str  # logical id of the AWS::DynamoDB::Table whose stream feeds the function
    batch_size: int
    batching_window_seconds: int
    starting_position: str  # TRIM_HORIZON or LATEST
    maximum_retry_attempts: int
    report_batch_item_failures: bool
    on_failure: str | None  # logical id of the SQS queue that gets a batch given up on


@dataclass(frozen=True)
class ScheduleSource:
    name: str  # the event's name in the template
    expression: str  # rate(...) or cron(...)
    input: str | None  # the JSON the target receives, if the template fixes it


@dataclass(frozen=True)
class Function:
    logical_id: str
    code_dir: Path
    handler: str  # module.attribute
    environment: dict[str, str]
    routes: list[ApiRoute] = field(default_factory=list)
    queues: list[QueueSource] = field(default_factory=list)
    streams: list[StreamSource] = field(default_factory=list)
    schedules: list[ScheduleSource] = field(default_factory=list)
    timeout: int = 10
    memory: int = 512
    snap_start: bool = False  # SnapStart on published versions: primed before its snapshot

    @property
    def module_path(self) -> Path:
        return self.code_dir / (self.handler.rsplit(".", 1)[0] + ".py")

    @property
    def attribute(self) -> str:
        return self.handler.rsplit(".", 1)[1]


class Template:
    """The template with `Ref`/`GetAtt`/`Sub` resolved against local names.

    `names` maps a logical id to what `Ref` gives locally (a table name, a pool id); `attributes`
    maps (logical id, attribute) to what `GetAtt` gives. Parameters take their defaults unless given.
    """

    def __init__(
        self,
        parameters: Mapping[str, str] | None = None,
        names: Mapping[str, str] | None = None,
        attributes: Mapping[tuple[str, str], str] | None = None,
        region: str = "us-east-1",
        path: Path = TEMPLATE,
    ) -> None:
        self.path = path
        self.document: dict[str, Any] = loads(path.read_text())
        self.parameters = {
            name: str(spec.get("Default", "")) for name, spec in self.document.get("Parameters", {}).items()
        } | dict(parameters or {})
        self.names = dict(names or {})
        self.attributes = dict(attributes or {})
        self.region = region

    @property
    def resources(self) -> dict[str, Any]:
        return self.document["Resources"]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource.get("Properties", {})
            for logical_id, resource in self.resources.items()
            if resource["Type"] == resource_type
        }

    def resolve(self, node: Any) -> Any:
        if isinstance(node, dict):
            if len(node) == 1:
                ((key, value),) = node.items()
                if key == "Ref":
                    return self._ref(str(value))
                if key == "Fn::GetAtt":
                    logical_id, attribute = value.split(".", 1) if isinstance(value, str) else value
                    return self.attributes.get((logical_id, attribute), f"local:{logical_id}:{attribute}")
                if key == "Fn::Sub":
                    return self._sub(value)
                if key == "Fn::Join":
                    separator, parts = value
                    return separator.join(str(self.resolve(part)) for part in parts)
            return {key: self.resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        return node

    def _ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": "123456789012",
            "AWS::StackName": "customer-id-local",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self.names.get(name, name)

    def _sub(self, value: Any) -> str:
        template, variables = (value, {}) if isinstance(value, str) else value
        result = str(template)
        for name, replacement in {**{k: self.resolve(v) for k, v in variables.items()}}.items():
            result = result.replace("${" + name + "}", str(replacement))
        while "${" in result:
            start = result.index("${")
            end = result.index("}", start)
            expression = result[start + 2 : end]
            if "." in expression:
                logical_id, attribute = expression.split(".", 1)
                replacement = self.attributes.get((logical_id, attribute), f"local:{expression}")
            else:
                replacement = self._ref(expression)
            result = result[:start] + str(replacement) + result[end + 1 :]
        return result

    # ---- DynamoDB --------------------------------------------------------------------------

    def tables(self) -> dict[str, dict[str, Any]]:
        """`create_table` arguments per table logical id (TableName from `names`, else the id)."""
        tables = {}
        for logical_id, properties in self.of_type("AWS::DynamoDB::Table").items():
            resolved = self.resolve(properties)
            arguments: dict[str, Any] = {
                "TableName": self.names.get(logical_id, logical_id),
                "AttributeDefinitions": resolved["AttributeDefinitions"],
                "KeySchema": resolved["KeySchema"],
                "BillingMode": resolved.get("BillingMode", "PAY_PER_REQUEST"),
            }
            for key in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
                if key in resolved:
                    arguments[key] = resolved[key]
            if "StreamSpecification" in resolved:  # CloudFormation's form lacks the API's `StreamEnabled`
                arguments["StreamSpecification"] = {"StreamEnabled": True, **resolved["StreamSpecification"]}
            tables[logical_id] = arguments
        return tables

    def time_to_live(self) -> dict[str, str]:
        """The TTL attribute of each table that has one."""
        return {
            logical_id: properties["TimeToLiveSpecification"]["AttributeName"]
            for logical_id, properties in self.of_type("AWS::DynamoDB::Table").items()
            if properties.get("TimeToLiveSpecification", {}).get("Enabled")
        }

    # ---- functions -------------------------------------------------------------------------

    @cached_property
    def _globals(self) -> dict[str, Any]:
        return self.document.get("Globals", {}).get("Function", {})

    def functions(self) -> list[Function]:
        functions = []
        for logical_id, properties in self.of_type("AWS::Serverless::Function").items():
            environment = {
                **self._globals.get("Environment", {}).get("Variables", {}),
                **properties.get("Environment", {}).get("Variables", {}),
            }
            routes = [
                ApiRoute(
                    method=str(event["Properties"]["Method"]).upper(),
                    path=str(event["Properties"]["Path"]),
                    public=event["Properties"].get("Auth", {}).get("Authorizer") == "NONE",
                )
                for event in properties.get("Events", {}).values()
                if event["Type"] == "Api"
            ]
            queues = [
                QueueSource(
                    queue=_logical_id_of(event["Properties"]["Queue"]),
                    batch_size=int(event["Properties"].get("BatchSize", 10)),
                    batching_window_seconds=int(event["Properties"].get("MaximumBatchingWindowInSeconds", 0)),
                    report_batch_item_failures="ReportBatchItemFailures"
                    in event["Properties"].get("FunctionResponseTypes", []),
                )
                for event in properties.get("Events", {}).values()
                if event["Type"] == "SQS"
            ]
            streams = [
                StreamSource(
                    table=_logical_id_of(event["Properties"]["Stream"]),
                    batch_size=int(event["Properties"].get("BatchSize", 100)),
                    batching_window_seconds=int(event["Properties"].get("MaximumBatchingWindowInSeconds", 0)),
                    starting_position=str(event["Properties"]["StartingPosition"]),
                    maximum_retry_attempts=int(event["Properties"].get("MaximumRetryAttempts", -1)),
                    report_batch_item_failures="ReportBatchItemFailures"
                    in event["Properties"].get("FunctionResponseTypes", []),
                    on_failure=(
                        _logical_id_of(event["Properties"]["DestinationConfig"]["OnFailure"]["Destination"])
                        if "DestinationConfig" in event["Properties"]
                        else None
                    ),
                )
                for event in properties.get("Events", {}).values()
                if event["Type"] == "DynamoDB"
            ]
            schedules = [
                ScheduleSource(
                    name=name,
                    expression=str(
                        event["Properties"][
                            "Schedule" if event["Type"] == "Schedule" else "ScheduleExpression"
                        ]
                    ),
                    input=event["Properties"].get("Input"),
                )
                for name, event in properties.get("Events", {}).items()
                if event["Type"] in ("Schedule", "ScheduleV2")
            ]
            functions.append(
                Function(
                    logical_id=logical_id,
                    code_dir=self.path.parent / str(properties["CodeUri"]),
                    handler=str(properties["Handler"]),
                    environment={key: str(self.resolve(value)) for key, value in environment.items()},
                    routes=routes,
                    queues=queues,
                    streams=streams,
                    schedules=schedules,
                    timeout=int(properties.get("Timeout", self._globals.get("Timeout", 10))),
                    memory=int(properties.get("MemorySize", self._globals.get("MemorySize", 512))),
                    snap_start=self.resolve(
                        {**self._globals.get("SnapStart", {}), **properties.get("SnapStart", {})}.get(
                            "ApplyOn", "None"
                        )
                    )
                    == "PublishedVersions",
                )
            )
        return functions

    def function(self, logical_id: str) -> Function:
        return next(function for function in self.functions() if function.logical_id == logical_id)


def _logical_id_of(reference: Any) -> str:
    """The logical id a `!GetAtt X.Arn` or `!Ref X` points at."""
    if isinstance(reference, dict):
        ((key, value),) = reference.items()
        if key == "Fn::GetAtt":
            return str(value.split(".", 1)[0] if isinstance(value, str) else value[0])
        if key == "Ref":
            return str(value)
    raise ValueError(f"cannot tell which resource {reference!r} names")
