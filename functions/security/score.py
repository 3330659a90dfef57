"""SQS: score fraud signals (purchases, redemptions, offer applications, referrals, security events)."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from customer_id import entry
from customer_id.queues import FraudSignal
from customer_id.security.fraud import scoring


def score(record: SQSRecord) -> list[str]:
    return scoring.score(FraudSignal.model_validate_json(record.body))


lambda_handler = entry.batch(BatchProcessor(EventType.SQS), score)
