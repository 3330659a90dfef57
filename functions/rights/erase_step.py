"""SQS: one step of a customer's erasure sweep (see customer_id/workflows/rights/erasure.py)."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

from customer_id import entry
from customer_id.workflows.rights import erasure

lambda_handler = entry.batch(BatchProcessor(EventType.SQS), erasure.worker)
