"""The support table's categories, FAQ and chats: the only code that reads or writes them (the
tickets in it: `customer_id.support.tickets.repository`).

Writes that go together are added to the caller's `db.UnitOfWork`; each condition names what its
failure means: `VoteMoved` / `ChatMoved` (what was read has changed: read again and decide again),
`ChatIdTaken` (draw another id), or a domain error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.update import Action

from customer_id import codes, db
from customer_id.db import customer_key
from customer_id.errors import Conflict, NotFound
from customer_id.support.models import (
    CATEGORIES_PK,
    CHAT_QUEUE,
    CHAT_SK,
    FAQ_PK,
    LOOKUP_SK,
    REVISION_SK,
    Category,
    Chat,
    ChatMessage,
    ChatMessageRecord,
    ChatRecord,
    ChatStatus,
    CustomerChatRecord,
    FaqItem,
    FaqLookupRecord,
    FaqRecord,
    FaqRevisionRecord,
    FaqVoteRecord,
    Sender,
    SupportCategoryRecord,
    category_key,
    chat_key,
    customer_chat_key,
    faq_category_key,
    faq_item_key,
    faq_key,
    message_key,
    time_key,
    vote_key,
)


class VoteMoved(Exception):
    """The customer's vote changed since it was read (a concurrent vote): read it and decide again."""


class ChatMoved(Exception):
    """The chat changed since it was read (another message, an agent took it, it was closed): read
    it and decide again."""


class ChatIdTaken(Exception):
    """A chat already has the new chat's id: draw another one."""


# ---- categories ------------------------------------------------------------------------------


def _category(record: SupportCategoryRecord) -> Category:
    return Category(
        category_id=record.category_id,
        name=dict(record.name.as_dict()),
        description=dict(record.description.as_dict()),
        position=int(record.position),
    )


def put_category(category: Category) -> None:
    SupportCategoryRecord(
        pk=CATEGORIES_PK,
        sk=category_key(category.category_id),
        category_id=category.category_id,
        name=category.name,
        description=category.description,
        position=category.position,
    ).save()


def get_category(category_id: str) -> Category | None:
    try:
        return _category(SupportCategoryRecord.get(CATEGORIES_PK, category_key(category_id)))
    except DoesNotExist:
        return None


def categories() -> list[Category]:
    """Every category, in listing order."""
    found = [_category(record) for record in SupportCategoryRecord.query(CATEGORIES_PK)]
    return sorted(found, key=lambda category: (category.position, category.category_id))


# ---- FAQ -------------------------------------------------------------------------------------


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


# ---- chats -----------------------------------------------------------------------------------


def _chat_record(chat: Chat) -> ChatRecord:
    waiting = chat.status == "waiting"
    return ChatRecord(
        pk=chat_key(chat.chat_id),
        sk=CHAT_SK,
        chat_id=chat.chat_id,
        customer_id=chat.customer_id,
        category_id=chat.category_id,
        status=chat.status,
        agent_id=chat.agent_id,
        opening_message=chat.opening_message,
        created_at=chat.created_at,
        updated_at=chat.updated_at,
        closed_at=chat.closed_at,
        rating=chat.rating,
        closing_comment=chat.closing_comment,
        message_count=chat.message_count,
        version=chat.version,
        gsi1pk=CHAT_QUEUE if waiting else None,
        gsi1sk=f"{time_key(chat.created_at)}#{chat.chat_id}" if waiting else None,
    )


def _chat(record: ChatRecord) -> Chat:
    return Chat(
        chat_id=record.chat_id,
        customer_id=record.customer_id,
        category_id=record.category_id,
        status=cast(ChatStatus, record.status),
        agent_id=record.agent_id,
        opening_message=record.opening_message,
        created_at=record.created_at,
        updated_at=record.updated_at,
        closed_at=record.closed_at,
        rating=int(record.rating) if record.rating is not None else None,
        closing_comment=record.closing_comment,
        message_count=int(record.message_count),
        version=int(record.version),
    )


def _message_record(chat_id: str, message: ChatMessage) -> ChatMessageRecord:
    return ChatMessageRecord(
        pk=chat_key(chat_id),
        sk=message_key(message.message_id),
        message_id=message.message_id,
        sender=message.sender,
        sender_id=message.sender_id,
        body=message.body,
        created_at=message.created_at,
    )


def start_chat(work: db.UnitOfWork, chat: Chat, opening: ChatMessage) -> None:
    """The chat (in the queue), its opening message, and its place in the customer's list, in
    `work`; `ChatIdTaken` when the chat's id is in use."""
    taken = ChatIdTaken()
    work.put(_chat_record(chat), ChatRecord.sk.does_not_exist(), fails_with=taken)
    work.put(_message_record(chat.chat_id, opening), ChatMessageRecord.sk.does_not_exist(), fails_with=taken)
    work.put(
        CustomerChatRecord(
            pk=customer_key(chat.customer_id),
            sk=customer_chat_key(chat.created_at, chat.chat_id),
            chat_id=chat.chat_id,
        )
    )


def get_chat(chat_id: str) -> Chat | None:
    try:
        return _chat(ChatRecord.get(chat_key(chat_id), CHAT_SK, consistent_read=True))
    except DoesNotExist:
        return None


def save_chat(work: db.UnitOfWork, before: Chat, after: Chat, message: ChatMessage | None = None) -> None:
    """The chat as `after` (and the message), in `work`, if it is still at the version `before` was
    read at; `ChatMoved` when it has moved since."""
    moved = ChatMoved()
    work.put(_chat_record(after), ChatRecord.version == before.version, fails_with=moved)
    if message is not None:
        work.put(
            _message_record(after.chat_id, message), ChatMessageRecord.sk.does_not_exist(), fails_with=moved
        )


def messages(chat_id: str, after: str | None, limit: int) -> list[ChatMessage]:
    """The chat's messages after the message `after` (all of them without it), oldest first."""
    condition = (
        ChatMessageRecord.sk > message_key(after)
        if after is not None
        else ChatMessageRecord.sk.startswith("MESSAGE#")
    )
    return [
        ChatMessage(
            message_id=record.message_id,
            sender=cast(Sender, record.sender),
            sender_id=record.sender_id,
            body=record.body,
            created_at=record.created_at,
        )
        for record in ChatMessageRecord.query(chat_key(chat_id), condition, consistent_read=True, limit=limit)
    ]


def waiting_page(limit: int, start_key: dict[str, Any] | None) -> tuple[list[Chat], dict[str, Any] | None]:
    """One page of the chats waiting for an agent, oldest first."""
    records, next_key = db.page(
        ChatRecord.waiting.query,
        CHAT_QUEUE,
        None,
        limit,
        start_key,
        ("pk", "sk", "gsi1pk", "gsi1sk"),
        newest_first=False,
    )
    return [_chat(record) for record in records], next_key


def customer_page(
    customer_id: str, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[Chat], dict[str, Any] | None]:
    """One page of the customer's chats, newest first."""
    entries, next_key = db.page(
        CustomerChatRecord.query,
        customer_key(customer_id),
        CustomerChatRecord.sk.startswith("CHAT#"),
        limit,
        start_key,
        ("pk", "sk"),
        consistent_read=True,
    )
    if not entries:
        return [], None
    found = {
        record.chat_id: _chat(record)
        for record in ChatRecord.batch_get(
            [(chat_key(entry.chat_id), CHAT_SK) for entry in entries], consistent_read=True
        )
    }
    return [found[entry.chat_id] for entry in entries], next_key


# ---- erasure (workflows/rights/erasure.py) ----------------------------------------------------

ERASED = "[erased]"


def erase_chat_texts(customer_id: str, limit: int, start_key: dict[str, Any] | None) -> dict[str, Any] | None:
    """One page of the customer's chats: their opening message, closing comment and messages become
    `[erased]` (the agents' messages, the rating and the times stay, for the support records); the
    key to go on from, None after the last page. The chat's version moves, so a write decided on
    the chat as it was read before fails its condition and decides again. Idempotent."""
    entries, next_key = db.page(
        CustomerChatRecord.query,
        customer_key(customer_id),
        CustomerChatRecord.sk.startswith("CHAT#"),
        limit,
        start_key,
        ("pk", "sk"),
        consistent_read=True,
    )
    for entry in entries:
        try:
            chat = ChatRecord.get(chat_key(entry.chat_id), CHAT_SK, consistent_read=True)
        except DoesNotExist:
            continue
        actions: list[Action] = [ChatRecord.opening_message.set(ERASED), ChatRecord.version.add(1)]
        if chat.closing_comment is not None:
            actions.append(ChatRecord.closing_comment.set(ERASED))
        chat.update(actions=actions)
        for message in ChatMessageRecord.query(
            chat_key(entry.chat_id), ChatMessageRecord.sk.startswith("MESSAGE#"), consistent_read=True
        ):
            if message.sender_id == customer_id and message.body != ERASED:
                message.update(actions=[ChatMessageRecord.body.set(ERASED)])
    return next_key


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
