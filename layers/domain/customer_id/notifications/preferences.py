"""`GET`/`PUT /customers/{id}/notification-preferences`: the preferences document; security
notifications cannot be switched off."""

from __future__ import annotations

from datetime import time
from types import MappingProxyType

from customer_id import clock
from customer_id.errors import FieldError, InvalidInput
from customer_id.notifications import repository
from customer_id.notifications.models import Preferences
from customer_id.notifications.schemas.preferences import (
    NotificationCategories,
    NotificationChannels,
    NotificationPreferences,
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
