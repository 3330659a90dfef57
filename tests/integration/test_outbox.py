"""The transactional outbox and its relay: a message is queued when, and only when, the change it
follows from commits; the relay sends each outbox item to its queue, reports a failed one alone, and
gives a batch up to the dead-letter queue only after its retries (tests/integration/test_fault_matrix.py
runs every operation through it under faults)."""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from typing import Any

import boto3
import pytest

from customer_id import db, outbox, queues
from customer_id.errors import Conflict
from local_stack.streams import StreamPoller
from local_stack.template import Template
from tests import faults
from tests.harness import handler, sample_event, template
from tests.integration.helpers import ADMIN, create_profile

ME = "customer-outbox"


def _waiting(stack: Template, queue: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    found = []
    while messages := sqs.receive_message(
        QueueUrl=stack.names[queue], MaxNumberOfMessages=10, VisibilityTimeout=30
    ).get("Messages", []):
        found += [json.loads(message["Body"]) for message in messages]
    return found


def _notify(work: db.UnitOfWork, message_id: str) -> None:
    queues.notify(work, message_id, ME, "loyalty", "tier_upgrade", tier="silver")


def test_a_message_is_queued_when_its_change_commits(aws: Template, relay: StreamPoller) -> None:
    work = db.UnitOfWork()
    _notify(work, "m-1")
    assert relay.drain() == 0  # nothing committed yet: nothing to relay
    assert _waiting(aws, "NotificationsQueue") == []
    work.commit()
    assert relay.drain() == 1
    assert [message["messageId"] for message in _waiting(aws, "NotificationsQueue")] == ["m-1"]
    assert relay.drain() == 0  # the relay goes on from where it stopped


def test_a_change_that_fails_queues_nothing(aws: Template, relay: StreamPoller) -> None:
    create_profile(ME)
    from customer_id.loyalty.models import ACCOUNT_SK, LoyaltyAccountRecord

    work = db.UnitOfWork()
    _notify(work, "m-2")
    work.check(
        LoyaltyAccountRecord,
        db.customer_key(ME),
        ACCOUNT_SK,
        LoyaltyAccountRecord.seq == -1,  # never true: the change fails
        fails_with=Conflict("moved"),
    )
    with pytest.raises(Conflict):
        work.commit()
    assert relay.drain() == 0
    assert _waiting(aws, "NotificationsQueue") == []


def test_a_failed_send_is_retried_from_where_it_failed(
    aws: Template, relay: StreamPoller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At least once: Lambda goes on from the first failed record, so the ones after it in the
    batch are sent again (their consumers keep the message id), the ones before it are not."""
    work = db.UnitOfWork()
    for number in range(3):
        _notify(work, f"m-{number}")
    work.commit()
    with faults.send_fails(monkeypatch, 1) as struck:
        assert relay.drain() == 3
    assert struck.struck == 1
    sent = Counter(message["messageId"] for message in _waiting(aws, "NotificationsQueue"))
    # the first record (in the stream's order) failed and was sent on the retry; the two after it
    # were sent on the first try and again on the retry
    assert sent.keys() == {"m-0", "m-1", "m-2"}
    assert sorted(sent.values()) == [1, 2, 2]
    assert relay.given_up == 0


def test_a_batch_that_keeps_failing_goes_to_the_dead_letter_queue_after_its_retries(
    aws: Template, relay: StreamPoller, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = db.UnitOfWork()
    _notify(work, "m-lost")
    work.commit()
    with faults.send_fails(monkeypatch, 1000) as struck:
        relay.drain()
    assert struck.struck == relay.source.maximum_retry_attempts + 1  # the first try and every retry
    assert relay.given_up == 1
    (dead,) = _waiting(aws, "OutboxDeadLetterQueue")
    assert dead["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert dead["DDBStreamBatchInfo"]["batchSize"] == 1
    assert relay.drain() == 0  # reading goes on after the given-up batch


def test_the_relay_ignores_expired_items_and_fails_a_corrupt_one_alone(aws: Template) -> None:
    event = sample_event(template().function("OutboxRelayFunction"))
    good = event["Records"][0]
    removed = copy.deepcopy(good)
    removed["eventName"] = "REMOVE"
    removed["dynamodb"]["SequenceNumber"] = "112"
    corrupt = copy.deepcopy(good)
    corrupt["dynamodb"]["SequenceNumber"] = "113"
    corrupt["dynamodb"]["NewImage"]["body"] = {"S": "{not json"}
    unknown = copy.deepcopy(good)
    unknown["dynamodb"]["SequenceNumber"] = "114"
    unknown["dynamodb"]["NewImage"]["queue"] = {"S": "elsewhere"}
    result = handler("OutboxRelayFunction")({"Records": [good, removed, corrupt, unknown]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "113"}, {"itemIdentifier": "114"}]}
    assert [message["messageId"] for message in _waiting(aws, "NotificationsQueue")] == [
        "tier:customer-1:silver"
    ]


def test_the_same_message_emitted_again_is_one_item(aws: Template) -> None:
    for _ in range(2):
        work = db.UnitOfWork()
        _notify(work, "m-again")
        work.commit()
    items = list(outbox.OutboxMessage.scan())
    assert [item.message_id for item in items] == ["m-again"]


def test_the_relay_remembers_where_it_stopped(aws: Template, relay: StreamPoller, tmp_path: Any) -> None:
    checkpoint = tmp_path / "relay.json"
    first = StreamPoller(
        relay.function, relay.handler, relay.source, relay.stream_arn, relay.region, checkpoint=checkpoint
    )
    work = db.UnitOfWork()
    _notify(work, "m-a")
    work.commit()
    assert first.drain() == 1
    restarted = StreamPoller(
        relay.function, relay.handler, relay.source, relay.stream_arn, relay.region, checkpoint=checkpoint
    )
    assert restarted.drain() == 0  # not relayed again after a restart
    work = db.UnitOfWork()
    _notify(work, "m-b")
    work.commit()
    assert restarted.drain() == 1
    assert [message["messageId"] for message in _waiting(aws, "NotificationsQueue")] == ["m-a", "m-b"]


def test_no_function_but_the_relay_and_the_dispatcher_may_send_to_a_queue() -> None:
    """Least privilege follows the outbox: a request writes the outbox table, never a queue."""
    senders = {
        function.logical_id
        for function in template().functions()
        if "SQSSendMessagePolicy" in json.dumps(template().resources[function.logical_id]["Properties"])
    }
    assert senders == {"OutboxRelayFunction", "NotificationDispatcherFunction"}
    assert ADMIN  # the admin caller other tests use exists (keeps the import honest)
