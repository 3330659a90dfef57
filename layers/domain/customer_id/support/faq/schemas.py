from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool, StringConstraints

from customer_id.schemas import ApiModel
from customer_id.support.categories.service import CategoryRef


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


class FaqFeedbackInput(ApiModel):
    helpful: StrictBool


class FaqFeedbackOutput(ApiModel):
    faq_id: str
    helpful: bool = Field(
        description="The caller's vote: one per customer per item, and a second vote replaces the first"
    )
