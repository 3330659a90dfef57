"""A notification read, `POST /customers/{id}/notifications/{notificationId}/read`."""

from __future__ import annotations

from pydantic import Field

from customer_id.schemas import ApiModel, Timestamp


class NotificationReadInput(ApiModel):
    """No fields: `{}` or an empty body."""


class NotificationReadOutput(ApiModel):
    notification_id: str
    read_at: Timestamp = Field(description="The first read; reading again changes nothing")
