"""The template's REST API on loopback: each request becomes the API Gateway REST proxy event the
real API would send, and the function behind the route runs in this process.

What API Gateway answers itself comes from the template too, so the two agree: the CORS preflight
(`OPTIONS` on a path, the `Cors` property: SAM's mock integration), and the gateway responses
(`GatewayResponses`: an unknown path or a method the path lacks is MISSING_AUTHENTICATION_TOKEN, a
refused token UNAUTHORIZED, a function that crashes DEFAULT_5XX), with API Gateway's defaults for a
type the template leaves out. The CORS headers of a function's answer are the function's own."""

from __future__ import annotations

import base64
import json
import re
import sys
import time
import traceback
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from local_stack.auth import CognitoAuthorizer, TokenRejected
from local_stack.runtime import Handler, context_for
from local_stack.schedules import Schedule
from local_stack.template import Function, Template

# API Gateway's own status and message of a gateway response type the template does not configure
# (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
_GATEWAY_DEFAULTS = {
    "MISSING_AUTHENTICATION_TOKEN": (403, "Missing Authentication Token"),
    "UNAUTHORIZED": (401, "Unauthorized"),
    "INTEGRATION_FAILURE": (502, "Internal server error"),
}
_ALL_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")

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
        apis = list(template.of_type("AWS::Serverless::Api").values())
        api = template.resolve(apis[0]) if apis else {}
        self.cors: dict[str, Any] | None = api.get("Cors")
        self.gateway_responses: dict[str, Any] = api.get("GatewayResponses", {})

    def gateway_response(self, kind: str) -> Response:
        """API Gateway's own answer of type `kind`: the template's gateway response for it, else its
        DEFAULT_4XX/DEFAULT_5XX, else API Gateway's built-in `{"message": ...}`."""
        default_status, message = _GATEWAY_DEFAULTS[kind]
        configured = self.gateway_responses.get(kind) or self.gateway_responses.get(
            f"DEFAULT_{default_status // 100}XX"
        )
        if configured is None:
            return Response(
                json.dumps({"message": message}), status=default_status, content_type="application/json"
            )
        headers = {
            name: _static(value)
            for name, value in configured.get("ResponseParameters", {}).get("Headers", {}).items()
        }
        body = str(
            configured.get("ResponseTemplates", {}).get("application/json", json.dumps({"message": message}))
        )
        body = (
            body.replace("$context.error.messageString", json.dumps(message))
            .replace("$context.error.message", message)
            .replace("$context.error.responseType", kind)
        )
        response = Response(body, status=int(configured.get("StatusCode", default_status)))
        response.headers.pop("Content-Type", None)
        for name, value in headers.items():
            response.headers[name] = value
        return response

    def preflight(self, routes: list[Route]) -> Response:
        """The `OPTIONS` answer SAM's mock integration gives a path (from the template's `Cors`):
        200, `{}`, fixed headers; Allow-Methods the path's methods when `Cors` names none."""
        assert self.cors is not None
        cors = self.cors if isinstance(self.cors, dict) else {"AllowOrigin": self.cors}
        methods = {route.method for route in routes}
        allowed = _ALL_METHODS if "ANY" in methods else sorted(methods | {"OPTIONS"})
        headers = {
            "Access-Control-Allow-Origin": _static(cors["AllowOrigin"]),
            "Access-Control-Allow-Methods": _static(cors["AllowMethods"])
            if "AllowMethods" in cors
            else ",".join(allowed),
        }
        if "AllowHeaders" in cors:
            headers["Access-Control-Allow-Headers"] = _static(cors["AllowHeaders"])
        if "MaxAge" in cors:
            headers["Access-Control-Max-Age"] = _static(cors["MaxAge"])
        if cors.get("AllowCredentials") is True:
            headers["Access-Control-Allow-Credentials"] = "true"
        return Response("{}\n", status=200, content_type="application/json", headers=headers)

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
        # API Gateway finds the resource by path, then the method on it (no two of the template's
        # paths match one request path, so the first match is the resource)
        on_path = [(route, match) for route in self.routes if (match := route.pattern.match(request.path))]
        resource = on_path[0][0].resource if on_path else None
        on_resource = [(route, match) for route, match in on_path if route.resource == resource]
        if request.method == "OPTIONS" and on_resource and self.cors is not None:
            return self.preflight([route for route, _ in on_resource])
        chosen = next(
            ((route, match) for route, match in on_resource if route.method in (request.method, "ANY")), None
        )
        if chosen is None:
            return self.gateway_response("MISSING_AUTHENTICATION_TOKEN")
        route, match = chosen
        claims = None
        if not route.public:
            try:
                if self.authorizer is None:
                    raise TokenRejected("the template has no user pool")
                claims = self.authorizer.claims(request.headers.get("Authorization"))
            except TokenRejected:
                return self.gateway_response("UNAUTHORIZED")
        event = self.event(request, route, match.groupdict(), claims)
        try:
            result = route.handler(event, context_for(route.function))
        except Exception:  # the function failed: API Gateway answers 502 for it
            traceback.print_exc()
            return self.gateway_response("INTEGRATION_FAILURE")
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
        now = datetime.now(UTC)
        context: dict[str, Any] = {
            "resourcePath": route.resource,
            "httpMethod": request.method,
            "path": f"/{self.stage}{request.path}",
            "stage": self.stage,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
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


def _static(value: Any) -> str:
    """An API Gateway static mapping value (`'text'`) as the text it sends."""
    text = str(value)
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == "'" else text


def _problem(status: int, title: str, detail: str) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return Response(json.dumps(body), status=status, content_type="application/problem+json")
