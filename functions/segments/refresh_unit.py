"""SQS: one unit of the segment refresh (a day and shard): re-assign the customers whose RFM scores
time alone changes that day."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

from customer_id import entry, jobs
from customer_id.segments import service

lambda_handler = entry.batch(
    BatchProcessor(EventType.SQS), jobs.worker(service.REFRESH, service.refresh_unit)
)
