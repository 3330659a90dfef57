"""The OpenAPI document and template.yaml can never disagree on a route, and the committed
openapi.json is the one the code generates."""

from __future__ import annotations

import json

import pytest

from local_stack.openapi import OUTPUT, PRIMING, document, priming_requests
from local_stack.template import Template

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def spec() -> dict:  # type: ignore[type-arg]
    return document()


def test_document_and_template_have_the_same_routes(spec: dict) -> None:  # type: ignore[type-arg]
    documented = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in METHODS
    }
    declared = {
        (route.method, route.path) for function in Template().functions() for route in function.routes
    }
    assert documented == declared


def test_every_operation_declares_security_errors_and_language(spec: dict) -> None:  # type: ignore[type-arg]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert "security" in operation, (method, path)
            assert "400" in operation["responses"], (method, path)
            assert "422" not in operation["responses"], (method, path)
            assert {"$ref": "#/components/parameters/AcceptLanguage"} in operation["parameters"], (
                method,
                path,
            )
            if operation["security"]:
                assert "401" in operation["responses"], (method, path)


def test_openapi_json_is_up_to_date(spec: dict) -> None:  # type: ignore[type-arg]
    assert OUTPUT.exists(), "run make openapi"
    assert json.loads(OUTPUT.read_text()) == json.loads(json.dumps(spec)), (
        "openapi.json is stale: run make openapi"
    )


def test_priming_requests_are_up_to_date(spec: dict) -> None:  # type: ignore[type-arg]
    # what each API function sends itself before its SnapStart snapshot (customer_id.snapshot)
    assert json.loads(PRIMING.read_text()) == priming_requests(spec), (
        "priming.json is stale: run make openapi"
    )


def test_every_post_function_may_use_the_idempotency_table() -> None:
    # the shared entrypoint honours Idempotency-Key on every POST, so each needs the table's policy
    template = Template()
    missing = [
        function.logical_id
        for function in template.functions()
        if any(route.method == "POST" for route in function.routes)
        and "IdempotencyTable" not in str(template.resources[function.logical_id]["Properties"]["Policies"])
    ]
    assert missing == []
