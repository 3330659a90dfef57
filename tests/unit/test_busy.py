"""Contention and throttling at the edge: `db.contended` tells DynamoDB's "try again later" from
every other error, whatever wraps it, and the one error mapping of `http` answers it 503 busy with
`Retry-After`, never a 500 (nor a 409). The requests themselves are in
tests/integration/test_contention.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from botocore.exceptions import ClientError
from pynamodb.exceptions import (
    CancellationReason,
    GetError,
    PutError,
    QueryError,
    TransactWriteError,
    VerboseClientError,
)

from customer_id import db, http, request
from customer_id.errors import RETRY_AFTER_SECONDS, Busy, Conflict
from tests.unit.test_http import event, problem_of


def _client_error(code: str, operation: str = "GetItem", reasons: list[str] | None = None) -> ClientError:
    response: dict[str, Any] = {"Error": {"Code": code, "Message": "injected"}}
    if reasons is not None:
        response["CancellationReasons"] = [{"Code": reason} for reason in reasons]
    return ClientError(response, operation)  # type: ignore[arg-type]


def _verbose(code: str, operation: str, reasons: list[str]) -> VerboseClientError:
    """As pynamodb raises it: the code, the reasons as objects, the botocore error as its cause."""
    error = VerboseClientError(
        {"Error": {"Code": code, "Message": "injected"}},
        operation,
        cancellation_reasons=[
            None if reason == "None" else CancellationReason(code=reason) for reason in reasons
        ],
    )
    error.__cause__ = _client_error(code, operation, reasons)
    return error


def _raised_from(cause: BaseException) -> RuntimeError:
    """An error of another library raised from DynamoDB's (Powertools' idempotency layer, say)."""
    try:
        try:
            raise cause
        except BaseException as error:
            raise RuntimeError("Failed to save in progress record to idempotency store") from error
    except RuntimeError as wrapped:
        return wrapped


CONTENDED = {
    "a throttled read": GetError("Failed to get item", _client_error("ThrottlingException")),
    "a read over provisioned throughput": GetError(
        "Failed to get item", _client_error("ProvisionedThroughputExceededException")
    ),
    "a write over the account's request limit": PutError(
        "Failed to put item", _client_error("RequestLimitExceeded", "PutItem")
    ),
    "a write meeting a transaction in progress": PutError(
        "Failed to put item", _client_error("TransactionInProgressException", "PutItem")
    ),
    "a throttled query": QueryError("Failed to query items", _client_error("ThrottlingException", "Query")),
    "a transaction cancelled for a conflict": TransactWriteError(
        "Failed to write transaction items",
        _verbose("TransactionCanceledException", "TransactWriteItems", ["None", "TransactionConflict"]),
    ),
    "a transaction throttled in an item": TransactWriteError(
        "Failed to write transaction items",
        _verbose("TransactionCanceledException", "TransactWriteItems", ["ThrottlingError"]),
    ),
    "botocore's own error": _client_error("ThrottlingException"),
    "another library's error raised from a throttle": _raised_from(
        _client_error("ThrottlingException", "PutItem")
    ),
    "the unit of work's Contended": db.Contended("['TransactionConflict']"),
}

NOT_CONTENDED = {
    "a failed condition": PutError(
        "Failed to put item", _client_error("ConditionalCheckFailedException", "PutItem")
    ),
    "an invalid request": GetError("Failed to get item", _client_error("ValidationException")),
    "a transaction cancelled by a condition": TransactWriteError(
        "Failed to write transaction items",
        _verbose("TransactionCanceledException", "TransactWriteItems", ["ConditionalCheckFailed", "None"]),
    ),
    "a pynamodb error without a cause": GetError("Failed to get item"),
    "a bug": KeyError("pk"),
    "a bug raised while handling a throttle": None,  # built below: implicit context is not a cause
}


def _bug_during_throttle() -> Exception:
    try:
        try:
            raise _client_error("ThrottlingException")
        except ClientError:
            raise KeyError("pk")  # noqa: B904 - an implicit context on purpose
    except KeyError as error:
        return error


@pytest.mark.parametrize("name", list(CONTENDED))
def test_contention_and_throttling_are_recognised(name: str) -> None:
    assert db.contended(CONTENDED[name])


@pytest.mark.parametrize("name", list(NOT_CONTENDED))
def test_other_errors_are_not(name: str) -> None:
    error = NOT_CONTENDED[name] or _bug_during_throttle()
    assert not db.contended(error)


# ---- the HTTP edge ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app() -> APIGatewayRestResolver:
    resolver = http.build_resolver()

    @resolver.get("/throttled")
    def throttled() -> dict[str, Any]:
        raise GetError("Failed to get item", _client_error("ThrottlingException"))

    @resolver.get("/invalid")
    def invalid() -> dict[str, Any]:
        raise GetError("Failed to get item", _client_error("ValidationException"))

    @resolver.get("/offer-busy")
    def offer_busy() -> dict[str, Any]:
        raise Busy("offer_busy")

    @resolver.get("/conflict")
    def conflict() -> dict[str, Any]:
        raise Conflict("insufficient_points", needed=500, available=120)

    return resolver


@pytest.fixture(autouse=True)
def anonymous_request_after() -> Iterator[None]:
    yield
    request.begin(request.Request(caller=None, accept_language=None))  # no language left to other tests


def _resolve(app: APIGatewayRestResolver, path: str, language: str = "en") -> dict[str, Any]:
    """As the edge does: the request (its language) begins, then the route is resolved."""
    request.begin(request.Request(caller=None, accept_language=language))
    response: dict[str, Any] = app.resolve(event("GET", path, **{"Accept-Language": language}), None)
    return response


def _header(response: dict[str, Any], name: str) -> str | None:
    multi = response.get("multiValueHeaders") or {}
    if name in multi:
        return str(multi[name][-1])
    found = (response.get("headers") or {}).get(name)
    return None if found is None else str(found)


def test_a_throttled_read_in_a_route_is_503_busy_with_retry_after(app: APIGatewayRestResolver) -> None:
    response = _resolve(app, "/throttled")

    assert problem_of(response, 503) == {
        "type": "/problems/busy",
        "title": "Service temporarily unavailable",
        "status": 503,
        "detail": "The service is busy with other changes right now and nothing was changed. "
        "Please retry after the Retry-After delay.",
    }
    assert _header(response, "Retry-After") == str(RETRY_AFTER_SECONDS) == "1"


def test_a_busy_in_arabic(app: APIGatewayRestResolver) -> None:
    response = _resolve(app, "/throttled", "ar")

    problem = problem_of(response, 503)
    assert (problem["type"], problem["title"]) == ("/problems/busy", "الخدمة غير متاحة مؤقتًا")
    assert problem["detail"].startswith("الخدمة مشغولة")


def test_a_features_own_busy_code_keeps_its_type_and_is_503(app: APIGatewayRestResolver) -> None:
    response = _resolve(app, "/offer-busy")

    problem = problem_of(response, 503)
    assert (problem["type"], problem["detail"]) == (
        "/problems/offer-busy",
        "This offer is in high demand right now. Please retry.",
    )
    assert _header(response, "Retry-After") == "1"


def test_any_other_dynamodb_error_stays_a_500(app: APIGatewayRestResolver) -> None:
    response = _resolve(app, "/invalid")

    assert problem_of(response, 500)["type"] == "/problems/internal-error"
    assert _header(response, "Retry-After") is None


def test_a_conflict_has_no_retry_after(app: APIGatewayRestResolver) -> None:
    response = _resolve(app, "/conflict")

    assert problem_of(response, 409)["type"] == "/problems/insufficient-points"
    assert _header(response, "Retry-After") is None
