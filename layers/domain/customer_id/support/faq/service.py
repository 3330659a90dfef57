"""FAQ rules: the items in the request language, by category; a new item; one vote per customer
per item (a second vote replaces the first, and the item's helpful count follows exactly).

A vote reads, decides, and adds its writes to one `db.UnitOfWork`; `retry` commits it, and when
the vote read has moved since, reads and decides again."""

from __future__ import annotations

from customer_id import clock, codes, db, pagination
from customer_id.auth import Caller
from customer_id.errors import NotFound
from customer_id.i18n import Language
from customer_id.support.categories.service import localized, require_category, retry
from customer_id.support.faq import repository
from customer_id.support.faq.models import FaqItem
from customer_id.support.faq.repository import VoteMoved
from customer_id.support.faq.schemas import FaqFeedbackOutput, FaqInput, FaqOutput, FaqPage


def _faq_output(item: FaqItem, language: Language) -> FaqOutput:
    return FaqOutput(
        faq_id=item.faq_id,
        category_id=item.category_id,
        question=localized(item.question, language),
        answer=localized(item.answer, language),
        helpful_count=item.helpful_count,
    )


def list_faq(category_id: str | None, limit: int, cursor: str | None, language: Language) -> FaqPage:
    scope = f"faq|{category_id or ''}"
    items, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.faq_page(category_id, limit, start),
        before=None if category_id is None else lambda: require_category(category_id),
    )
    return FaqPage(items=[_faq_output(item, language) for item in items], next_cursor=next_cursor)


def create_faq(data: FaqInput, language: Language) -> FaqOutput:
    require_category(data.category_id)
    item = FaqItem(
        faq_id=codes.new_id(),
        category_id=data.category_id,
        question=data.question.model_dump(),
        answer=data.answer.model_dump(),
        created_at=clock.now(),
    )
    repository.create_faq(item)
    return _faq_output(item, language)


def faq_feedback(faq_id: str, helpful: bool, caller: Caller) -> FaqFeedbackOutput:
    """The caller's vote; a second vote replaces the first, and the helpful count follows exactly."""
    faq_sk = repository.faq_record_key(faq_id)
    if faq_sk is None:
        raise NotFound("faq_not_found", faqId=faq_id)

    def attempt(work: db.UnitOfWork) -> None:
        previous = repository.vote_of(faq_id, caller.customer_id)
        repository.record_vote(work, faq_id, faq_sk, caller.customer_id, helpful, previous, clock.now())

    retry(attempt, (VoteMoved,))
    return FaqFeedbackOutput(faq_id=faq_id, helpful=helpful)
