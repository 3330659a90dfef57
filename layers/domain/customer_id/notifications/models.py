"""Notification records, all under `CUSTOMER#<id>`:

- `PREFERENCES`: the preferences document (absent: the defaults)
- `NOTIFICATION#<notificationId>`: an inbox item; ids sort by creation time, so the newest come
  first. `unreadSk` (the same value) is set until the item is read: the `unread` index is sparse
- `DELIVERY#<messageId>`: which effects a queue message has had (`done`), so that a retry after a
  partial failure repeats none of them, and, per outbound channel, until when an attempt holds its
  claim to send (`emailLease`, `smsLease`, written before the send), so that no other attempt sends
  on it meanwhile
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from types import MappingProxyType

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, LocalSecondaryIndex

from customer_id import db

CHANNELS = ("email", "sms", "push", "inApp")
CATEGORIES = ("loyalty", "offers", "rewards", "security", "support", "marketing")
PREFERENCES_SK = "PREFERENCES"
NOTIFICATION_PREFIX = "NOTIFICATION#"


def notification_key(notification_id: str) -> str:
    return f"{NOTIFICATION_PREFIX}{notification_id}"


def delivery_key(message_id: str) -> str:
    return f"DELIVERY#{message_id}"


@dataclass(frozen=True)
class Preferences:
    channels: MappingProxyType[str, bool]
    categories: MappingProxyType[str, bool]
    quiet_hours: tuple[time, time] | None  # (start, end), local times

    def wants(self, category: str) -> bool:
        return category == "security" or self.categories.get(category, False)


DEFAULT_PREFERENCES = Preferences(
    channels=MappingProxyType({channel: channel != "sms" for channel in CHANNELS}),
    categories=MappingProxyType({category: category != "marketing" for category in CATEGORIES}),
    quiet_hours=None,
)


class _NotificationsModel(db.TableModel):
    Meta = db.meta("notifications_table")


class PreferencesRecord(_NotificationsModel):
    channels = MapAttribute[str, bool]()
    categories = MapAttribute[str, bool]()
    quiet_start = UnicodeAttribute(null=True)
    quiet_end = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class UnreadNotifications(LocalSecondaryIndex["InboxRecord"]):
    class Meta:
        index_name = "unread"
        projection = AllProjection()

    pk = UnicodeAttribute(hash_key=True)
    unread_sk = UnicodeAttribute(range_key=True, attr_name="unreadSk")


class InboxRecord(_NotificationsModel):
    notification_id = UnicodeAttribute()
    category = UnicodeAttribute()
    template = UnicodeAttribute()
    params = JSONAttribute()
    channels = ListAttribute(of=UnicodeAttribute)
    created_at = UTCDateTimeAttribute()
    read_at = UTCDateTimeAttribute(null=True)
    unread_sk = UnicodeAttribute(null=True, attr_name="unreadSk")
    unread = UnreadNotifications()


class DeliveryRecord(_NotificationsModel):
    done = UnicodeSetAttribute(null=True)  # "inbox", "email", "sms", "held"
    # epoch seconds until which an attempt holds the channel's claim to send (NEVER: given up)
    email_lease = NumberAttribute(null=True, attr_name="emailLease")
    sms_lease = NumberAttribute(null=True, attr_name="smsLease")
    notification_id = UnicodeAttribute(null=True)
