from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute

from customer_id import db
from customer_id.i18n import Language


@dataclass(frozen=True)
class Profile:
    customer_id: str
    display_name: str
    email: str
    phone: str | None
    language: Language
    timezone: str
    country: str | None
    joined_at: datetime


PROFILE_SK = "PROFILE"


class ProfileRecord(db.TableModel):
    Meta = db.meta("profile_table")
    customer_id = UnicodeAttribute()
    display_name = UnicodeAttribute()
    email = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    language = UnicodeAttribute()
    timezone = UnicodeAttribute()
    country = UnicodeAttribute(null=True)
    joined_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
