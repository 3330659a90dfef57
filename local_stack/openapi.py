"""One OpenAPI 3.1 document for every function of template.yaml, generated from the code: each
handler's resolver describes its route from the declaration and its pydantic models; Powertools'
OpenAPIMerge joins them; then what the shared edge adds to every operation is declared once here
(the Cognito bearer token or none, Accept-Language, Idempotency-Key on POSTs that create, and the
problem+json errors), a tag per feature (the function's folder functions/<feature>/), and an example per
operation: the request body of the function's sample event (events/<feature>/<handler>.json) and a
success response built from its schema. Schema names are made unique for client generators: pydantic's
`Money-Input`/`Money-Output` pair becomes `MoneyInput` (or the plain schema when identical) and every
schema's `title` is its key. Production functions never build it: only `make openapi` and the local
stack do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

from local_stack.runtime import load_module, mount_layers
from local_stack.template import ROOT, Function, Template

OUTPUT = ROOT / "openapi.json"
PRIMING = ROOT / "layers" / "domain" / "customer_id" / "priming.json"
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
EVENTS = ROOT / "events"
TAGS = {  # one per feature folder of functions/ that serves routes
    "analytics": "Purchases and what they add up to: spending, summary, engagement",
    "loyalty": "Points: the account, its transactions, adjustments, redemptions, the catalog and the tiers",
    "notifications": "The customer's notifications and the channels and types they accept",
    "offers": "Offers: created by staff, listed for and applied by the customers they target",
    "profile": "The customer's profile: name, contact, language, time zone",
    "referrals": "Referral codes, referrals applied with them and the rewards they earn",
    "rewards": "Rewards for special dates and occasions: issued, listed and claimed",
    "rights": "The customer's data rights: everything held about them as one document, and erasure",
    "security": "Security events, fraud alerts and their resolution, reports, two-factor authentication",
    "segments": "Customer segments, their benefits and statistics",
    "support": "Support chats with agents and the FAQ",
    "tickets": "Support tickets and their comments",
}
# Powertools' own validation schemas: its 422 answers are dropped (ours are 400 problem+json)
POWERTOOLS_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
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


def _sample_body(function: Function) -> Any:
    """The request body of the function's sample event, None if it has none."""
    sample = EVENTS / function.code_dir.name / (function.handler.rsplit(".", 1)[0] + ".json")
    body = json.loads(sample.read_text()).get("body") if sample.exists() else None
    return json.loads(body) if body else None


_STRINGS = {  # property name -> an example value, where the name says what the string holds
    "currency": "SAR",
    "email": "layla@example.com",
    "language": "en",
    "timezone": "Asia/Riyadh",
    "phone": "+966500000001",
    "country": "SA",
}


def _string_example(name: str, schema: dict[str, Any]) -> str:
    lowered = name.lower()
    if (
        schema.get("format") == "date-time"
        or lowered.endswith("at")
        or lowered in ("validfrom", "validuntil")
    ):
        value = "2026-03-01T09:30:00Z"
    elif schema.get("format") == "date" or lowered.endswith("date"):
        value = "2026-03-01"
    elif lowered in _STRINGS:
        value = _STRINGS[lowered]
    elif lowered.endswith("id"):
        value = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    elif any(word in lowered for word in ("amount", "spend", "value", "discount", "purchase")):
        value = "25.00"
    else:
        value = name or "text"
    return value[: schema.get("maxLength", len(value))]


def _example(schema: dict[str, Any], components: dict[str, Any], name: str = "", depth: int = 0) -> Any:
    """A value that validates against `schema`: its own example, const, enum or default if it has one,
    else one built from its type (every property of an object, one item of an array)."""
    if "$ref" in schema:
        key = schema["$ref"].rsplit("/", 1)[1]
        return _example(components[key], components, name, depth + 1) if depth < 16 else {}
    if schema.get("examples"):
        return schema["examples"][0]
    for keyword in ("example", "const", "default"):
        if schema.get(keyword) is not None:
            return schema[keyword]
    if schema.get("enum"):
        return schema["enum"][0]
    for keyword in ("anyOf", "oneOf", "allOf"):
        branches = [branch for branch in schema.get(keyword, []) if branch.get("type") != "null"]
        if branches:
            return _example(branches[0], components, name, depth)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            key: _example(value, components, key, depth + 1)
            for key, value in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [_example(schema.get("items", {}), components, name, depth + 1)] * schema.get("minItems", 1)
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
        return int(low) if kind == "integer" else low
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string_example(name, schema)


def _accepts(schema: dict[str, Any], components: dict[str, Any], value: Any) -> bool:
    from jsonschema import Draft202012Validator  # a dev dependency, as this module is

    return Draft202012Validator({**schema, "components": {"schemas": components}}).is_valid(value)


def _add_examples(operation: dict[str, Any], body: Any, components: dict[str, Any]) -> None:
    request = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if request is not None:  # the sample's body, unless the schema refuses it (then one built from it)
        valid = body is not None and _accepts(request["schema"], components, body)
        request["example"] = body if valid else _example(request["schema"], components)
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {}).get("application/json")
        if status.startswith("2") and content is not None:
            content["example"] = _example(content.get("schema", {}), components)


def _unique_schema_names(spec: dict[str, Any]) -> None:
    """pydantic names a model's two modes `X-Input` and `X-Output` when they differ, but keeps the
    `title` X for both, and client generators name classes by title: three classes `Money` made
    openapi-python-client drop the operations that use them. Each schema gets a name of its own
    (the plain X when a mode is identical to it), and its title is its name."""
    schemas = spec["components"]["schemas"]
    renamed: dict[str, str] = {}
    for key in sorted(schemas):
        for suffix in ("-Input", "-Output"):
            if key.endswith(suffix):
                base = key.removesuffix(suffix)
                same = base in schemas and schemas[base] == schemas[key]
                renamed[key] = base if same else base + suffix[1:]
    for old, new in renamed.items():
        schema = schemas.pop(old)
        schemas.setdefault(new, schema)
    for key, schema in schemas.items():
        schema["title"] = key
    text = json.dumps(spec)
    for old, new in renamed.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    spec.clear()
    spec.update(json.loads(text))


def document(template: Template | None = None) -> dict[str, Any]:
    stack = template or Template()
    mount_layers(stack)  # the handlers import the domain layer, as Lambda mounts it
    merge = OpenAPIMerge(
        title=TITLE, version=VERSION, description=DESCRIPTION, openapi_version="3.1.0", on_conflict="error"
    )
    served: dict[tuple[str, str], tuple[bool, Function]] = {}
    for function in stack.functions():
        if not function.routes:
            continue
        app = load_module(function).app
        merge.add_schema(app.get_openapi_schema(title=TITLE, version=VERSION, openapi_version="3.1.0"))
        for route in function.routes:
            served[(route.method.lower(), route.path)] = (route.public, function)
    spec: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    components = spec.setdefault("components", {})
    for kind, entries in _components().items():
        components.setdefault(kind, {}).update(entries)
    for unused in POWERTOOLS_SCHEMAS:
        components.get("schemas", {}).pop(unused, None)
    _unique_schema_names(spec)
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            public, function = served[(method, path)]
            _finish_operation(operation, method, public)
            operation["tags"] = [function.code_dir.name]
            _add_examples(operation, _sample_body(function), spec["components"]["schemas"])
    used = {tag for operations in spec["paths"].values() for op in operations.values() for tag in op["tags"]}
    spec["tags"] = [{"name": name, "description": TAGS[name]} for name in sorted(used)]
    spec["servers"] = [{"url": "http://127.0.0.1:3000", "description": "the local stack (make serve)"}]
    return spec


def priming_requests(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`"METHOD /path"` -> `{body?, query?}`: every operation's request body example and an example of
    each required query parameter, what an API function sends itself before its SnapStart snapshot
    (`customer_id.snapshot`)."""
    requests: dict[str, dict[str, Any]] = {}
    components = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            request: dict[str, Any] = {}
            if "requestBody" in operation:
                request["body"] = operation["requestBody"]["content"]["application/json"]["example"]
            query = {
                parameter["name"]: str(_example(parameter["schema"], components, parameter["name"]))
                for parameter in operation.get("parameters", [])
                if parameter.get("in") == "query" and parameter.get("required")
            }
            if query:
                request["query"] = query
            if request:
                requests[f"{method.upper()} {path}"] = request
    return requests


def write(path: Path = OUTPUT, priming: Path = PRIMING) -> Path:
    spec = document()
    path.write_text(json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    priming.write_text(
        json.dumps(priming_requests(spec), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    )
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
