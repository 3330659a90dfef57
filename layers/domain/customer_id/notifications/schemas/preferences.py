"""The preferences document of `GET`/`PUT /customers/{id}/notification-preferences`."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool, model_validator

from customer_id.schemas import ApiModel

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
