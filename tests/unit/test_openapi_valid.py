"""openapi.json is a valid OpenAPI 3.1 document that client generators read whole: every reference
resolves, no two schemas share a name, every operation has its feature's tag and an example of its
request body and success response that its own schemas accept, and openapi-python-client generates
a client with every operation from it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from local_stack.openapi import EVENTS, OUTPUT, TAGS
from local_stack.template import Template

METHODS = {"get", "put", "post", "patch", "delete"}
SPEC: dict[str, Any] = json.loads(OUTPUT.read_text())
OPERATIONS = [
    (method, path, operation)
    for path, operations in SPEC["paths"].items()
    for method, operation in operations.items()
    if method in METHODS
]
IDS = [f"{method.upper()} {path}" for method, path, _ in OPERATIONS]


def _functions_by_route() -> dict[tuple[str, str], Any]:
    template = Template()
    return {
        (route.method.lower(), route.path): function
        for function in template.functions()
        for route in function.routes
    }


def _errors(instance: Any, schema: dict[str, Any]) -> list[str]:
    validator = OAS31Validator({**schema, "components": SPEC["components"]})
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


def test_the_document_is_valid_openapi() -> None:
    validate(SPEC)  # raises on a dangling $ref (the missing ValidationError was one) or a malformed part


def test_every_reference_names_a_defined_component() -> None:
    text = OUTPUT.read_text()
    for kind, name in re.findall(r'"#/components/([a-zA-Z]+)/([^"]+)"', text):
        assert name in SPEC["components"].get(kind, {}), f"#/components/{kind}/{name}"


def test_schema_names_are_unique_for_generators() -> None:
    schemas = SPEC["components"]["schemas"]
    # generators name a class by the schema's title, else its key, in PascalCase: no collapse allowed
    assert {key: schema.get("title") for key, schema in schemas.items()} == {key: key for key in schemas}
    collapsed = [re.sub(r"[^a-z0-9]", "", key.lower()) for key in schemas]
    assert len(collapsed) == len(set(collapsed))
    assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]*", key) for key in schemas), sorted(schemas)


def test_every_operation_is_tagged_with_its_feature() -> None:
    functions = _functions_by_route()
    declared = {tag["name"]: tag for tag in SPEC["tags"]}
    for method, path, operation in OPERATIONS:
        feature = functions[(method, path)].code_dir.name
        assert operation["tags"] == [feature], (method, path)
        assert feature in declared, feature
    assert {name: tag["description"] for name, tag in declared.items()} == {
        name: TAGS[name] for name in declared
    }
    assert set(declared) == {operation["tags"][0] for _, _, operation in OPERATIONS}


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_has_examples_its_schemas_accept(method: str, path: str, operation: dict) -> None:  # type: ignore[type-arg]
    request = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if request is not None:
        assert "example" in request
        assert _errors(request["example"], request["schema"]) == []
    successes = {status: response for status, response in operation["responses"].items() if status[0] == "2"}
    assert successes, (method, path)
    for response in successes.values():
        content = response["content"]["application/json"]
        assert "example" in content
        assert _errors(content["example"], content["schema"]) == []


def test_request_examples_are_the_sample_events_bodies_the_schema_accepts() -> None:
    functions = _functions_by_route()
    from_samples = []
    for method, path, operation in OPERATIONS:
        request = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if request is None:
            continue
        function = functions[(method, path)]
        sample = EVENTS / function.code_dir.name / (function.handler.rsplit(".", 1)[0] + ".json")
        body = json.loads(json.loads(sample.read_text())["body"] or "null")
        if not _errors(body, request["schema"]):
            assert request["example"] == body, sample
            from_samples.append(sample)
    assert len(from_samples) >= 15  # a sample the schema refuses (`{}` for a PUT) gets a built example


def test_an_example_that_breaks_its_schema_is_reported() -> None:
    schema = {"$ref": "#/components/schemas/Problem"}
    assert _errors({"type": "about:blank", "title": "x", "status": "400", "detail": "x"}, schema) != []


def generate_client(output: Path) -> subprocess.CompletedProcess[str]:
    """openapi-python-client run on openapi.json, offline and without post hooks (no ruff run)."""
    config = output.parent / "openapi-python-client.json"
    config.write_text(json.dumps({"post_hooks": []}))
    return subprocess.run(  # noqa: S603 - the locked generator of the venv
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(OUTPUT),
            "--output-path",
            str(output),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_generated_client_has_every_operation(tmp_path: Path) -> None:
    generated = generate_client(tmp_path / "customer_id_client")
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    assert "Unable to" not in output, output  # nothing dropped
    assert "Warning" not in output, output
    modules = {
        module.stem
        for feature in (tmp_path / "customer_id_client" / "api").iterdir()
        if feature.is_dir()
        for module in feature.glob("*.py")
        if module.stem != "__init__"
    }
    # a module per operation, named after its operationId in snake_case
    assert modules == {snake_case(operation["operationId"]) for _, _, operation in OPERATIONS}


def snake_case(operation_id: str) -> str:
    """The name openapi-python-client gives an operation's module and function."""
    return re.sub(r"_+", "_", re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", operation_id).lower())
