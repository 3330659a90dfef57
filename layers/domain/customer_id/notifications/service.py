"""Notification preferences and the inbox. Delivery is the dispatcher's (`dispatcher.py`)."""

from __future__ import annotations

from datetime import time
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from customer_id import clock, db, pagination
from customer_id.analytics import engagement
from customer_id.errors import FieldError, InvalidInput, NotFound
from customer_id.i18n import Language
from customer_id.notifications import repository, templates
from customer_id.notifications.models import CHANNELS, InboxRecord, Preferences
from customer_id.notifications.schemas import (
    NotificationCategories,
    NotificationChannels,
    NotificationOutput,
    NotificationPage,
    NotificationPreferences,
    NotificationReadOutput,
    QuietHours,
)
from customer_id.profile.service import require_profile


def _document(preferences: Preferences) -> NotificationPreferences:
    quiet_hours = None
    if preferences.quiet_hours is not None:
        start, end = preferences.quiet_hours
        quiet_hours = QuietHours(start=start.strftime("%H:%M"), end=end.strftime("%H:%M"))
    return NotificationPreferences(
        channels=NotificationChannels.model_validate(dict(preferences.channels)),
        categories=NotificationCategories.model_validate(dict(preferences.categories)),
        quiet_hours=quiet_hours,
    )


def _preferences(document: NotificationPreferences) -> Preferences:
    quiet_hours = None
    if document.quiet_hours is not None:
        quiet_hours = (
            time.fromisoformat(document.quiet_hours.start),
            time.fromisoformat(document.quiet_hours.end),
        )
    return Preferences(
        channels=MappingProxyType(document.channels.model_dump(by_alias=True)),
        categories=MappingProxyType(document.categories.model_dump(by_alias=True)),
        quiet_hours=quiet_hours,
    )


def get_preferences(customer_id: str) -> NotificationPreferences:
    require_profile(customer_id)
    return _document(repository.preferences(customer_id))


def put_preferences(customer_id: str, document: NotificationPreferences) -> NotificationPreferences:
    """Replace the whole document; security notifications cannot be switched off."""
    if not document.categories.security:
        raise InvalidInput(
            "security_notifications_required",
            errors=[FieldError("categories.security", "security notifications cannot be switched off")],
        )
    require_profile(customer_id)
    repository.save_preferences(customer_id, _preferences(document), clock.now())
    return document


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


def read_notification(customer_id: str, notification_id: str) -> NotificationReadOutput:
    """Sets `readAt` once, and counts the read for engagement in the same step; reading again
    answers the first `readAt`."""
    require_profile(customer_id)
    record = repository.notification(customer_id, notification_id)
    if record is None:
        raise NotFound("notification_not_found", notificationId=notification_id)
    if record.read_at is not None:
        return NotificationReadOutput(notification_id=notification_id, read_at=record.read_at)
    now = clock.now()
    work = db.UnitOfWork()
    repository.mark_read(work, customer_id, notification_id, now)
    engagement.count_engagement(work, customer_id, "notifications_read")
    try:
        work.commit()
    except repository.AlreadyRead:
        record = repository.notification(customer_id, notification_id)  # read by a concurrent call
        if record is None or record.read_at is None:
            raise
        return NotificationReadOutput(notification_id=notification_id, read_at=record.read_at)
    return NotificationReadOutput(notification_id=notification_id, read_at=now)
