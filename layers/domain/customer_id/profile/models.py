from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from customer_id.db import Region, TableName
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


def customer_key(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


PROFILE_SK = "PROFILE"


class ProfileRecord(Model):
    class Meta:
        table_name = TableName("profile_table")
        region = Region()

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    customer_id = UnicodeAttribute()
    display_name = UnicodeAttribute()
    email = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    language = UnicodeAttribute()
    timezone = UnicodeAttribute()
    country = UnicodeAttribute(null=True)
    joined_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
