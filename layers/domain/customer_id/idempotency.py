"""`Idempotency-Key` for POSTs that create or move value, on Powertools idempotency with DynamoDB.

The key is scoped to the caller and the request path. The whole HTTP response is what is recorded, so
a retry with the same key and body gets the first status and body back, whatever they were, and
has no second effect. The same key with another body, or while the first request still runs, is a
409. A 5xx is not recorded, so that a retry can succeed. Keys are kept for 48 hours.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from customer_id.errors import Conflict, FieldError, InvalidInput
from customer_id.request import Operation
from customer_id.settings import require, settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

HEADER = "idempotency-key"
KEEP_SECONDS = 48 * 3600
Response = dict[str, Any]


class _NotRecorded(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__("server error responses are not recorded")
        self.response = response


def key_of(headers: dict[str, str]) -> str | None:
    """The request's Idempotency-Key, or None; a key of the wrong length is a 400."""
    key = headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 128:
        raise InvalidInput("invalid_idempotency_key", errors=[FieldError("Idempotency-Key", "1-128 chars")])
    return key


@cache
def persistence(use: str) -> DynamoDBPersistenceLayer:
    """A Powertools persistence layer on the idempotency table, one per `use`: a layer keeps the
    configuration it was first used with, so HTTP retries and a queue consumer each need their own."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(table_name=require(settings().idempotency_table, "IDEMPOTENCY_TABLE"))


def _canonical(body: str | None) -> str:
    # `{}` and an empty body are the same request; so are two spellings of one JSON document.
    if not body:
        return "{}"
    try:
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
    except ValueError:
        return body


def operation_of(caller_id: str, key: str, event: dict[str, Any]) -> Operation:
    """The operation a keyed POST is (see `operations`): its id derives from the caller, the route
    and the key; the body's digest tells a retry from a reuse of the key."""
    scope = json.dumps([caller_id, event.get("httpMethod", ""), event.get("path", ""), key])
    return Operation(
        id=hashlib.sha256(scope.encode()).hexdigest(),
        request_digest=hashlib.sha256(_canonical(event.get("body")).encode()).hexdigest(),
    )


def run_once(
    caller_id: str, key: str, event: dict[str, Any], context: Any, process: Callable[[], Response]
) -> Response:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    config = IdempotencyConfig(
        event_key_jmespath="[caller, method, path, key]",
        payload_validation_jmespath="body",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=KEEP_SECONDS,
    )
    config.register_lambda_context(context)

    @idempotent_function(
        data_keyword_argument="request", config=config, persistence_store=persistence("http")
    )
    def respond(request: dict[str, str]) -> Response:
        response = process()
        if response["statusCode"] >= 500:
            raise _NotRecorded(response)
        return response

    request = {
        "caller": caller_id,
        "method": event.get("httpMethod", ""),
        "path": event.get("path", ""),
        "key": key,
        "body": _canonical(event.get("body")),
    }
    try:
        return respond(request=request)
    except IdempotencyValidationError as error:
        raise Conflict("idempotency_key_reused") from error
    except IdempotencyAlreadyInProgressError as error:
        raise Conflict("idempotency_in_progress") from error
    except _NotRecorded as failure:
        return failure.response
