"""A message its queue's consumer cannot process, through the real SQS batch event path (the local
stack's poller, as the `consume` fixture runs it): reported as a batch item failure, handed over again
once the visibility timeout has passed, and after the queue's `maxReceiveCount` receives (template.yaml's
RedrivePolicy) moved to the dead-letter queue, while the rest of its batch is processed once."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import time_machine
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from local_stack.template import Template
from tests.harness import template
from tests.integration.helpers import create_profile, read

ME = "customer-dead-letters"


def _queues(aws: Template, consumer: str) -> tuple[str, str, int, int]:
    """The consumer's queue, its dead-letter queue (URLs), its maxReceiveCount and visibility timeout."""
    source = template().function(consumer).queues[0].queue
    properties = aws.resources[source]["Properties"]
    redrive = properties["RedrivePolicy"]
    dead_letter_arn = aws.resolve(redrive["deadLetterTargetArn"])
    [dead_letters] = [
        logical_id
        for (logical_id, attribute), value in aws.attributes.items()
        if attribute == "Arn" and value == dead_letter_arn
    ]
    return (
        aws.names[source],
        aws.names[dead_letters],
        int(redrive["maxReceiveCount"]),
        int(properties["VisibilityTimeout"]),
    )


def _notification(message_id: str) -> str:
    return json.dumps(
        {
            "messageId": message_id,
            "customerId": ME,
            "category": "rewards",
            "template": "referral_payout",
            "params": {"points": 500},
        }
    )


def _failed_login(message_id: str, minutes_ago: int) -> str:
    occurred = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return json.dumps(
        {
            "messageId": message_id,
            "kind": "security_event",
            "customerId": ME,
            "occurredAt": occurred.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "data": {
                "type": "login_failed",
                "eventId": message_id,
                "ipAddress": "192.0.2.1",
                "deviceId": "d",
                "country": "SA",
            },
        }
    )


def _emails() -> int:
    return len(ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_REGION"]].sent_messages)


def _notifications() -> tuple[list[str], str]:
    poison = _notification("payout-unknown-customer").replace(ME, "customer-without-profile")
    return [_notification(f"payout-{index}") for index in range(4)], poison


def _delivered() -> tuple[int, int]:
    """Emails sent, and items in the customer's inbox."""
    return _emails(), len(read("ListNotificationsFunction", ME)["items"])


def _failed_logins() -> tuple[list[str], str]:
    return [_failed_login(f"failed-{index}", 10 - index) for index in range(5)], "{not json"


def _scored() -> tuple[int, list[str]]:
    """The risk score, and the alerts raised."""
    alerts = read("ListSecurityAlertsFunction", ME)["items"]
    return read("GetSecurityProfileFunction", ME)["riskScore"], [alert["type"] for alert in alerts]


# consumer -> (its good messages and a poison one, what the consumer did, and what it must have done:
# each good message's effect once)
CASES: dict[str, tuple[Callable[[], tuple[list[str], str]], Callable[[], object], object]] = {
    "NotificationDispatcherFunction": (_notifications, _delivered, (4, 4)),
    "FraudScorerFunction": (_failed_logins, _scored, (30, ["failed_logins"])),
}


@pytest.mark.real_clock  # moves the clock itself, SQS's included (the frozen clock leaves SQS on wall time)
@pytest.mark.parametrize("consumer", sorted(CASES))
def test_a_poison_message_is_retried_then_dead_lettered_and_its_batch_is_processed_once(
    aws: Template, consume: Any, consumer: str
) -> None:
    messages, observe, expected = CASES[consumer]
    good, poison = messages()
    create_profile(ME)
    queue, dead_letters, max_receives, visibility = _queues(aws, consumer)
    assert (max_receives, visibility) == (5, 180)  # template.yaml; the rounds below follow from it
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    for body in [*good[:2], poison, *good[2:]]:
        sqs.send_message(QueueUrl=queue, MessageBody=body)

    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        # each round polls until nothing is visible: a failed message waits for its visibility timeout
        rounds = [consume(consumer)]
        for _ in range(max_receives):
            traveller.shift(timedelta(seconds=visibility + 1))
            rounds.append(consume(consumer))

        # one batch with everything, the poison alone on each retry, and on the receive after the
        # fifth SQS moves it to the dead-letter queue instead of handing it over (read while the
        # clock is still shifted: the moved message keeps its visibility timestamps)
        assert rounds == [len(good) + 1] + [1] * (max_receives - 1) + [0]
        left = sqs.get_queue_attributes(
            QueueUrl=queue,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        assert left == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}
        dead = sqs.receive_message(QueueUrl=dead_letters, MaxNumberOfMessages=10)["Messages"]
        assert [message["Body"] for message in dead] == [poison]
        assert observe() == expected
