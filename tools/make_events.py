"""Writes a sample API Gateway REST event to events/<feature>/<handler>.json for every function of
template.yaml that has none yet, and adds to an existing sample the `requestContext` members API
Gateway always sends that it lacks (`REQUEST_CONTEXT`; nothing else of it changes, so hand-made
bodies stay). Every sample passes Powertools' `APIGatewayProxyEventModel`
(tests/unit/test_events.py). Usage:
    .venv/bin/python tools/make_events.py
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local_stack.template import ROOT, Template

CUSTOMER = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
ADMIN = "9a8b7c6d-5e4f-4321-8765-0a1b2c3d4e5f"
SAMPLE_IDS = {"customerId": CUSTOMER, "offerId": "3c6e0b8a5f1d4e2a9b7c0d1e", "segmentId": "champions"}
REQUEST_TIME = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
# What API Gateway puts in every REST request's context besides the route's own members.
REQUEST_CONTEXT: dict[str, Any] = {
    "stage": "dev",
    "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    "accountId": "123456789012",
    "apiId": "1234567890",
    "protocol": "HTTP/1.1",
    "requestTime": REQUEST_TIME.strftime("%d/%b/%Y:%H:%M:%S +0000"),
    "requestTimeEpoch": int(REQUEST_TIME.timestamp() * 1000),
    "identity": {"sourceIp": "203.0.113.10", "userAgent": "customer-id-sample"},
}


def main() -> None:
    for function in Template().functions():
        if not function.routes:
            continue
        out = ROOT / "events" / function.code_dir.name / (function.handler.split(".")[0] + ".json")
        if out.exists():
            complete(out)
            continue
        route = function.routes[0]
        names = re.findall(r"\{(\w+)\}", route.path)
        path_parameters = {name: SAMPLE_IDS.get(name, "sample") for name in names}
        path = route.path
        for name, value in path_parameters.items():
            path = path.replace("{" + name + "}", value)
        headers = {"Accept": "application/json", "Accept-Language": "en", "Host": "api.example.com"}
        body: dict[str, Any] | None = {} if route.method in ("POST", "PUT", "PATCH") else None
        if body is not None:
            headers["Content-Type"] = "application/json"
        if not route.public:
            headers["Authorization"] = "Bearer eyJraWQiOi...sample"
        claims = {"sub": CUSTOMER, "email": "layla@example.com", "token_use": "id"}
        event = {
            "resource": route.path,
            "path": path,
            "httpMethod": route.method,
            "headers": headers,
            "multiValueHeaders": {key: [value] for key, value in headers.items()},
            "queryStringParameters": None,
            "multiValueQueryStringParameters": None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": {
                "resourcePath": route.path,
                "httpMethod": route.method,
                "path": "/dev" + path,
                **REQUEST_CONTEXT,
                **({} if route.public else {"authorizer": {"claims": claims}}),
            },
            "body": json.dumps(body) if body is not None else None,
            "isBase64Encoded": False,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(event, indent=2, ensure_ascii=False) + "\n")
        print(out.relative_to(ROOT))


def complete(sample: Path) -> None:
    """Adds the `REQUEST_CONTEXT` members an existing sample lacks (none it has is changed)."""
    event = json.loads(sample.read_text())
    context = event["requestContext"]
    missing = {key: value for key, value in REQUEST_CONTEXT.items() if key not in context}
    if not missing:
        return
    context.update(missing)
    sample.write_text(json.dumps(event, indent=2, ensure_ascii=False) + "\n")
    print(f"{sample.relative_to(ROOT)}: added requestContext.{', '.join(sorted(missing))}")


if __name__ == "__main__":
    main()
