"""The FAQ search, in the request language: its index is built once per container and FAQ
revision, and searched by every request until the FAQ changes."""

from __future__ import annotations

from functools import lru_cache

from customer_id.i18n import Language
from customer_id.support.categories.service import localized
from customer_id.support.faq import repository
from customer_id.support.faq.search.index import FaqIndex
from customer_id.support.faq.search.schemas import FaqSearchHit, FaqSearchResults

SEARCH_RESULTS = 10


@lru_cache(maxsize=1)
def _index_at(revision: str | None) -> FaqIndex:
    """The search index of the FAQ at `revision`: built once per container and revision."""
    return FaqIndex(repository.all_faqs())


def search_faq(query: str, language: Language) -> FaqSearchResults:
    # the revision is read before the items: an index built from newer items is only ever rebuilt
    index = _index_at(repository.faq_revision())
    return FaqSearchResults(
        items=[
            FaqSearchHit(
                faq_id=match.item.faq_id,
                question=localized(match.item.question, language),
                answer=localized(match.item.answer, language),
                score=round(match.score, 4),
            )
            for match in index.search(query, SEARCH_RESULTS)
        ]
    )
