"""Live chat rules: a customer opens a chat, the first agent to reply takes it, either side
closes it.

Every change reads, decides, and adds its writes to one `db.UnitOfWork` (through `repository`,
and analytics' engagement counter, and the outbox for an agent's reply). Starting, writing to and
closing a chat are operations (`customer_id.operations`, through `retry_operation`): with
Idempotency-Key, a re-execution after a failure past the commit (a 5xx, a timeout, a lost answer)
answers with the first answer and writes nothing, so a message is never posted twice. A new chat's
id derives from the operation; a message's id is its place in the chat (`m00000002`), fixed once
it is written, and the reply's notification id follows from it."""

from __future__ import annotations

from dataclasses import replace

from customer_id import clock, db, operations, pagination, queues
from customer_id.analytics import engagement
from customer_id.auth import Caller, ensure_may_see
from customer_id.errors import Conflict, Forbidden, NotFound
from customer_id.profile.service import require_profile
from customer_id.support.categories.service import require_category, retry_operation
from customer_id.support.chat import repository
from customer_id.support.chat.models import Chat, ChatMessage, message_id_of
from customer_id.support.chat.repository import ChatIdTaken, ChatMoved
from customer_id.support.chat.schemas import (
    ChatCloseInput,
    ChatMessageInput,
    ChatMessageOutput,
    ChatOutput,
    ChatPage,
    ChatStarted,
    ChatStartInput,
    ChatSummary,
)

MESSAGES_PER_READ = 100


def _summary(chat: Chat) -> ChatSummary:
    return ChatSummary(
        chat_id=chat.chat_id,
        customer_id=chat.customer_id,
        category_id=chat.category_id,
        status=chat.status,
        agent_id=chat.agent_id,
        opening_message=chat.opening_message,
        created_at=chat.created_at,
        closed_at=chat.closed_at,
        rating=chat.rating,
        comment=chat.closing_comment,
    )


def _message_output(message: ChatMessage) -> ChatMessageOutput:
    return ChatMessageOutput(
        message_id=message.message_id,
        sender=message.sender,
        body=message.body,
        created_at=message.created_at,
    )


def chat_owner(chat_id: str) -> str | None:
    """Who opened the chat (None: no such chat): how the edge finds out, before it reads the
    request's input, whether a customer may see it (`http.Owned`)."""
    chat = repository.get_chat(chat_id)
    return None if chat is None else chat.customer_id


def _visible_chat(chat_id: str, caller: Caller) -> Chat:
    """404 alike for a chat that does not exist and one the caller may not see."""
    chat = repository.get_chat(chat_id)
    if chat is None:
        raise NotFound("not_found")
    ensure_may_see(caller, chat.customer_id)
    return chat


def start_chat(customer_id: str, data: ChatStartInput) -> ChatStarted:
    require_category(data.category_id)
    require_profile(customer_id)

    def attempt(work: db.UnitOfWork) -> ChatStarted:
        now = clock.now()
        opening = ChatMessage(
            message_id=message_id_of(1),
            sender="customer",
            sender_id=customer_id,
            body=data.message,
            created_at=now,
        )
        chat = Chat(
            chat_id=operations.derive("chat"),  # random without a key: drawn again on a retry
            customer_id=customer_id,
            category_id=data.category_id,
            status="waiting",
            agent_id=None,
            opening_message=data.message,
            created_at=now,
            updated_at=now,
            closed_at=None,
            rating=None,
            closing_comment=None,
            message_count=1,
            version=1,
        )
        repository.start_chat(work, chat, opening)
        engagement.count_engagement(work, customer_id, "chats_started")
        return ChatStarted(chat_id=chat.chat_id, status="waiting", created_at=chat.created_at)

    # with a key, a taken id is this operation's own chat: the retry finds its outcome
    return retry_operation(attempt, ChatStarted, (ChatIdTaken,))


def chat_queue(limit: int, cursor: str | None) -> ChatPage:
    scope = "chat-queue"
    chats, next_cursor = pagination.listing(
        scope, cursor, lambda start: repository.waiting_page(limit, start)
    )
    return ChatPage(items=[_summary(chat) for chat in chats], next_cursor=next_cursor)


def customer_chats(customer_id: str, limit: int, cursor: str | None) -> ChatPage:
    scope = f"chats|{customer_id}"
    chats, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.customer_page(customer_id, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return ChatPage(items=[_summary(chat) for chat in chats], next_cursor=next_cursor)


def get_chat(chat_id: str, after: str | None, caller: Caller) -> ChatOutput:
    chat = _visible_chat(chat_id, caller)
    return ChatOutput(
        chat_id=chat.chat_id,
        customer_id=chat.customer_id,
        category_id=chat.category_id,
        status=chat.status,
        agent_id=chat.agent_id,
        created_at=chat.created_at,
        closed_at=chat.closed_at,
        rating=chat.rating,
        messages=[
            _message_output(message) for message in repository.messages(chat_id, after, MESSAGES_PER_READ)
        ],
    )


def post_message(chat_id: str, data: ChatMessageInput, caller: Caller) -> ChatMessageOutput:
    """A message from the customer or an agent. The first agent to reply to a waiting chat takes
    it (it becomes active and theirs); another agent's message then is a 409, as is any message to
    a closed chat."""

    def attempt(work: db.UnitOfWork) -> ChatMessageOutput:
        chat = _visible_chat(chat_id, caller)
        if chat.status == "closed":
            raise Conflict("chat_closed")
        by_agent = caller.customer_id != chat.customer_id
        if by_agent and chat.agent_id not in (None, caller.customer_id):
            raise Conflict("chat_taken")
        now = clock.now()
        message = ChatMessage(
            message_id=message_id_of(chat.message_count + 1),
            sender="agent" if by_agent else "customer",
            sender_id=caller.customer_id,
            body=data.body,
            created_at=now,
        )
        after = replace(
            chat,
            status="active" if by_agent else chat.status,
            agent_id=caller.customer_id if by_agent else chat.agent_id,
            updated_at=now,
            message_count=chat.message_count + 1,
            version=chat.version + 1,
        )
        repository.save_chat(work, chat, after, message)
        if by_agent:
            queues.notify(
                work,
                f"chat:{chat_id}:message:{message.message_id}",
                chat.customer_id,
                "support",
                "chat_agent_reply",
                chatId=chat_id,
                messageId=message.message_id,
            )
        return _message_output(message)

    return retry_operation(attempt, ChatMessageOutput, (ChatMoved,))


def close_chat(chat_id: str, data: ChatCloseInput, caller: Caller) -> ChatSummary:
    """Either side closes the chat; only the customer who opened it may rate it (403 for staff). A
    closed chat cannot be closed again (409)."""

    def attempt(work: db.UnitOfWork) -> ChatSummary:
        chat = _visible_chat(chat_id, caller)
        if data.rating is not None and caller.customer_id != chat.customer_id:
            raise Forbidden("chat_rating_owner_only")
        if chat.status == "closed":
            raise Conflict("chat_closed")
        now = clock.now()
        after = replace(
            chat,
            status="closed",
            closed_at=now,
            updated_at=now,
            rating=data.rating,
            closing_comment=data.comment,
            version=chat.version + 1,
        )
        repository.save_chat(work, chat, after)
        return _summary(after)

    return retry_operation(attempt, ChatSummary, (ChatMoved,))
