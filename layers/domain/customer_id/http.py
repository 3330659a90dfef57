"""The HTTP edge every function shares: the resolver factory, the one mapping of errors to RFC 9457
problem details (DynamoDB contention or throttling that outlasted the retries, wherever it is
raised, is `errors.Busy`: 503 with `Retry-After`, never a 500), and the checks every request passes
before its route (access rules, then the owner
of an owner route's ticket or chat, body limit, media type, Idempotency-Key): `Resolver.handle`,
which `entry.route` wraps with the logger (with correlation id), tracer and metrics of every
function."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from customer_id import db, entry, erasures, i18n, idempotency, observability, request
from customer_id.auth import Access, Caller, Owned, caller_from_event, check_access, check_owner
from customer_id.errors import (
    Busy,
    DomainError,
    FieldError,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from customer_id.schemas import Cursor, Instant, Limit
from customer_id.settings import settings

PROBLEM_JSON = "application/problem+json"
MAX_BODY_BYTES = 64 * 1024
# Every id the service issues or accepts in a path is shorter; a longer one is invalid input, not a
# key DynamoDB refuses (a partition key holds at most 2 KiB, a sort key 1 KiB) and answers with a 500.
MAX_PATH_PARAMETER = 128
# JSON a body may hold: Python's json refuses an integer of more than 4,300 digits (ValueError) and
# recurses once per nested array or object (RecursionError near 1,000), and Powertools parses the
# body again with it, so a body past these bounds is refused before anything parses it. Every body
# of the API nests a few levels and its numbers are short.
MAX_JSON_DEPTH = 32
MAX_JSON_NUMBER = 100
# A JSON token that matters to the bounds: a string (to its end, or to the end of a malformed body),
# an opening or closing bracket, or a run of number characters.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[{]|[\]}]|[-+0-9.eE]+')

_LOCATIONS = {"body", "query", "path", "header", "cookie"}

# CORS: the request headers a web app sends (beyond Powertools' own list; the deployed preflight is
# API Gateway's, from the template's `Cors`) and the response headers its script may read.
CORS_REQUEST_HEADERS = ["Idempotency-Key", "Accept-Language"]
CORS_EXPOSED_HEADERS = ["Retry-After"]

# The query parameters every paginated list shares, and the time range of the lists that take one.
PageSize = Annotated[Limit, Query()]
PageCursor = Annotated[Cursor | None, Query()]
RangeFrom = Annotated[Instant | None, Query(alias="from")]
RangeTo = Annotated[Instant | None, Query(alias="to")]
# The language of the request being handled (Accept-Language, else the caller's profile, else en).
language = request.language


def problem(
    status: int, code: str, errors: list[FieldError] | None = None, /, **params: object
) -> dict[str, Any]:
    language = _language()
    body: dict[str, Any] = {
        "type": f"/problems/{code.replace('_', '-')}",
        "title": i18n.text(f"title.{status}", language),
        "status": status,
        "detail": i18n.text(code, language, **params)
        if i18n.has_text(code)
        else i18n.text(f"title.{status}", language),
    }
    if errors:
        body["errors"] = [{"field": error.field, "message": error.message} for error in errors]
    return body


def _language() -> i18n.Language:
    """The request's language; English when reading the caller's profile language is itself
    throttled (the problem that reports the throttling must still be answered)."""
    try:
        return request.language()
    except Exception as error:
        if not db.contended(error):
            raise
        return i18n.DEFAULT_LANGUAGE


def _problem_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type=PROBLEM_JSON,
        body=json.dumps(body, ensure_ascii=False),
        headers=headers,
    )


def _headers(error: DomainError) -> dict[str, str]:
    """The headers of a domain error's answer: `Retry-After` (seconds) when it says when to retry."""
    return {} if error.retry_after is None else {"Retry-After": str(error.retry_after)}


def _from_domain_error(error: DomainError) -> Response:
    return _problem_response(
        error.status, problem(error.status, error.code, error.errors, **error.params), _headers(error)
    )


def _busy(error: Exception) -> Busy:
    """An error that DynamoDB's contention or throttling caused (a pynamodb `GetError` whose cause is
    `ThrottlingException`, say), past the retries: a 503 the caller may retry, not a 500."""
    observability.logger().warning("DynamoDB contended or throttled", exc_info=error)
    return Busy("busy")


def _from_validation_error(error: RequestValidationError) -> Response:
    details = error.errors()
    if any(detail.get("type") == "json_invalid" for detail in details):
        return _from_domain_error(
            InvalidInput("malformed_json", errors=[FieldError("body", "malformed JSON")])
        )
    fields = [
        FieldError(_field_name(detail.get("loc", ())), str(detail.get("msg", "invalid")))
        for detail in details
    ]
    return _from_domain_error(InvalidInput("invalid_input", errors=fields))


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in location]
    if len(parts) > 1 and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _unsupported_media_type(_: RequestUnsupportedContentType) -> Response:
    return _from_domain_error(UnsupportedMediaType("unsupported_media_type"))


def _route_not_found(_: NotFoundError) -> Response:
    return _from_domain_error(NotFound("route_not_found"))


def _internal_error(error: Exception) -> Response:
    if db.contended(error):
        return _from_domain_error(_busy(error))
    observability.logger().exception("unhandled error", exc_info=error)
    return _problem_response(500, problem(500, "internal_error"))


class Resolver(APIGatewayRestResolver):
    """A REST resolver that checks who calls, and what they send, before the route runs. An
    `owner` route's resolver knows how to find the owner of what its path names (`owned`)."""

    owned: Owned | None = None

    def handle(self, access: Access, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """One API Gateway request: `access` says who may call the route (see `auth.Access`)."""
        return with_cors(event, _dispatch(self, access, event, context))

    def routes(self) -> list[tuple[str, str]]:
        """(method, OpenAPI path) of each route declared on this resolver."""
        return [(route.method, route.openapi_path) for route in self._static_routes + self._dynamic_routes]


def with_cors(event: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """Every answer of a function, whichever path made it (a route, an error before the route, a
    replayed idempotent answer): the CORS headers of Powertools' `CORSConfig` for the request's
    `Origin` when it is one of `settings().allowed_origins` (the template's AllowedOrigins), echoed
    as `Access-Control-Allow-Origin`; none for another origin or no origin; and `Vary: Origin`, as
    the answer depends on it. Applied here, outside the resolver and the idempotency record, so an
    answer stored for one origin is never replayed with its headers to another."""
    origins = settings().allowed_origins
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    cors = (
        CORSConfig(
            allow_origin=origins[0],
            extra_origins=list(origins[1:]),
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_EXPOSED_HEADERS,
        ).to_dict(headers.get("origin"))
        if origins
        else {}
    )
    added = {**cors, "Vary": "Origin"}
    if "multiValueHeaders" in response:
        multi = dict(response.get("multiValueHeaders") or {})
        for name, value in added.items():
            multi[name] = [value]
        return {**response, "multiValueHeaders": multi}
    return {**response, "headers": {**(response.get("headers") or {}), **added}}


def build_resolver(owned: Owned | None = None) -> Resolver:
    """The resolver every HTTP function declares its route on: validation on, 400 instead of 422.
    An `Access.OWNER` route passes `owned`, how to find who owns the resource its path names."""
    app = Resolver(enable_validation=True)
    app.owned = owned
    app.exception_handler(RequestValidationError)(_from_validation_error)
    app.exception_handler(RequestUnsupportedContentType)(_unsupported_media_type)
    app.exception_handler(DomainError)(_from_domain_error)
    app.exception_handler(NotFoundError)(_route_not_found)
    app.exception_handler(Exception)(_internal_error)
    return app


def responses(model: type[BaseModel], described: dict[int, str]) -> dict[int, OpenAPIResponse]:
    """OpenAPI responses of a route that answers `model` with several statuses (201 and 200, say)."""
    return {
        status: {"description": description, "content": {"application/json": {"model": model}}}
        for status, description in described.items()
    }


def created[M: BaseModel](model: M, status: int = 201) -> Response[M]:
    """A 201 (or 202) answer with the model as its JSON body."""
    return Response(status_code=status, content_type="application/json", body=model)


def _body_size(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    size = len(body.encode())
    return size * 3 // 4 if event.get("isBase64Encoded") else size


def _is_json(content_type: str | None) -> bool:
    """No Content-Type is taken as JSON; otherwise application/json or a +json type."""
    if not content_type:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _require_json_object(event: dict[str, Any]) -> None:
    """The body, decoded once: JSON is UTF-8 (a base64 body that does not decode to it is malformed,
    not a server error), and every body of the API is a JSON object or nothing (an array, a string,
    a number or `null` is refused here, before a route's model could read a part of it)."""
    text = event.get("body")
    if not text:
        return
    if event.get("isBase64Encoded"):
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise InvalidInput("malformed_json", errors=[FieldError("body", "not UTF-8 JSON")]) from error
    _check_json_bounds(text)
    try:
        parsed = json.loads(text)
    except ValueError:
        return  # malformed: the route's validation answers `malformed_json`
    if not isinstance(parsed, dict):
        raise InvalidInput("invalid_input", errors=[FieldError("body", "a JSON object")])


def _check_json_bounds(text: str) -> None:
    """Nesting and number length, in one pass over the text (linear, parses nothing): 400 past
    `MAX_JSON_DEPTH` or `MAX_JSON_NUMBER`, whether or not the rest is well-formed."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        first = token.group()[0]
        if first in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InvalidInput(
                    "invalid_input",
                    errors=[FieldError("body", f"nested at most {MAX_JSON_DEPTH} levels deep")],
                )
        elif first in "]}":
            depth -= 1
        elif first != '"' and token.end() - token.start() > MAX_JSON_NUMBER:
            raise InvalidInput(
                "invalid_input",
                errors=[FieldError("body", f"numbers of at most {MAX_JSON_NUMBER} characters")],
            )


def _check_path(parameters: dict[str, str]) -> None:
    too_long = [
        FieldError(name, f"at most {MAX_PATH_PARAMETER} characters")
        for name, value in sorted(parameters.items())
        if len(value) > MAX_PATH_PARAMETER
    ]
    if too_long:
        raise InvalidInput("invalid_input", errors=too_long)


def _check_owner(app: Resolver, access: Access, caller: Caller | None, parameters: dict[str, str]) -> None:
    """An `owner` route's resource, looked up before its input is read (see `auth.check_owner`)."""
    if Access.OWNER not in access or caller is None:
        return
    if app.owned is None:
        raise TypeError("an Access.OWNER route needs build_resolver(owned=...)")
    check_owner(app.owned, caller, parameters)


def _dispatch(app: Resolver, access: Access, event: dict[str, Any], context: Any) -> dict[str, Any]:
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    caller = caller_from_event(event)
    request.begin(request.Request(caller=caller, accept_language=headers.get("accept-language")))
    try:
        parameters = event.get("pathParameters") or {}
        check_access(access, caller, parameters.get("customerId"))
        _check_path(parameters)
        if caller is not None and "customerId" in parameters:  # an erased customer's routes are gone
            erasures.ensure_not_erased(parameters["customerId"])
        _check_owner(app, access, caller, parameters)
        if _body_size(event) > MAX_BODY_BYTES:
            raise PayloadTooLarge("payload_too_large")
        if event.get("body") and not _is_json(headers.get("content-type")):
            raise UnsupportedMediaType("unsupported_media_type")
        _require_json_object(event)
        key = idempotency.key_of(headers) if event.get("httpMethod") == "POST" else None
        if key is not None and caller is not None:
            request.current().operation = idempotency.operation_of(caller.customer_id, key, event)
            return idempotency.run_once(
                caller.customer_id, key, event, context, lambda: app.resolve(event, context)
            )
        return app.resolve(event, context)
    except DomainError as error:
        return _proxy_response(error)
    except Exception as error:
        # before or around the route (a ticket's owner, the idempotency record): only contention
        if not db.contended(error):
            raise
        return _proxy_response(_busy(error))


def _proxy_response(error: DomainError) -> dict[str, Any]:
    """A domain error raised outside the resolver, as the API Gateway proxy answer."""
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": PROBLEM_JSON, **_headers(error)},
        "body": json.dumps(
            problem(error.status, error.code, error.errors, **error.params), ensure_ascii=False
        ),
        "isBase64Encoded": False,
    }


# The name HTTP functions import today; `entry.route` is the one entry module's name for it.
entrypoint = entry.route
