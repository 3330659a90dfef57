"""Publishing small typed messages to the service's SQS queues (fraud scoring, notifications)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from customer_id.schemas import ApiModel, Timestamp
from customer_id.settings import require, settings

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


@cache
def _sqs() -> SQSClient:
    import boto3  # only functions that publish pay for it

    return boto3.client("sqs", region_name=settings().region)


def publish(queue_url: str, message: BaseModel) -> None:
    _sqs().send_message(
        QueueUrl=require(queue_url, "queue URL"), MessageBody=message.model_dump_json(by_alias=True)
    )


class FraudSignal(ApiModel):
    """A fact the fraud scorer weighs. `messageId` is unique per fact, so scoring it twice changes nothing."""

    message_id: str
    kind: Literal["purchase", "redemption", "offer_application", "referral", "security_event"]
    customer_id: str
    occurred_at: Timestamp
    data: dict[str, Any]


def signal_fraud(message_id: str, kind: str, customer_id: str, occurred_at: datetime, **data: Any) -> None:
    publish(
        settings().fraud_queue_url,
        FraudSignal(
            message_id=message_id, kind=kind, customer_id=customer_id, occurred_at=occurred_at, data=data
        ),
    )


class Notification(ApiModel):
    """A message for the notification dispatcher: it applies the customer's preferences and renders
    `template` with `params` in their language. `messageId` makes a redelivery a no-op."""

    message_id: str
    customer_id: str
    category: Literal["loyalty", "offers", "rewards", "security", "support", "marketing"]
    template: str
    params: dict[str, Any]


def notify(message_id: str, customer_id: str, category: str, template: str, **params: Any) -> None:
    publish(
        settings().notifications_queue_url,
        Notification(
            message_id=message_id,
            customer_id=customer_id,
            category=category,
            template=template,
            params=params,
        ),
    )
