"""The notifications table: the only code that reads or writes preferences, inbox items and
delivery records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from pynamodb.exceptions import DoesNotExist

from customer_id import db
from customer_id.db import customer_key
from customer_id.notifications.models import (
    DEFAULT_PREFERENCES,
    NOTIFICATION_PREFIX,
    PREFERENCES_SK,
    DeliveryRecord,
    InboxRecord,
    Preferences,
    PreferencesRecord,
    delivery_key,
    notification_key,
)


def preferences(customer_id: str) -> Preferences:
    try:
        record = PreferencesRecord.get(customer_key(customer_id), PREFERENCES_SK, consistent_read=True)
    except DoesNotExist:
        return DEFAULT_PREFERENCES
    quiet_hours = None
    if record.quiet_start and record.quiet_end:
        quiet_hours = (time.fromisoformat(record.quiet_start), time.fromisoformat(record.quiet_end))
    # over the defaults, so that a channel or category added later has its default in old documents
    return Preferences(
        channels=MappingProxyType({**DEFAULT_PREFERENCES.channels, **record.channels.as_dict()}),
        categories=MappingProxyType({**DEFAULT_PREFERENCES.categories, **record.categories.as_dict()}),
        quiet_hours=quiet_hours,
    )


def save_preferences(customer_id: str, document: Preferences, at: datetime) -> None:
    quiet_start, quiet_end = document.quiet_hours or (None, None)
    PreferencesRecord(
        pk=customer_key(customer_id),
        sk=PREFERENCES_SK,
        channels=dict(document.channels),
        categories=dict(document.categories),
        quiet_start=quiet_start.strftime("%H:%M") if quiet_start else None,
        quiet_end=quiet_end.strftime("%H:%M") if quiet_end else None,
        updated_at=at,
    ).save()


# ---- inbox ----------------------------------------------------------------------------------------


def notification(customer_id: str, notification_id: str) -> InboxRecord | None:
    try:
        return InboxRecord.get(
            customer_key(customer_id), notification_key(notification_id), consistent_read=True
        )
    except DoesNotExist:
        return None


def inbox_page(
    customer_id: str, unread_only: bool, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[InboxRecord], dict[str, Any] | None]:
    """Newest first; unread only through the sparse `unread` index, which holds only unread items."""
    if unread_only:
        return db.page(
            InboxRecord.unread.query,
            customer_key(customer_id),
            None,
            limit,
            start_key,
            ("pk", "sk", "unreadSk"),
        )
    return db.page(
        InboxRecord.query,
        customer_key(customer_id),
        InboxRecord.sk.startswith(NOTIFICATION_PREFIX),
        limit,
        start_key,
        ("pk", "sk"),
    )


class AlreadyRead(Exception):
    """Marking an item read failed: it was read already (by a concurrent call), or is not there."""


def mark_read(work: db.UnitOfWork, customer_id: str, notification_id: str, at: datetime) -> None:
    """Unread -> read, once: `AlreadyRead` when it was read already."""
    work.update(
        InboxRecord(pk=customer_key(customer_id), sk=notification_key(notification_id)),
        [InboxRecord.read_at.set(at), InboxRecord.unread_sk.remove()],
        InboxRecord.read_at.does_not_exist() & InboxRecord.sk.exists(),
        fails_with=AlreadyRead(),
    )


# ---- deliveries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    done: frozenset[str]  # the effects a message has had: "inbox", "email", "sms", "held"
    notification_id: str | None
    given_up: frozenset[str] = frozenset()  # channels not to send again (a send that may have gone out)


def delivery(customer_id: str, message_id: str) -> Delivery:
    try:
        record = DeliveryRecord.get(customer_key(customer_id), delivery_key(message_id), consistent_read=True)
    except DoesNotExist:
        return Delivery(done=frozenset(), notification_id=None)
    return Delivery(
        done=frozenset(record.done or ()),
        notification_id=record.notification_id,
        given_up=frozenset(channel for channel in LEASES if _lease_of(record, channel) == NEVER),
    )


# An attempt's claim on a channel lasts longer than the dispatcher may run (its timeout, 30 s) and
# ends before the queue hands a failed message over again (its visibility timeout, 60 s): an attempt
# that finds a live claim is racing one that may still send, and one that finds an expired claim
# follows an attempt that died.
LEASE = timedelta(seconds=45)
NEVER = 2**42  # a lease that never ends: the channel was given up
LEASES = {"email": DeliveryRecord.email_lease, "sms": DeliveryRecord.sms_lease}


def _lease_of(record: DeliveryRecord, channel: str) -> int | None:
    value = getattr(record, f"{channel}_lease")
    return None if value is None else int(value)


class ChannelClaimed(Exception):
    """The channel is done, given up, or claimed by an attempt whose lease has not ended."""


def claim(customer_id: str, message_id: str, channel: str, now: datetime) -> bool:
    """The message's `channel` claimed for this attempt until `now + LEASE`, before it sends: False
    when it is done, given up, or another attempt's claim still holds."""
    lease = LEASES[channel]
    work = db.UnitOfWork()
    work.update(
        DeliveryRecord(pk=customer_key(customer_id), sk=delivery_key(message_id)),
        [lease.set(int((now + LEASE).timestamp()))],
        ~DeliveryRecord.done.contains(channel) & (lease.does_not_exist() | (lease < int(now.timestamp()))),
        fails_with=ChannelClaimed(),
    )
    try:
        work.commit()
    except ChannelClaimed:
        return False
    return True


def release(customer_id: str, message_id: str, channel: str) -> None:
    """This attempt's claim on `channel` given back (its send surely failed): a retry may send."""
    DeliveryRecord(pk=customer_key(customer_id), sk=delivery_key(message_id)).update(
        actions=[LEASES[channel].remove()]
    )


def give_up(customer_id: str, message_id: str, channel: str) -> None:
    """`channel` is not sent again for this message (a send that may have gone out, on a channel
    that is at most once)."""
    DeliveryRecord(pk=customer_key(customer_id), sk=delivery_key(message_id)).update(
        actions=[LEASES[channel].set(NEVER)]
    )


class InboxWritten(Exception):
    """The message's inbox item was written by an earlier attempt."""


@dataclass(frozen=True)
class InboxItem:
    notification_id: str
    category: str
    template: str
    params: dict[str, Any]
    in_app: bool  # the in-app channel is on: `inApp` is listed in the item's channels
    created_at: datetime


def write_inbox(customer_id: str, message_id: str, item: InboxItem) -> bool:
    """The message's inbox item (unread), once: False when an earlier attempt wrote it."""
    key = notification_key(item.notification_id)
    work = db.UnitOfWork()
    work.put(
        InboxRecord(
            pk=customer_key(customer_id),
            sk=key,
            unread_sk=key,
            notification_id=item.notification_id,
            category=item.category,
            template=item.template,
            params=item.params,
            channels=["inApp"] if item.in_app else [],
            created_at=item.created_at,
        ),
        InboxRecord.sk.does_not_exist(),  # a new id: a failed condition is a bug
    )
    work.update(
        DeliveryRecord(pk=customer_key(customer_id), sk=delivery_key(message_id)),
        [DeliveryRecord.done.add({"inbox"}), DeliveryRecord.notification_id.set(item.notification_id)],
        ~DeliveryRecord.done.contains("inbox"),
        fails_with=InboxWritten(),
    )
    try:
        work.commit()
    except InboxWritten:
        return False
    return True


def record_sent(customer_id: str, message_id: str, channel: str, notification_id: str | None) -> None:
    """A channel the message went out on: done for the message, and listed on its inbox item."""
    work = db.UnitOfWork()
    work.update(
        DeliveryRecord(pk=customer_key(customer_id), sk=delivery_key(message_id)),
        [DeliveryRecord.done.add({channel})],
    )
    if notification_id is not None:
        work.update(
            InboxRecord(pk=customer_key(customer_id), sk=notification_key(notification_id)),
            [InboxRecord.channels.set(InboxRecord.channels.append([channel]))],
            InboxRecord.sk.exists(),  # written before any channel is sent: a failure is a bug
        )
    work.commit()


def record_done(customer_id: str, message_id: str, effect: str) -> None:
    DeliveryRecord(pk=customer_key(customer_id), sk=delivery_key(message_id)).update(
        actions=[DeliveryRecord.done.add({effect})]
    )
