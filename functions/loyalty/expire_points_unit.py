"""SQS: one unit of the points expiry (a UTC day and shard): write off the lots expired that day and
announce the points expiring in a week."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

from customer_id import entry, jobs
from customer_id.loyalty import expiry

lambda_handler = entry.batch(BatchProcessor(EventType.SQS), jobs.worker(expiry.EXPIRY, expiry.expire_unit))
