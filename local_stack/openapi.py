"""One OpenAPI 3.1 document for every function of template.yaml, generated from the code: each
handler's resolver describes its route from the declaration and its pydantic models; Powertools'
OpenAPIMerge joins them; then what the shared edge adds to every operation is declared once here
(the Cognito bearer token or none, Accept-Language, Idempotency-Key on POSTs that create, and the
problem+json errors). Production functions never build it: only `make openapi` and the local stack do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

from local_stack.runtime import load_module, mount_layers
from local_stack.template import ROOT, Template

OUTPUT = ROOT / "openapi.json"
TITLE = "Customer ID API"
VERSION = "1.0.0"
DESCRIPTION = (
    "The customer-engagement backend: loyalty, referrals, segments, offers, analytics, notifications, "
    "support and fraud. The contract is API.md; this document is generated from the code. "
    "Errors are RFC 9457 problem details. Texts come in the language of Accept-Language (ar or en), "
    "else the caller's profile language, else English. Lists answer `{items}`; paginated lists take "
    "`limit` and `cursor` and answer `nextCursor`."
)
SECURITY_SCHEME = "cognitoIdToken"
PROBLEMS = {
    "400": "Invalid input or malformed JSON: `errors` names each field",
    "401": "Missing, invalid or expired token",
    "403": "Not allowed for this caller",
    "404": "Not found (also: a ticket or chat the caller may not see, a customer without profile)",
    "409": "Conflict with the current state",
    "413": "Body over 64 KiB",
    "415": "The body is not JSON",
    "429": "Throttled",
    "503": "Busy: DynamoDB stayed contended or throttled after the function's own retries with backoff, "
    "and nothing was changed (not a conflict with the current state). Retry after `Retry-After` seconds "
    "(a POST with the same Idempotency-Key)",
}


def _problem_response(status: str, description: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == "503":
        response["headers"] = {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}
    return response


def _components() -> dict[str, Any]:
    from customer_id.errors import RETRY_AFTER_SECONDS  # the layer is importable once a handler is loaded

    return {
        "schemas": {
            "Problem": {
                "type": "object",
                "title": "Problem",
                "description": "RFC 9457 problem details",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string", "description": "In the request language"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string", "description": "In the request language"},
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["field", "message"],
                            "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                        },
                    },
                },
            }
        },
        "responses": {
            status: _problem_response(status, description) for status, description in PROBLEMS.items()
        },
        "headers": {
            "RetryAfter": {
                "description": f"Seconds to wait before trying again (today always {RETRY_AFTER_SECONDS})",
                "required": True,
                "schema": {"type": "integer", "minimum": 1, "example": RETRY_AFTER_SECONDS},
            }
        },
        "parameters": {
            "AcceptLanguage": {
                "name": "Accept-Language",
                "in": "header",
                "required": False,
                "description": "ar or en (q-values honoured; ar-SA is ar)",
                "schema": {"type": "string"},
            },
            "IdempotencyKey": {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "1-128 characters, scoped to the caller and the route; a retry with the same "
                "key and body returns the first response; another body, or the first still running: 409. "
                "Kept 48 h.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 128},
            },
        },
        "securitySchemes": {
            SECURITY_SCHEME: {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "A Cognito ID token of the service's user pool",
            }
        },
    }


def _finish_operation(operation: dict[str, Any], method: str, public: bool) -> None:
    from customer_id.http import MAX_PATH_PARAMETER  # the layer is importable once a handler is loaded

    operation["security"] = [] if public else [{SECURITY_SCHEME: []}]
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path":  # the edge answers 400 for a longer id
            parameter.setdefault("schema", {})["maxLength"] = MAX_PATH_PARAMETER
    parameters = [
        parameter for parameter in operation.get("parameters", []) if parameter.get("in") != "header"
    ] + [{"$ref": "#/components/parameters/AcceptLanguage"}]
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)  # Powertools' validation status: ours is 400
    if method == "post" and ({"201", "202"} & set(responses)):
        parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
    operation["parameters"] = parameters
    statuses = ["400", "404", "429", "503"]
    if not public:
        statuses += ["401", "403"]
    if method in ("post", "put", "patch"):
        statuses += ["409", "413", "415"]
    for status in statuses:
        responses.setdefault(status, {"$ref": f"#/components/responses/{status}"})


def document(template: Template | None = None) -> dict[str, Any]:
    stack = template or Template(parameters={"CursorSigningKey": "x" * 32})
    mount_layers(stack)  # the handlers import the domain layer, as Lambda mounts it
    merge = OpenAPIMerge(
        title=TITLE, version=VERSION, description=DESCRIPTION, openapi_version="3.1.0", on_conflict="error"
    )
    public: dict[tuple[str, str], bool] = {}
    for function in stack.functions():
        if not function.routes:
            continue
        app = load_module(function).app
        merge.add_schema(app.get_openapi_schema(title=TITLE, version=VERSION, openapi_version="3.1.0"))
        for route in function.routes:
            public[(route.method.lower(), route.path)] = route.public
    spec: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            _finish_operation(operation, method, public[(method, path)])
    components = spec.setdefault("components", {})
    for kind, entries in _components().items():
        components.setdefault(kind, {}).update(entries)
    for unused in ("HTTPValidationError", "ValidationError"):
        components.get("schemas", {}).pop(unused, None)
    spec["servers"] = [{"url": "http://127.0.0.1:3000", "description": "the local stack (make serve)"}]
    return spec


def write(path: Path = OUTPUT) -> Path:
    path.write_text(json.dumps(document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def swagger_page(spec: dict[str, Any]) -> str:
    """Swagger UI with its assets inlined from the Powertools package: nothing loads from the web."""
    from aws_lambda_powertools.event_handler import openapi as powertools_openapi
    from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

    assets = Path(powertools_openapi.__file__).parent / "swagger_ui"
    return generate_swagger_html(
        spec=json.dumps(spec).replace("</", "<\\/"),
        swagger_js=(assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        swagger_css=(assets / "swagger-ui.min.css").read_text(encoding="utf-8"),
        swagger_base_url="",
        oauth2_config=None,
        persist_authorization=True,
    )
