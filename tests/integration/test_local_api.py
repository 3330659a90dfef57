"""The local stack's API (`local_stack.api.LocalApi`) in-process, over werkzeug's test client: what
API Gateway answers itself comes from the template (CORS preflight, gateway responses for an
unknown route or method, a refused token, a crashed function), and a function's answer carries the
CORS headers for an allowed Origin only (`customer_id.http.with_cors`)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from werkzeug.test import Client, TestResponse

from local_stack.api import LocalApi
from local_stack.template import Template
from tests import harness

ALLOWED = "http://localhost:5173"  # in the template's AllowedOrigins default
ALSO_ALLOWED = "http://127.0.0.1:5173"
OTHER = "https://evil.example"


def _api(template: Template, **replaced: Any) -> LocalApi:
    handlers = {
        function.logical_id: harness.handler(function.logical_id) for function in template.functions()
    }
    handlers.update(replaced)
    return LocalApi(template, handlers, authorizer=None, schedules=[])


@pytest.fixture
def client(aws: Template) -> Client:
    return Client(_api(aws))


def _problem(response: TestResponse) -> dict[str, Any]:
    assert response.headers["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return body


def test_the_template_default_origins_are_what_the_functions_allow(aws: Template) -> None:
    assert aws.parameters["AllowedOrigins"].split(",") == [ALLOWED, ALSO_ALLOWED]


@pytest.mark.parametrize("origin", [ALLOWED, ALSO_ALLOWED])
def test_a_function_answer_names_an_allowed_origin(client: Client, origin: str) -> None:
    response = client.get("/loyalty/tiers", headers={"Origin": origin})

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Access-Control-Expose-Headers"] == "Retry-After"
    assert response.headers["Vary"] == "Origin"


@pytest.mark.parametrize("headers", [{"Origin": OTHER}, {}], ids=["other origin", "no origin"])
def test_a_function_answer_names_no_other_origin(client: Client, headers: dict[str, str]) -> None:
    response = client.get("/loyalty/tiers", headers=headers)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Expose-Headers" not in response.headers
    assert response.headers["Vary"] == "Origin"


def test_a_function_problem_carries_the_cors_headers_too(client: Client) -> None:
    response = client.get("/referrals/NOSUCHCODE", headers={"Origin": ALLOWED})

    assert response.status_code == 404
    assert _problem(response)["type"] == "/problems/referral-code-not-found"
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_the_preflight_is_the_templates_cors_with_the_paths_methods(client: Client, aws: Template) -> None:
    cors = aws.resolve(aws.resources["Api"]["Properties"]["Cors"])

    response = client.options(
        "/customers/c-1/profile",
        headers={"Origin": ALLOWED, "Access-Control-Request-Method": "PUT"},
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == cors["AllowOrigin"].strip("'") == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET,OPTIONS,PUT"
    allowed_headers = response.headers["Access-Control-Allow-Headers"].split(",")
    assert {"Authorization", "Content-Type", "Idempotency-Key", "Accept-Language"} <= set(allowed_headers)
    assert response.headers["Access-Control-Max-Age"] == "600"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/no/such/route"), ("DELETE", "/loyalty/tiers"), ("OPTIONS", "/no/such/route")],
    ids=["unknown path", "method the path lacks", "preflight of an unknown path"],
)
def test_an_unknown_route_is_the_gateways_404_problem(client: Client, method: str, path: str) -> None:
    response = client.open(path, method=method, headers={"Origin": ALLOWED})

    assert response.status_code == 404
    assert _problem(response)["type"] == "/problems/route-not-found"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_refused_token_is_the_gateways_401_problem(client: Client) -> None:
    response = client.get("/customers/c-1/profile", headers={"Origin": ALLOWED})

    assert response.status_code == 401
    assert _problem(response)["type"] == "/problems/unauthenticated"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_crashed_function_is_the_gateways_502_problem(aws: Template) -> None:
    def crash(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("the function crashed")

    client = Client(_api(aws, ListTiersFunction=crash))

    response = client.get("/loyalty/tiers", headers={"Origin": ALLOWED})

    assert response.status_code == 502
    body = _problem(response)
    assert body["type"] == "/problems/gateway-error"
    assert body["detail"] == "Internal server error"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
