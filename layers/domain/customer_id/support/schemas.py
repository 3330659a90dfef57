from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StringConstraints

from customer_id.schemas import ApiModel, Timestamp
from customer_id.support.models import ChatStatus, Sender

CategoryRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
SearchText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MessageId = Annotated[str, StringConstraints(pattern=r"^m\d{8}$")]
ChatText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Rating = Annotated[int, Field(strict=True, ge=1, le=5)]

# ---- categories and FAQ ----------------------------------------------------------------------


class SupportCategoryOutput(ApiModel):
    category_id: str
    name: str = Field(description="In the request language")
    description: str = Field(description="In the request language")


class SupportCategoryList(ApiModel):
    items: list[SupportCategoryOutput]


class FaqQuestionText(ApiModel):
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    ar: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class FaqAnswerText(ApiModel):
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    ar: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class FaqInput(ApiModel):
    category_id: CategoryRef = Field(description="A categoryId of GET /support/categories; another one: 400")
    question: FaqQuestionText
    answer: FaqAnswerText


class FaqOutput(ApiModel):
    faq_id: str
    category_id: str
    question: str = Field(description="In the request language")
    answer: str = Field(description="In the request language")
    helpful_count: int = Field(description="How many customers found the item helpful: one vote each")


class FaqPage(ApiModel):
    items: list[FaqOutput] = Field(description="In the order the items were added")
    next_cursor: str | None


class FaqSearchHit(ApiModel):
    faq_id: str
    question: str = Field(description="In the request language")
    answer: str = Field(description="In the request language")
    score: float = Field(
        description="BM25 relevance over the question (weighted double) and answer in both languages; "
        "higher is better"
    )


class FaqSearchResults(ApiModel):
    items: list[FaqSearchHit] = Field(
        description="At most 10 items that match at least one word of the query, best first. Words match "
        "in either language: Arabic ignoring diacritics, tatweel and letter variants (أ إ آ as ا, ة as ه, "
        "ى as ي) and the article and common affixes; English ignoring case and plural endings"
    )


class FaqFeedbackInput(ApiModel):
    helpful: StrictBool


class FaqFeedbackOutput(ApiModel):
    faq_id: str
    helpful: bool = Field(
        description="The caller's vote: one per customer per item, and a second vote replaces the first"
    )


# ---- live chat -------------------------------------------------------------------------------


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
