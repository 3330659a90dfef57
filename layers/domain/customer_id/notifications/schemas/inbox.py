"""The inbox, `GET /customers/{id}/notifications`."""

from __future__ import annotations

from pydantic import Field

from customer_id.notifications.schemas import Category, Channel
from customer_id.schemas import ApiModel, Timestamp


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
