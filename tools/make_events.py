"""Writes a sample API Gateway REST event to events/<feature>/<handler>.json for every function of
template.yaml that has none yet (existing samples are left as they are). Usage:
    .venv/bin/python tools/make_events.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local_stack.template import ROOT, Template

CUSTOMER = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
ADMIN = "9a8b7c6d-5e4f-4321-8765-0a1b2c3d4e5f"
SAMPLE_IDS = {"customerId": CUSTOMER, "offerId": "3c6e0b8a5f1d4e2a9b7c0d1e", "segmentId": "champions"}


def main() -> None:
    for function in Template(parameters={"CursorSigningKey": "x" * 32}).functions():
        if not function.routes:
            continue
        out = ROOT / "events" / function.code_dir.name / (function.handler.split(".")[0] + ".json")
        if out.exists():
            continue
        route = function.routes[0]
        names = re.findall(r"\{(\w+)\}", route.path)
        path_parameters = {name: SAMPLE_IDS.get(name, "sample") for name in names}
        path = route.path
        for name, value in path_parameters.items():
            path = path.replace("{" + name + "}", value)
        headers = {"Accept": "application/json", "Accept-Language": "en", "Host": "api.example.com"}
        body = {} if route.method in ("POST", "PUT", "PATCH") else None
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
                "stage": "dev",
                "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                "accountId": "123456789012",
                "apiId": "1234567890",
                "identity": {"sourceIp": "203.0.113.10", "userAgent": "customer-id-sample"},
                **({} if route.public else {"authorizer": {"claims": claims}}),
            },
            "body": json.dumps(body) if body is not None else None,
            "isBase64Encoded": False,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(event, indent=2, ensure_ascii=False) + "\n")
        print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()
