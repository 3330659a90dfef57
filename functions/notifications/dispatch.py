"""SQS NotificationsQueue: deliver each message of the batch; report the ones that failed, so that
only they come back (and, after five receives, land in the dead-letter queue)."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from customer_id.notifications import dispatcher
from customer_id.observability import logger


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    try:
        dispatcher.dispatch(record.body, lambda_context)
    except Exception:
        logger().exception("notification not delivered", extra={"sqsMessageId": record.message_id})
        raise


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    processor = BatchProcessor(EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
