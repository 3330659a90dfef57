"""The service's queue messages (fraud scoring, notifications), written to the transactional outbox
(`outbox`) in the unit of work of the change they follow from: `signal_fraud(work, ...)`,
`notify(work, ...)`. The relay sends them on once that work has committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from customer_id import db, outbox
from customer_id.schemas import ApiModel, Timestamp


class FraudSignal(ApiModel):
    """A fact the fraud scorer weighs. `messageId` is unique per fact, so scoring it twice changes nothing."""

    message_id: str
    kind: Literal["purchase", "redemption", "offer_application", "referral", "security_event", "return"]
    customer_id: str
    occurred_at: Timestamp
    data: dict[str, Any]


def signal_fraud(
    work: db.UnitOfWork, message_id: str, kind: str, customer_id: str, occurred_at: datetime, **data: Any
) -> None:
    signal = FraudSignal(
        message_id=message_id, kind=kind, customer_id=customer_id, occurred_at=occurred_at, data=data
    )
    outbox.emit(work, "fraud", message_id, signal)


class Notification(ApiModel):
    """A message for the notification dispatcher: it applies the customer's preferences and renders
    `template` with `params` in their language. `messageId` makes a redelivery a no-op."""

    message_id: str
    customer_id: str
    category: Literal["loyalty", "offers", "rewards", "security", "support", "marketing"]
    template: str
    params: dict[str, Any]


def notify(
    work: db.UnitOfWork, message_id: str, customer_id: str, category: str, template: str, **params: Any
) -> None:
    notification = Notification(
        message_id=message_id, customer_id=customer_id, category=category, template=template, params=params
    )
    outbox.emit(work, "notifications", message_id, notification)
