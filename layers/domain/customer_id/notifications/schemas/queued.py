"""What the dispatcher reads off the notifications queue."""

from __future__ import annotations

from pydantic import Field

from customer_id.notifications.schemas import OutboundChannel
from customer_id.queues import Notification
from customer_id.schemas import ApiModel


class HeldDelivery(ApiModel):
    """The channels of a notification that quiet hours held back, and its inbox item (if it has one),
    to which they are added once they went out."""

    channels: list[OutboundChannel] = Field(min_length=1)
    notification_id: str | None


class QueuedNotification(Notification):
    """What the dispatcher reads off the queue: a producer's `Notification`, or the held part of one
    (`held` set, `messageId` `<original>#held`), which comes back until the quiet hours are over."""

    held: HeldDelivery | None = None
