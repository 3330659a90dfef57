"""The providers a notification leaves through: email by SES, SMS by SNS, and the notifications queue
itself for the part that quiet hours hold back. The only notifications code that calls AWS directly."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from customer_id.notifications.schemas.queued import QueuedNotification
from customer_id.notifications.templates import Rendered
from customer_id.settings import require, settings

if TYPE_CHECKING:
    from mypy_boto3_ses import SESClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient


@cache
def _ses() -> SESClient:
    import boto3  # only the dispatcher pays for it

    return boto3.client("ses", region_name=settings().region)


@cache
def _sns() -> SNSClient:
    import boto3

    return boto3.client("sns", region_name=settings().region)


@cache
def _sqs() -> SQSClient:
    import boto3

    return boto3.client("sqs", region_name=settings().region)


def surely_not_sent(error: Exception) -> bool:
    """Whether a send that raised `error` surely did not go out: the provider answered with an
    error (throttled, refused), or the request never left (no connection, invalid parameters). A
    timeout or a connection dropped after the request left does not say: the message may be out."""
    from botocore.exceptions import (
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        ParamValidationError,
    )

    return isinstance(
        error,
        ClientError
        | ConnectTimeoutError
        | EndpointConnectionError
        | NoCredentialsError
        | ParamValidationError,
    )


def send_email(address: str, message: Rendered) -> None:
    _ses().send_email(
        Source=require(settings().sender_email, "SENDER_EMAIL"),
        Destination={"ToAddresses": [address]},
        Message={
            "Subject": {"Data": message.title, "Charset": "UTF-8"},
            "Body": {"Text": {"Data": message.body, "Charset": "UTF-8"}},
        },
    )


def send_sms(phone: str, message: Rendered, promotional: bool) -> None:
    _sns().publish(
        PhoneNumber=phone,
        Message=f"{message.title}\n{message.body}",
        MessageAttributes={
            "AWS.SNS.SMS.SMSType": {
                "DataType": "String",
                "StringValue": "Promotional" if promotional else "Transactional",
            }
        },
    )


def requeue(message: QueuedNotification, delay_seconds: int) -> None:
    """Put (the held part of) a notification back on the queue, to be looked at after the delay."""
    _sqs().send_message(
        QueueUrl=require(settings().notifications_queue_url, "NOTIFICATIONS_QUEUE_URL"),
        MessageBody=message.model_dump_json(by_alias=True),
        DelaySeconds=delay_seconds,
    )
