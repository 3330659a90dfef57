"""`POST /customers/{id}/notifications/{notificationId}/read`: an inbox item read, once."""

from __future__ import annotations

from customer_id import clock, db
from customer_id.analytics import engagement
from customer_id.errors import NotFound
from customer_id.notifications import repository
from customer_id.notifications.schemas.reads import NotificationReadOutput
from customer_id.profile.service import require_profile


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
