"""Support records and the domain objects they hold. One table, `SupportTable`:

- `CATEGORIES` / `CATEGORY#<categoryId>`: a support category, with its texts by language
- `FAQ` / `FAQ#<createdAt>#<faqId>`: every FAQ item in one partition, in creation order, so that the
  search index is built from one Query; `gsi1` (`FAQCATEGORY#<categoryId>`, same sort key) lists
  one category's items
- `FAQ` / `REVISION`: a fresh random id written with every FAQ change; a container's search index
  is current while the revision it was built at is
- `FAQ#<faqId>` / `FAQ`: finds an item's record from its id
- `FAQ#<faqId>` / `VOTE#<customerId>`: a customer's one vote on an item
- `CHAT#<chatId>` / `CHAT`: a chat; while it waits for an agent, `gsi1` (`CHATQUEUE`,
  `<createdAt>#<chatId>`) puts it in the agents' queue, oldest first
- `CHAT#<chatId>` / `MESSAGE#<messageId>`: its messages; message ids sort in posting order
- `CUSTOMER#<customerId>` / `CHAT#<createdAt>#<chatId>`: the customer's chats, newest first

Tickets share the table: see `customer_id.support.tickets.models`. Time in sort keys has microseconds, so
that items created one after the other sort in creation order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from customer_id import db

CATEGORIES_PK = "CATEGORIES"
FAQ_PK = "FAQ"
REVISION_SK = "REVISION"
LOOKUP_SK = "FAQ"
CHAT_SK = "CHAT"
CHAT_QUEUE = "CHATQUEUE"

ChatStatus = Literal["waiting", "active", "closed"]
Sender = Literal["customer", "agent"]


def time_key(moment: datetime) -> str:
    """An instant as it sorts in keys: ISO 8601 UTC with microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def category_key(category_id: str) -> str:
    return f"CATEGORY#{category_id}"


def faq_key(created_at: datetime, faq_id: str) -> str:
    return f"FAQ#{time_key(created_at)}#{faq_id}"


def faq_item_key(faq_id: str) -> str:
    return f"FAQ#{faq_id}"


def faq_category_key(category_id: str) -> str:
    return f"FAQCATEGORY#{category_id}"


def vote_key(customer_id: str) -> str:
    return f"VOTE#{customer_id}"


def chat_key(chat_id: str) -> str:
    return f"CHAT#{chat_id}"


def message_key(message_id: str) -> str:
    return f"MESSAGE#{message_id}"


def message_id_of(seq: int) -> str:
    """The id of a chat's `seq`-th message: ids of one chat sort in posting order."""
    return f"m{seq:08d}"


def customer_chat_key(created_at: datetime, chat_id: str) -> str:
    return f"CHAT#{time_key(created_at)}#{chat_id}"


@dataclass(frozen=True)
class Category:
    category_id: str
    name: dict[str, str]  # by language
    description: dict[str, str]
    position: int  # where it is listed


@dataclass(frozen=True)
class FaqItem:
    faq_id: str
    category_id: str
    question: dict[str, str]  # by language
    answer: dict[str, str]
    created_at: datetime
    helpful_count: int = 0


@dataclass(frozen=True)
class Chat:
    chat_id: str
    customer_id: str
    category_id: str
    status: ChatStatus
    agent_id: str | None
    opening_message: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    rating: int | None
    closing_comment: str | None
    message_count: int
    version: int


@dataclass(frozen=True)
class ChatMessage:
    message_id: str
    sender: Sender
    sender_id: str
    body: str
    created_at: datetime


class SupportTableModel(db.TableModel):
    Meta = db.meta("support_table")


class SupportCategoryRecord(SupportTableModel):
    category_id = UnicodeAttribute()
    name = MapAttribute[str, str]()
    description = MapAttribute[str, str]()
    position = NumberAttribute()


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


class WaitingChats(GlobalSecondaryIndex["ChatRecord"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class ChatRecord(SupportTableModel):
    chat_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    category_id = UnicodeAttribute()
    status = UnicodeAttribute()
    agent_id = UnicodeAttribute(null=True)
    opening_message = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    closed_at = UTCDateTimeAttribute(null=True)
    rating = NumberAttribute(null=True)
    closing_comment = UnicodeAttribute(null=True)
    message_count = NumberAttribute()
    version = NumberAttribute()
    gsi1pk = UnicodeAttribute(null=True)  # set while the chat waits: the queue is a sparse index
    gsi1sk = UnicodeAttribute(null=True)
    waiting = WaitingChats()


class ChatMessageRecord(SupportTableModel):
    message_id = UnicodeAttribute()
    sender = UnicodeAttribute()
    sender_id = UnicodeAttribute()
    body = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()


class CustomerChatRecord(SupportTableModel):
    chat_id = UnicodeAttribute()
