"""The support table's chats: the only code that reads or writes them.

Writes that go together are added to the caller's `db.UnitOfWork`; each condition names what its
failure means: `ChatMoved` (what was read has changed: read again and decide again) or
`ChatIdTaken` (draw another id).
"""

from __future__ import annotations

from typing import Any, cast

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.update import Action

from customer_id import db
from customer_id.db import customer_key
from customer_id.support.chat.models import (
    CHAT_QUEUE,
    CHAT_SK,
    Chat,
    ChatMessage,
    ChatMessageRecord,
    ChatRecord,
    ChatStatus,
    CustomerChatRecord,
    Sender,
    chat_key,
    customer_chat_key,
    message_key,
)
from customer_id.support.models import time_key


class ChatMoved(Exception):
    """The chat changed since it was read (another message, an agent took it, it was closed): read
    it and decide again."""


class ChatIdTaken(Exception):
    """A chat already has the new chat's id: draw another one."""


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
