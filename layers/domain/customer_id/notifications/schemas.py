from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, model_validator

from customer_id.queues import Notification
from customer_id.schemas import ApiModel, Timestamp

Channel = Literal["email", "sms", "push", "inApp"]
Category = Literal["loyalty", "offers", "rewards", "security", "support", "marketing"]
OutboundChannel = Literal["email", "sms"]  # the channels that leave through a provider

_HH_MM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _hh_mm(value: str) -> str:
    if not _HH_MM.fullmatch(value):
        raise ValueError("must be a 24-hour time HH:MM, like 22:00")
    return value


ClockTime = Annotated[str, AfterValidator(_hh_mm), Field(examples=["22:00"])]


class NotificationChannels(ApiModel):
    email: StrictBool
    sms: StrictBool
    push: StrictBool = Field(
        description="Stored and returned, but nothing is pushed yet: the stack has no push provider, "
        "so `push` never appears in a notification's `channels`"
    )
    in_app: StrictBool = Field(description="The inbox of `GET …/notifications`")


class NotificationCategories(ApiModel):
    loyalty: StrictBool
    offers: StrictBool
    rewards: StrictBool
    security: StrictBool = Field(description="Always true: security notifications cannot be switched off")
    support: StrictBool
    marketing: StrictBool


class QuietHours(ApiModel):
    """Local times in the customer's timezone; `start` after `end` crosses midnight (22:00-07:00)."""

    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("start and end must differ")
        return self


class NotificationPreferences(ApiModel):
    """The whole preferences document: `PUT` replaces it. During quiet hours only the inbox is
    written; email and SMS wait until the quiet hours end."""

    channels: NotificationChannels
    categories: NotificationCategories
    quiet_hours: QuietHours | None = Field(default=None, description="null: no quiet hours")


class NotificationOutput(ApiModel):
    notification_id: str
    category: Category
    title: str
    body: str
    channels: list[Channel] = Field(
        description="The channels it went out on: `inApp` when the in-app channel was on (a security "
        "notification is in the inbox even with it off), and `email`/`sms` once sent"
    )
    created_at: Timestamp
    read_at: Timestamp | None


class NotificationPage(ApiModel):
    items: list[NotificationOutput]
    next_cursor: str | None


class NotificationReadInput(ApiModel):
    """No fields: `{}` or an empty body."""


class NotificationReadOutput(ApiModel):
    notification_id: str
    read_at: Timestamp = Field(description="The first read; reading again changes nothing")


class HeldDelivery(ApiModel):
    """The channels of a notification that quiet hours held back, and its inbox item (if it has one),
    to which they are added once they went out."""

    channels: list[OutboundChannel] = Field(min_length=1)
    notification_id: str | None


class QueuedNotification(Notification):
    """What the dispatcher reads off the queue: a producer's `Notification`, or the held part of one
    (`held` set, `messageId` `<original>#held`), which comes back until the quiet hours are over."""

    held: HeldDelivery | None = None
