from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from customer_id.schemas import ApiModel, Timestamp
from customer_id.support.categories.service import CategoryRef
from customer_id.support.chat.models import ChatStatus, Sender

MessageId = Annotated[str, StringConstraints(pattern=r"^m\d{8}$")]
ChatText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Rating = Annotated[int, Field(strict=True, ge=1, le=5)]


class ChatStartInput(ApiModel):
    category_id: CategoryRef = Field(description="A categoryId of GET /support/categories; another one: 400")
    message: ChatText = Field(description="The chat's opening message: its first message")


class ChatStarted(ApiModel):
    chat_id: str
    status: Literal["waiting"] = Field(description="Waiting in the agents' queue")
    created_at: Timestamp


class ChatSummary(ApiModel):
    chat_id: str
    customer_id: str
    category_id: str
    status: ChatStatus = Field(
        description="waiting (in the agents' queue), active (an agent replied and handles it), closed"
    )
    agent_id: str | None = Field(description="The agent whose first message took the chat, or null")
    opening_message: str
    created_at: Timestamp
    closed_at: Timestamp | None
    rating: int | None = Field(description="1-5, given by the customer when closing")
    comment: str | None = Field(description="The comment left when closing")


class ChatPage(ApiModel):
    items: list[ChatSummary]
    next_cursor: str | None


class ChatMessageInput(ApiModel):
    body: ChatText


class ChatMessageOutput(ApiModel):
    message_id: str = Field(description="Pass it as `after` to read only the messages that follow it")
    sender: Sender
    body: str
    created_at: Timestamp


class ChatOutput(ApiModel):
    chat_id: str
    customer_id: str
    category_id: str
    status: ChatStatus
    agent_id: str | None
    created_at: Timestamp
    closed_at: Timestamp | None
    rating: int | None
    messages: list[ChatMessageOutput] = Field(
        description="Oldest first, after the message `after` if given, at most 100: to read further, ask "
        "again with `after` set to the last one"
    )


class ChatCloseInput(ApiModel):
    rating: Rating | None = Field(
        default=None, description="1-5; the customer who opened the chat only (403)"
    )
    comment: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)] | None
    ) = None
