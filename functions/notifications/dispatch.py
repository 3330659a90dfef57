"""SQS NotificationsQueue: deliver each message of the batch; report the ones that failed, so that
only they come back (and, after five receives, land in the dead-letter queue)."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from customer_id import entry
from customer_id.notifications import dispatcher
from customer_id.observability import logger


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    try:
        dispatcher.dispatch(record.body, lambda_context)
    except Exception:
        logger().exception("notification not delivered", extra={"sqsMessageId": record.message_id})
        raise


processor = BatchProcessor(EventType.SQS, raise_on_entire_batch_failure=False)
lambda_handler = entry.batch(processor, record_handler)
