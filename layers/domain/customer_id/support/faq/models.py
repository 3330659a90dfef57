"""FAQ records of the support table (see `customer_id.support.models`): the items (in one
partition, in creation order; `gsi1` by category), their lookup by id, the FAQ revision, and the
customers' votes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from customer_id.support.models import SupportTableModel, time_key

FAQ_PK = "FAQ"
REVISION_SK = "REVISION"
LOOKUP_SK = "FAQ"


def faq_key(created_at: datetime, faq_id: str) -> str:
    return f"FAQ#{time_key(created_at)}#{faq_id}"


def faq_item_key(faq_id: str) -> str:
    return f"FAQ#{faq_id}"


def faq_category_key(category_id: str) -> str:
    return f"FAQCATEGORY#{category_id}"


def vote_key(customer_id: str) -> str:
    return f"VOTE#{customer_id}"


@dataclass(frozen=True)
class FaqItem:
    faq_id: str
    category_id: str
    question: dict[str, str]  # by language
    answer: dict[str, str]
    created_at: datetime
    helpful_count: int = 0


class FaqByCategory(GlobalSecondaryIndex["FaqRecord"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class FaqRecord(SupportTableModel):
    faq_id = UnicodeAttribute()
    category_id = UnicodeAttribute()
    question = MapAttribute[str, str]()
    answer = MapAttribute[str, str]()
    helpful_count = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_category = FaqByCategory()


class FaqLookupRecord(SupportTableModel):
    faq_sk = UnicodeAttribute()


class FaqRevisionRecord(SupportTableModel):
    revision = UnicodeAttribute()


class FaqVoteRecord(SupportTableModel):
    helpful = BooleanAttribute()
    voted_at = UTCDateTimeAttribute()
