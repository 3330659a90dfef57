"""The support table's FAQ: the only code that reads or writes its items, revision and votes.

Writes that go together are added to the caller's `db.UnitOfWork` (or committed as one, for a new
item); each condition names what its failure means: `VoteMoved` (the customer's vote changed since
it was read: read again and decide again) or a domain error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist

from customer_id import codes, db
from customer_id.errors import Conflict, NotFound
from customer_id.support.faq.models import (
    FAQ_PK,
    LOOKUP_SK,
    REVISION_SK,
    FaqItem,
    FaqLookupRecord,
    FaqRecord,
    FaqRevisionRecord,
    FaqVoteRecord,
    faq_category_key,
    faq_item_key,
    faq_key,
    vote_key,
)


class VoteMoved(Exception):
    """The customer's vote changed since it was read (a concurrent vote): read it and decide again."""


def _faq(record: FaqRecord) -> FaqItem:
    return FaqItem(
        faq_id=record.faq_id,
        category_id=record.category_id,
        question=dict(record.question.as_dict()),
        answer=dict(record.answer.as_dict()),
        created_at=record.created_at,
        helpful_count=int(record.helpful_count or 0),
    )


def create_faq(item: FaqItem) -> None:
    """The item, its lookup by id and a new FAQ revision, in one step; an item of the same id is a
    Conflict."""
    sk = faq_key(item.created_at, item.faq_id)
    exists = Conflict("faq_exists", faqId=item.faq_id)
    work = db.UnitOfWork()
    work.put(
        FaqRecord(
            pk=FAQ_PK,
            sk=sk,
            faq_id=item.faq_id,
            category_id=item.category_id,
            question=item.question,
            answer=item.answer,
            helpful_count=0,
            created_at=item.created_at,
            gsi1pk=faq_category_key(item.category_id),
            gsi1sk=sk,
        ),
        FaqRecord.sk.does_not_exist(),
        fails_with=exists,
    )
    work.put(
        FaqLookupRecord(pk=faq_item_key(item.faq_id), sk=LOOKUP_SK, faq_sk=sk),
        FaqLookupRecord.sk.does_not_exist(),
        fails_with=exists,
    )
    work.put(FaqRevisionRecord(pk=FAQ_PK, sk=REVISION_SK, revision=codes.new_id()))
    work.commit()


def faq_record_key(faq_id: str) -> str | None:
    """The sort key of the item's record, or None when there is no such item."""
    try:
        return FaqLookupRecord.get(faq_item_key(faq_id), LOOKUP_SK, consistent_read=True).faq_sk
    except DoesNotExist:
        return None


def faq_revision() -> str | None:
    """Changes with every FAQ change; None before the first item."""
    try:
        return FaqRevisionRecord.get(FAQ_PK, REVISION_SK, consistent_read=True).revision
    except DoesNotExist:
        return None


def all_faqs() -> list[FaqItem]:
    """Every FAQ item, in creation order: one partition, read by one Query."""
    return [
        _faq(record)
        for record in FaqRecord.query(FAQ_PK, FaqRecord.sk.startswith("FAQ#"), consistent_read=True)
    ]


def faq_page(
    category_id: str | None, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[FaqItem], dict[str, Any] | None]:
    """One page of the FAQ, in creation order, of one category if given."""
    if category_id is None:
        records, next_key = db.page(
            FaqRecord.query,
            FAQ_PK,
            FaqRecord.sk.startswith("FAQ#"),
            limit,
            start_key,
            ("pk", "sk"),
            newest_first=False,
        )
    else:
        records, next_key = db.page(
            FaqRecord.by_category.query,
            faq_category_key(category_id),
            None,
            limit,
            start_key,
            ("pk", "sk", "gsi1pk", "gsi1sk"),
            newest_first=False,
        )
    return [_faq(record) for record in records], next_key


def vote_of(faq_id: str, customer_id: str) -> bool | None:
    """The customer's vote on the item: helpful or not, or None when they have not voted."""
    try:
        return bool(
            FaqVoteRecord.get(faq_item_key(faq_id), vote_key(customer_id), consistent_read=True).helpful
        )
    except DoesNotExist:
        return None


def record_vote(
    work: db.UnitOfWork,
    faq_id: str,
    faq_sk: str,
    customer_id: str,
    helpful: bool,
    previous: bool | None,
    at: datetime,
) -> None:
    """The customer's vote, replacing `previous`, and the item's helpful count moved to match, in
    `work`; `VoteMoved` when the customer's vote is no longer `previous` (a concurrent vote)."""
    vote = FaqVoteRecord(pk=faq_item_key(faq_id), sk=vote_key(customer_id), helpful=helpful, voted_at=at)
    work.put(
        vote,
        FaqVoteRecord.sk.does_not_exist() if previous is None else FaqVoteRecord.helpful == previous,
        fails_with=VoteMoved(),
    )
    change = int(helpful) - int(previous is True)
    if change:
        work.update(
            FaqRecord(pk=FAQ_PK, sk=faq_sk),
            [FaqRecord.helpful_count.add(change)],
            FaqRecord.sk.exists(),
            fails_with=NotFound("faq_not_found", faqId=faq_id),
        )


# ---- export (workflows/rights/export.py) ------------------------------------------------------


def votes_by(customer_id: str) -> list[tuple[str, bool, datetime]]:
    """The customer's FAQ votes (faq id, helpful, when), for their data export: the FAQ is one
    small partition of staff-written items, so its ids are read whole and the votes fetched by key
    (BatchGetItem, 100 keys a request), never a scan."""
    faq_ids = [item.faq_id for item in all_faqs()]
    found: dict[str, FaqVoteRecord] = {
        record.pk: record
        for record in FaqVoteRecord.batch_get(
            [(faq_item_key(faq_id), vote_key(customer_id)) for faq_id in faq_ids], consistent_read=True
        )
    }
    return [
        (faq_id, bool(found[faq_item_key(faq_id)].helpful), found[faq_item_key(faq_id)].voted_at)
        for faq_id in faq_ids
        if faq_item_key(faq_id) in found
    ]
