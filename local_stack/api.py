"""The template's REST API on loopback: each request becomes the API Gateway REST proxy event the
real API would send, and the function behind the route runs in this process."""

from __future__ import annotations

import base64
import json
import re
import sys
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from local_stack.auth import CognitoAuthorizer, TokenRejected
from local_stack.runtime import Handler, context_for
from local_stack.schedules import Schedule
from local_stack.template import Function, Template

_TEXT_TYPES = ("application/json", "application/problem+json", "text/", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class Route:
    method: str
    resource: str  # /customers/{customerId}/profile
    pattern: re.Pattern[str]
    public: bool
    function: Function
    handler: Handler


def _pattern(resource: str) -> re.Pattern[str]:
    regex = ""
    for part in re.split(r"(\{[^}]+\})", resource):
        if part.startswith("{") and part.endswith("+}"):
            regex += f"(?P<{part[1:-2]}>.+)"
        elif part.startswith("{"):
            regex += f"(?P<{part[1:-1]}>[^/]+)"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}$")


class LocalApi:
    def __init__(
        self,
        template: Template,
        handlers: dict[str, Handler],
        authorizer: CognitoAuthorizer | None,
        schedules: list[Schedule],
        stage: str = "local",
    ) -> None:
        self.stage = stage
        self.template = template
        self._spec: dict[str, Any] | None = None
        self.region = template.region
        self.authorizer = authorizer
        self.schedules = {schedule.name: schedule for schedule in schedules}
        self.routes = [
            Route(
                route.method,
                route.path,
                _pattern(route.path),
                route.public,
                function,
                handlers[function.logical_id],
            )
            for function in template.functions()
            for route in function.routes
        ]
        # static routes before parameterised ones, as API Gateway matches them
        self.routes.sort(key=lambda route: route.resource.count("{"))
        self.unauthorized = self._gateway_response(template, "UNAUTHORIZED")

    @staticmethod
    def _gateway_response(template: Template, kind: str) -> tuple[int, str, str]:
        """The template's own gateway response (status, content type, body), else API Gateway's default."""
        apis = list(template.of_type("AWS::Serverless::Api").values())
        response = apis[0].get("GatewayResponses", {}).get(kind) if apis else None
        if response is None:
            return 401, "application/json", '{"message": "Unauthorized"}'

        content_type = str(response["ResponseParameters"]["Headers"]["Content-Type"]).strip("'")
        return (
            int(response["StatusCode"]),
            content_type,
            str(response["ResponseTemplates"]["application/json"]),
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        started = time.perf_counter()
        request = Request(environ)
        response = self.respond(request)
        elapsed = (time.perf_counter() - started) * 1000
        print(
            f"{request.method} {request.full_path.rstrip('?')} {response.status_code} {elapsed:.0f}ms",
            file=sys.stderr,
        )
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        if request.path.startswith("/_local/"):
            return self.control(request)
        if request.method == "GET" and request.path in ("/openapi.json", "/docs"):
            return self.documentation(request.path)
        matches = [(route, route.pattern.match(request.path)) for route in self.routes]
        on_path = [(route, match) for route, match in matches if match]
        if not on_path:
            return _problem(404, "Not found", "No such resource.")
        chosen = next(
            ((route, match) for route, match in on_path if route.method in (request.method, "ANY")), None
        )
        if chosen is None:
            refused = _problem(405, "Method not allowed", "This method is not allowed here.")
            refused.headers["Allow"] = ", ".join(sorted({route.method for route, _ in on_path}))
            return refused
        route, match = chosen
        claims = None
        if not route.public:
            try:
                if self.authorizer is None:
                    raise TokenRejected("the template has no user pool")
                claims = self.authorizer.claims(request.headers.get("Authorization"))
            except TokenRejected:
                status, content_type, body = self.unauthorized
                return Response(body, status=status, content_type=content_type)
        event = self.event(request, route, match.groupdict(), claims)
        result = route.handler(event, context_for(route.function))
        return _response(result)

    def documentation(self, path: str) -> Response:
        """The OpenAPI document of the template's functions, and Swagger UI over it (built on first ask)."""
        if self._spec is None:
            from local_stack.openapi import document

            self._spec = document(self.template)
        if path == "/openapi.json":
            return Response(json.dumps(self._spec), content_type="application/json")
        from local_stack.openapi import swagger_page

        return Response(swagger_page(self._spec), content_type="text/html")

    def control(self, request: Request) -> Response:
        """The local stack's own endpoints: `GET /_local/schedules` lists the schedules,
        `POST /_local/schedules/<Function.Event>` runs one now (body: the event to send, optional)."""
        if request.path == "/_local/schedules" and request.method == "GET":
            listing = {name: schedule.source.expression for name, schedule in self.schedules.items()}
            return Response(json.dumps(listing), content_type="application/json")
        name = request.path.removeprefix("/_local/schedules/")
        schedule = self.schedules.get(name)
        if request.method != "POST" or schedule is None:
            return _problem(404, "Not found", f"No schedule {name}; GET /_local/schedules lists them.")
        custom = request.get_data()
        if custom:
            result = schedule.handler(json.loads(custom), context_for(schedule.function))
        else:
            result = schedule.run(self.region)
        return Response(
            json.dumps({"schedule": name, "result": result}, default=str), content_type="application/json"
        )

    def event(
        self, request: Request, route: Route, path_parameters: dict[str, str], claims: dict[str, str] | None
    ) -> dict[str, Any]:
        raw = request.get_data()
        content_type = request.headers.get("Content-Type", "")
        body, is_base64 = None, False
        if raw:
            textual = not content_type or any(content_type.startswith(kind) for kind in _TEXT_TYPES)
            try:
                body = raw.decode() if textual else None
            except UnicodeDecodeError:
                body = None
            if body is None:  # binary, or text that is not UTF-8: API Gateway hands it over base64-encoded
                body, is_base64 = base64.b64encode(raw).decode(), True
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            multi_headers.setdefault(name, []).append(value)
        multi_query = {name: request.args.getlist(name) for name in request.args}
        context: dict[str, Any] = {
            "resourcePath": route.resource,
            "httpMethod": request.method,
            "path": f"/{self.stage}{request.path}",
            "stage": self.stage,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(time.time() * 1000),
            "accountId": "123456789012",
            "apiId": "local",
            "identity": {"sourceIp": request.remote_addr, "userAgent": request.headers.get("User-Agent")},
        }
        if claims is not None:
            context["authorizer"] = {"claims": claims}
        return {
            "resource": route.resource,
            "path": request.path,
            "httpMethod": request.method,
            "headers": {name: values[-1] for name, values in multi_headers.items()} or None,
            "multiValueHeaders": multi_headers or None,
            "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": context,
            "body": body,
            "isBase64Encoded": is_base64,
        }


def _response(result: dict[str, Any]) -> Response:
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(data, status=int(result.get("statusCode", 200)))
    response.headers.pop("Content-Type", None)
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = str(value)
    for name, values in (result.get("multiValueHeaders") or {}).items():
        response.headers.pop(name, None)
        for value in values:
            response.headers.add(name, str(value))
    return response


def _problem(status: int, title: str, detail: str) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return Response(json.dumps(body), status=status, content_type="application/problem+json")
