"""Chat records of the support table (see `customer_id.support.models`): the chat (in the agents'
queue on `gsi1` while it waits), its messages, and its place in the customer's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from customer_id.support.models import SupportTableModel, time_key

CHAT_SK = "CHAT"
CHAT_QUEUE = "CHATQUEUE"

ChatStatus = Literal["waiting", "active", "closed"]
Sender = Literal["customer", "agent"]


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
