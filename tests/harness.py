"""Invoking the template's functions in-process with their `events/` samples, as API Gateway would."""

from __future__ import annotations

import copy
import json
import os
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from local_stack.queues import QueuePoller
from local_stack.runtime import Handler, context_for, load_handler
from local_stack.template import ROOT, Function, Template
from tests.iam import acting_as


@cache
def template() -> Template:
    return Template()


@cache
def handler(logical_id: str) -> Handler:
    """The function's handler; called without a context (`None`), it gets one, as Lambda always gives."""
    function = template().function(logical_id)
    loaded = load_handler(function)

    def called(event: dict[str, Any], context: Any) -> Any:
        with acting_as(logical_id):  # its AWS calls are made with its role (tests/iam.py)
            return loaded(event, context_for(function) if context is None else context)

    return called


def sample_event(function: Function) -> dict[str, Any]:
    path = ROOT / "events" / function.code_dir.name / (function.handler.split(".")[0] + ".json")
    event: dict[str, Any] = json.loads(path.read_text())
    return event


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def claims(customer_id: str, *groups: str) -> dict[str, str]:
    found = {"sub": customer_id, "token_use": "id", "email": f"{customer_id}@example.com"}
    if groups:
        found["cognito:groups"] = ",".join(groups)
    return found


NO_CLAIMS: dict[str, str] = {}

IDEMPOTENCY_KEY = "Idempotency-Key"
FRESH: Any = ...
"""`invoke(..., idempotency_key=FRESH)`: a new key for each POST, as a careful client sends."""


def invoke(
    logical_id: str,
    *,
    path: dict[str, str] | None = None,
    caller: dict[str, str] | None = None,
    body: Any = ...,
    raw_body: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    idempotency_key: str | None = FRESH,
) -> Reply:
    """Call a function with its sample event, changed where asked; `caller` replaces the claims
    (`NO_CLAIMS`: none), `path` the path parameters, `body` the JSON body.

    The sample's own `Idempotency-Key` is never sent (a fixed key would replay one test's answer in
    another call). A POST gets a fresh unique key by default, so each call runs for real;
    `idempotency_key="k"` sends that key (the same key twice is a replay), `None` sends none. A key
    given in `headers` is sent as given."""
    function = template().function(logical_id)
    event = copy.deepcopy(sample_event(function))
    if path is not None:
        event["pathParameters"] = path
        concrete = event["resource"]
        for name, value in path.items():
            concrete = concrete.replace("{" + name + "}", value)
        event["path"] = concrete
    if caller is not None:
        authorizer = event["requestContext"].setdefault("authorizer", {})
        authorizer["claims"] = caller
        if not caller:
            event["requestContext"].pop("authorizer")
    if raw_body is not None:
        event["body"] = raw_body
    elif body is not ...:
        event["body"] = None if body is None else json.dumps(body)
    if query is not None:
        event["queryStringParameters"] = query or None
        event["multiValueQueryStringParameters"] = {key: [value] for key, value in query.items()} or None
    event_headers = {
        key: value for key, value in event["headers"].items() if key.lower() != "idempotency-key"
    }
    given = {key.lower() for key in headers or {}}
    if "idempotency-key" not in given:
        if idempotency_key is FRESH:
            if event["httpMethod"] == "POST":
                event_headers[IDEMPOTENCY_KEY] = f"test-{uuid.uuid4().hex}"
        elif idempotency_key is not None:
            event_headers[IDEMPOTENCY_KEY] = idempotency_key
    elif idempotency_key is not FRESH:
        raise ValueError("an Idempotency-Key both in headers and as idempotency_key")
    event_headers.update(headers or {})
    event["headers"] = event_headers
    event["multiValueHeaders"] = {key: [value] for key, value in event_headers.items()}
    function_handler = handler(logical_id)
    response = function_handler(event, context_for(function))
    reply_headers = dict(response.get("headers") or {})
    for key, values in (response.get("multiValueHeaders") or {}).items():
        reply_headers[key] = values[-1]
    text = response.get("body")
    return Reply(
        status=response["statusCode"], headers=reply_headers, body=json.loads(text) if text else None
    )


def deliver(logical_id: str, *bodies: str) -> Any:
    """A queue consumer on one SQS batch of `bodies`, as Lambda hands it over (record ids `sqs-<n>`);
    its answer (the batch item failures)."""
    function = template().function(logical_id)
    queue = function.queues[0].queue
    event = {
        "Records": [
            {
                "messageId": f"sqs-{index}",
                "receiptHandle": f"receipt-{index}",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
                "awsRegion": "us-east-1",
            }
            for index, body in enumerate(bodies, start=1)
        ]
    }
    return handler(logical_id)(event, None)


def queue_poller[P: QueuePoller](stack: Template, logical_id: str, kind: type[P] = QueuePoller) -> P:  # type: ignore[assignment]
    """The local stack's poller of a consumer function's queue, on `stack`'s provisioned queue."""
    function = template().function(logical_id)
    source = function.queues[0]
    return kind(
        function,
        handler(logical_id),
        source,
        queue_url=stack.names[source.queue],
        queue_arn=stack.attributes[(source.queue, "Arn")],
        region=os.environ["AWS_REGION"],
    )
