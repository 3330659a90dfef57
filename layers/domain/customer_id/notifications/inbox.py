"""The inbox, `GET /customers/{id}/notifications`: each item rendered in the caller's language and
the customer's calendar. Delivery is the dispatcher's (`dispatcher.py`)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from customer_id import pagination
from customer_id.i18n import Language
from customer_id.notifications import repository, templates
from customer_id.notifications.models import CHANNELS, InboxRecord
from customer_id.notifications.schemas.inbox import NotificationOutput, NotificationPage
from customer_id.profile.service import require_profile


def _output(record: InboxRecord, language: Language, zone: ZoneInfo) -> NotificationOutput:
    rendered = templates.render(record.template, record.params, language, zone)
    return NotificationOutput(
        notification_id=record.notification_id,
        category=record.category,
        title=rendered.title,
        body=rendered.body,
        channels=[channel for channel in CHANNELS if channel in record.channels],
        created_at=record.created_at,
        read_at=record.read_at,
    )


def list_notifications(
    customer_id: str, unread_only: bool, limit: int, cursor: str | None, language: Language
) -> NotificationPage:
    scope = f"notifications|{customer_id}|unreadOnly={unread_only}"

    def page(start: dict[str, Any] | None) -> tuple[list[NotificationOutput], dict[str, Any] | None]:
        zone = ZoneInfo(require_profile(customer_id).timezone)  # the profile check, then its calendar
        records, next_key = repository.inbox_page(customer_id, unread_only, limit, start)
        return [_output(record, language, zone) for record in records], next_key

    items, next_cursor = pagination.listing(scope, cursor, page)
    return NotificationPage(items=items, next_cursor=next_cursor)
