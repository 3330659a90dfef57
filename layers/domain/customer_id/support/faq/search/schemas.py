from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from customer_id.schemas import ApiModel

SearchText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


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
