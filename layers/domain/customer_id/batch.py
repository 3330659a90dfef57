"""The entrypoint every SQS-triggered function shares: Powertools' BatchProcessor with partial
batch responses (a failed record comes back alone and, after maxReceiveCount, goes to the
dead-letter queue), with the logger, tracer and metrics of `observability`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from customer_id import observability

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def sqs_entrypoint(handle_record: Callable[[SQSRecord], object]) -> LambdaHandler:
    processor = BatchProcessor(event_type=EventType.SQS)
    observed: LambdaHandler | None = None

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        response = process_partial_response(
            event=event, record_handler=handle_record, processor=processor, context=context
        )
        return dict(response)

    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal observed
        if observed is None:  # decorated on first call, so that import stays free of side effects
            observed = observability.logger().inject_lambda_context()(
                observability.tracer().capture_lambda_handler(
                    observability.metrics().log_metrics(capture_cold_start_metric=True)(handle)
                )
            )
        return observed(event, context)

    return lambda_handler
