"""SQS: one unit of the special-date rewards (an hour and a celebration-index shard): reward the
birthdays and anniversaries of the time zones whose local day began in that hour."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

from customer_id import entry, jobs
from customer_id.rewards.issuance import ISSUANCE, issue_unit

lambda_handler = entry.batch(BatchProcessor(EventType.SQS), jobs.worker(ISSUANCE, issue_unit))
