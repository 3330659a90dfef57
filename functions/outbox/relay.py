"""DynamoDB stream of the outbox table: send each new outbox item to its queue (see `outbox`)."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from customer_id import entry, outbox


def relay(record: DynamoDBRecord) -> str | None:
    if record.event_name is None or record.event_name.name == "REMOVE" or record.dynamodb is None:
        return None  # an item expired (TTL) or deleted: nothing to send
    return outbox.relay(record.raw_event["dynamodb"]["NewImage"])


lambda_handler = entry.batch(BatchProcessor(EventType.DynamoDBStreams), relay)
