"""The one entry module: every function is entered through it, importing any function reads no
setting, and each kind of trigger (route, SQS batch, schedule) gets the same observed wrapper."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_socket
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from customer_id import entry, http, observability
from customer_id.auth import Access
from local_stack.runtime import LambdaContext
from local_stack.template import Function
from tests.harness import template

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = sorted((ROOT / "functions").rglob("*.py"))
MAX_HANDLER_LINES = 25
QUEUE_CONSUMERS = [function for function in template().functions() if function.queues]

_IMPORT_ALL = """
import importlib.util, json, sys
from collections.abc import Iterator
from pathlib import Path

not_entered = []
for path in map(Path, sys.argv[1:]):
    spec = importlib.util.spec_from_file_location(f"functions.{path.parent.name}.{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if getattr(module, "lambda_handler").__module__ != "customer_id.entry":
        not_entered.append(str(path))

from customer_id.settings import settings

print(json.dumps({"settings_read": settings.cache_info().currsize, "not_entered": not_entered}))
"""


def test_there_are_handlers() -> None:
    assert len(HANDLERS) >= 65
    assert {function.logical_id for function in QUEUE_CONSUMERS} == {
        "ErasureWorkerFunction",
        "NotificationDispatcherFunction",
        "FraudScorerFunction",
        "PointsExpiryWorkerFunction",
        "SegmentRefreshWorkerFunction",
        "SpecialDateRewardsWorkerFunction",
    }


def test_importing_every_handler_with_an_empty_environment_reads_no_setting() -> None:
    empty = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT / "layers" / "domain")}
    run = subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, "-c", _IMPORT_ALL, *map(str, HANDLERS)],
        env=empty,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["settings_read"] == 0
    assert found["not_entered"] == []


_IMPORT_ONE = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("handler", sys.argv[1])
spec.loader.exec_module(importlib.util.module_from_spec(spec))
print(sorted(name for name in sys.modules if name.startswith("aws_lambda_powertools.utilities.parser")))
"""


@pytest.mark.parametrize("function", QUEUE_CONSUMERS, ids=lambda function: function.logical_id)
def test_a_queue_consumer_loads_no_parser_models(function: Function) -> None:
    """Powertools' batch module loads its pydantic parser models (tens of ms) when it is imported
    after pydantic: a consumer imports it before the layer, so that it does not."""
    empty = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT / "layers" / "domain")}
    run = subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, "-c", _IMPORT_ONE, str(function.module_path)],
        env=empty,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("path", HANDLERS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_handler_is_wiring_only(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_HANDLER_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


# ---- the wrapper each trigger gets -----------------------------------------------------------------


@pytest.fixture
def context(observed: None) -> LambdaContext:
    return LambdaContext(function_name="EntryTestFunction")


@pytest.fixture
def observed(no_network: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Lets the real logger, tracer and metrics be built: the X-Ray SDK opens a UDP socket when the
    tracer is (tracing is disabled, so nothing is sent)."""
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "EntryTest")
    pytest_socket.enable_socket()
    yield
    pytest_socket.disable_socket()


def _logged(caplog: pytest.LogCaptureFixture, message: str) -> dict[str, Any]:
    """The one log line with `message`, as the function's structured logger writes it."""
    [record] = [record for record in caplog.records if record.getMessage() == message]
    line: dict[str, Any] = json.loads(observability.logger().registered_formatter.format(record))
    return line


def test_http_entrypoint_is_the_route_of_the_entry_module() -> None:
    assert http.entrypoint is entry.route


def test_a_route_logs_with_the_request_id_as_correlation_id(
    context: LambdaContext, caplog: pytest.LogCaptureFixture
) -> None:
    app = http.build_resolver()

    @app.get("/things")
    def things() -> dict[str, Any]:
        observability.logger().info("listing things")
        return {"items": []}

    event = {
        "resource": "/things",
        "path": "/things",
        "httpMethod": "GET",
        "headers": {"Accept-Language": "en"},
        "requestContext": {"requestId": "req-42", "resourcePath": "/things", "httpMethod": "GET"},
        "body": None,
    }
    response = entry.route(app, Access.PUBLIC)(event, context)

    assert response["statusCode"] == 200
    line = _logged(caplog, "listing things")
    assert line["correlation_id"] == "req-42"
    assert line["function_name"] == "EntryTestFunction"


def _sqs_event(*bodies: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m-{index}",
                "receiptHandle": "handle",
                "body": body,
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:queue",
                "awsRegion": "us-east-1",
            }
            for index, body in enumerate(bodies)
        ]
    }


def test_an_sqs_batch_reports_the_failed_records_alone(context: LambdaContext) -> None:
    handled: list[str] = []

    def record_handler(record: SQSRecord) -> None:
        if record.body == "bad":
            raise ValueError("bad record")
        handled.append(record.body)

    response = entry.batch(BatchProcessor(EventType.SQS), record_handler)(
        _sqs_event("one", "bad", "two"), context
    )

    assert response == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert handled == ["one", "two"]


def test_an_sqs_record_handler_may_take_the_lambda_context(context: LambdaContext) -> None:
    seen: list[Any] = []

    def record_handler(record: SQSRecord, lambda_context: Any) -> None:
        seen.append(lambda_context)

    entry.batch(BatchProcessor(EventType.SQS), record_handler)(_sqs_event("one"), context)

    assert seen == [context]


def test_an_sqs_batch_whose_every_record_failed(context: LambdaContext) -> None:
    def record_handler(record: SQSRecord) -> None:
        raise ValueError("bad record")

    with pytest.raises(BatchProcessingError):
        entry.batch(BatchProcessor(EventType.SQS), record_handler)(_sqs_event("a", "b"), context)
    lenient = BatchProcessor(EventType.SQS, raise_on_entire_batch_failure=False)
    reported = entry.batch(lenient, record_handler)(_sqs_event("a", "b"), context)
    assert reported == {"batchItemFailures": [{"itemIdentifier": "m-0"}, {"itemIdentifier": "m-1"}]}


def test_a_schedule_returns_and_logs_its_summary(
    context: LambdaContext, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[dict[str, Any]] = []

    def job(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        return {"day": "2026-11-24", "done": 3}

    scheduled = {"id": "schedule-run-7", "detail-type": "Scheduled Event", "detail": {}}
    result = entry.schedule(job, "job done")(scheduled, context)

    assert result == {"day": "2026-11-24", "done": 3}
    assert events == [scheduled]
    line = _logged(caplog, "job done")
    assert (line["day"], line["done"], line["correlation_id"]) == ("2026-11-24", 3, "schedule-run-7")
