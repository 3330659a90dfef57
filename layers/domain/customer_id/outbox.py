"""The transactional outbox: a message that a change implies (a fraud signal, a notification) is
written as an item of the outbox table in the same transaction as the change itself, through its
unit of work. Either both are stored or neither is; no request sends to a queue after its commit.

The outbox table's stream feeds the relay function (`functions/outbox/relay.py`), which sends each
new item to its queue: at least once, with the message's own `messageId` in the body, which the
queue's consumer keeps to make a redelivery a no-op. A relay failure reports that record alone
(partial batch response); Lambda retries it, and after its retries the record's batch goes to the
outbox dead-letter queue (with an alarm). Items expire a week after they are written (a TTL
deletion is a stream `REMOVE`, which the relay ignores).

An item's key is the queue and the message id: the same message emitted again (a change retried
after a lost answer) overwrites the item with itself, and at most causes a second delivery of it."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel
from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from customer_id import clock, db
from customer_id.settings import require, settings

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

Queue = Literal["fraud", "notifications", "points-expiry", "rewards-issuance", "segment-refresh", "erasure"]
KEEP = timedelta(days=7)


class OutboxMessage(db.TableModel):
    """`pk` = `<queue>#<messageId>`, `sk` = `MESSAGE`; `body` is the message's JSON."""

    Meta = db.meta("outbox_table")

    queue = UnicodeAttribute()
    message_id = UnicodeAttribute(attr_name="messageId")
    body = UnicodeAttribute()
    expires_at = NumberAttribute(attr_name="expiresAt")  # the table's TTL, epoch seconds


def emit(work: db.UnitOfWork, queue: Queue, message_id: str, message: BaseModel) -> None:
    """Add the message to `work`: it is queued when, and only when, `work` commits."""
    now = clock.now()
    work.put(
        OutboxMessage(
            pk=f"{queue}#{message_id}",
            sk="MESSAGE",
            queue=queue,
            message_id=message_id,
            body=message.model_dump_json(by_alias=True),
            expires_at=int((now + KEEP).timestamp()),
        )
    )


# ---- the relay --------------------------------------------------------------------------------


def relay(image: dict[str, Any]) -> str:
    """Send one outbox item (a stream record's `NewImage`, in DynamoDB's attribute-value form) to its
    queue; the message id sent. Raises when the queue does not take it (the record is retried)."""
    queue = _string(image, "queue")
    message_id = _string(image, "messageId")
    body = _string(image, "body")
    json.loads(body)  # a corrupt item fails here, loudly, rather than poison the consumer
    _sqs().send_message(QueueUrl=_queue_url(queue), MessageBody=body)
    return message_id


def _string(image: dict[str, Any], name: str) -> str:
    value = image.get(name, {})
    if "S" not in value:
        raise ValueError(f"outbox item without {name}")
    return str(value["S"])


def _queue_url(queue: str) -> str:
    known = settings()
    urls = {
        "fraud": known.fraud_queue_url,
        "notifications": known.notifications_queue_url,
        "points-expiry": known.points_expiry_queue_url,
        "rewards-issuance": known.rewards_issuance_queue_url,
        "segment-refresh": known.segment_refresh_queue_url,
        "erasure": known.erasure_queue_url,
    }
    if queue not in urls:
        raise ValueError(f"unknown queue {queue!r}")
    return require(urls[queue], f"{queue} queue URL")


@cache
def _sqs() -> SQSClient:
    import boto3  # only the relay sends

    return boto3.client("sqs", region_name=settings().region)
