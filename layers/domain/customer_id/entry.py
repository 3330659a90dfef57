"""The one way into the layer: every function's `lambda_handler` is made here, for its kind of trigger.

- `route(app, access)`: an API Gateway route, declared on the resolver of `http.build_resolver`,
  which checks who may call it (`auth.Access`), the body limit and media type, and the
  `Idempotency-Key` of a POST before the route runs.
- `batch(processor, record_handler)`: an SQS queue or a DynamoDB stream, on Powertools'
  BatchProcessor with partial batch responses: a failed record is tried again (an SQS message
  alone; a stream from that record on) and, after its retries (SQS: maxReceiveCount), goes to the
  dead-letter queue. A record handler with a `lambda_context` parameter is given the invocation's
  context.
- `schedule(job, done)`: an EventBridge schedule. `job(event)` returns a summary, logged under `done`.

Each is wrapped alike: Powertools logger context (with the correlation id of the trigger where it
has one), tracer, and metrics with the cold-start metric. The wrapping happens on the first call,
so that importing a handler has no side effects and reads no settings. A route also registers its
SnapStart hooks (`snapshot`): Lambda primes the function with them before its snapshot.

This module stays cheap to import, because every function imports it: the resolver and its checks
live in `http` (which only HTTP functions import), the batch machinery in the SQS functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from aws_lambda_powertools.logging import correlation_paths

from customer_id import observability, snapshot

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch import BatchProcessor

    from customer_id.auth import Access

__all__ = ["LambdaHandler", "Routes", "batch", "route", "schedule"]

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def _observed(handle: LambdaHandler, correlation_id_path: str | None = None) -> LambdaHandler:
    """`handle` with the logger context, tracer and metrics every function has, applied on first call."""
    observed: LambdaHandler | None = None

    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal observed
        if observed is None:  # decorated on first call, so that import stays free of side effects
            observed = observability.logger().inject_lambda_context(correlation_id_path=correlation_id_path)(
                observability.tracer().capture_lambda_handler(
                    observability.metrics().log_metrics(capture_cold_start_metric=True)(handle)
                )
            )
        return observed(event, context)

    return lambda_handler


# ---- HTTP routes ------------------------------------------------------------------------------


class Routes(Protocol):
    """What `http.build_resolver` makes: routes, and the checks every request passes before them."""

    def handle(self, access: Access, event: dict[str, Any], context: Any) -> dict[str, Any]: ...

    def routes(self) -> list[tuple[str, str]]: ...


def route(app: Routes, access: Access) -> LambdaHandler:
    """An HTTP function's `lambda_handler`: `access` says who may call the route (see `auth.Access`)."""

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app.handle(access, event, context)

    snapshot.register(handle, app.routes())  # SnapStart: primed before its snapshot, re-seeded after restores
    return _observed(handle, correlation_paths.API_GATEWAY_REST)


# ---- batches (SQS queues, DynamoDB streams) ---------------------------------------------------


def batch(processor: BatchProcessor, record_handler: Callable[..., object]) -> LambdaHandler:
    """A batch function's `lambda_handler`: `record_handler(record)` (or `(record, lambda_context)`)
    handles one `SQSRecord` or `DynamoDBRecord`; raising reports that record alone as failed. The
    function builds its `BatchProcessor(EventType.SQS or .DynamoDBStreams, ...)` itself: its options
    are the function's, and importing Powertools' batch module there, before the layer, keeps it
    cheap (imported after pydantic, it also loads Powertools' parser models, some 40 ms of cold
    start)."""

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # What Powertools' `process_partial_response` does, without importing it here.
        with processor(event["Records"], record_handler, context):
            processor.process()
        return dict(processor.response())

    return _observed(handle)


# ---- schedules --------------------------------------------------------------------------------


def schedule(job: Callable[[dict[str, Any]], Mapping[str, Any]], done: str) -> LambdaHandler:
    """A scheduled function's `lambda_handler`: runs `job(event)`, logs its summary under the
    message `done`, and returns the summary."""

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        result = dict(job(event))
        observability.logger().info(done, extra=result)
        return result

    return _observed(handle, correlation_paths.EVENT_BRIDGE)
