"""CORS on every answer of a function (`customer_id.http.with_cors`): the request's Origin echoed
when it is one of the template's AllowedOrigins, nothing for another, whichever path made the
answer (the route, a problem raised before it); and the template's gateway responses, API
Gateway's own answers, as problem+json readable cross-origin."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from customer_id import http
from customer_id.auth import Access
from local_stack.template import Template
from tests.unit.test_http import event

ORIGINS = "https://shop.example.com,http://localhost:5173"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> APIGatewayRestResolver:
    monkeypatch.setenv("ALLOWED_ORIGINS", ORIGINS)
    resolver = http.build_resolver()

    @resolver.get("/things")
    def things() -> dict[str, Any]:
        return {"things": []}

    return resolver


def headers_of(response: dict[str, Any]) -> dict[str, str]:
    return {name: values[-1] for name, values in response["multiValueHeaders"].items()} | (
        response.get("headers") or {}
    )


@pytest.mark.parametrize("origin", ORIGINS.split(","))
def test_an_allowed_origin_is_echoed(app: http.Resolver, origin: str) -> None:
    headers = headers_of(app.handle(Access.PUBLIC, event("GET", "/things", Origin=origin), None))

    assert headers["Access-Control-Allow-Origin"] == origin
    assert headers["Access-Control-Expose-Headers"] == "Retry-After"
    assert headers["Vary"] == "Origin"


@pytest.mark.parametrize("origin", ["https://evil.example", "https://shop.example.com.evil.example", None])
def test_another_origin_gets_no_cors_headers(app: http.Resolver, origin: str | None) -> None:
    extra = {"Origin": origin} if origin else {}

    response = app.handle(Access.PUBLIC, event("GET", "/things", **extra), None)

    assert response["statusCode"] == 200
    assert not any(name.startswith("Access-Control-") for name in headers_of(response))
    assert headers_of(response)["Vary"] == "Origin"


def test_a_problem_raised_before_the_route_carries_them_too(app: http.Resolver) -> None:
    # a customer (the sample's caller) on a staff route: `check_access` refuses it before the route
    request = event("GET", "/things", **{"Origin": "http://localhost:5173", "Accept-Language": "en"})

    response = app.handle(Access.STAFF, request, None)

    assert response["statusCode"] == 403
    assert json.loads(response["body"])["type"] == "/problems/staff-only"
    assert response["headers"]["Access-Control-Allow-Origin"] == "http://localhost:5173"


def test_no_configured_origin_means_no_cors_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLOWED_ORIGINS", raising=False)
    resolver = http.build_resolver()
    resolver.get("/things")(lambda: {"things": []})

    response = resolver.handle(Access.PUBLIC, event("GET", "/things", Origin="http://localhost:5173"), None)

    assert "Access-Control-Allow-Origin" not in headers_of(response)


# ---- the template's gateway responses ------------------------------------------------------------

# type -> (status, problem type); None: API Gateway's own status, which the template cannot name
GATEWAY_RESPONSES = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "/problems/route-not-found"),
    "UNAUTHORIZED": (401, "/problems/unauthenticated"),
    "ACCESS_DENIED": (403, "/problems/forbidden"),
    "REQUEST_TOO_LARGE": (413, "/problems/payload-too-large"),
    "THROTTLED": (429, "/problems/throttled"),
    "DEFAULT_4XX": (None, "/problems/request-refused"),
    "DEFAULT_5XX": (None, "/problems/gateway-error"),
}


@pytest.fixture(scope="module")
def gateway_responses() -> dict[str, Any]:
    template = Template()
    responses: dict[str, Any] = template.resources["Api"]["Properties"]["GatewayResponses"]
    return responses


@pytest.mark.parametrize("kind", GATEWAY_RESPONSES)
def test_each_gateway_response_is_a_cross_origin_problem(
    gateway_responses: dict[str, Any], kind: str
) -> None:
    status, problem_type = GATEWAY_RESPONSES[kind]
    response = gateway_responses[kind]
    headers = response["ResponseParameters"]["Headers"]
    # the template's `$context.error.messageString` is a JSON string when API Gateway fills it in
    body = json.loads(
        response["ResponseTemplates"]["application/json"].replace(
            "$context.error.messageString", json.dumps("Missing Authentication Token")
        )
    )

    assert response.get("StatusCode") == status
    assert headers["Content-Type"] == "'application/problem+json'"
    assert headers["Access-Control-Allow-Origin"] == "'*'"
    assert body["type"] == problem_type
    assert body.get("status") == status
    assert body["title"]
    assert body["detail"]
    assert set(body) <= {"type", "title", "status", "detail"}


def test_throttled_says_when_to_retry(gateway_responses: dict[str, Any]) -> None:
    headers = gateway_responses["THROTTLED"]["ResponseParameters"]["Headers"]

    assert headers["Retry-After"] == "'1'"
    assert headers["Access-Control-Expose-Headers"] == "'Retry-After'"
