"""GET /chats/{chatId}: the chat and its messages, only those after the message `after` if given."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id import request
from customer_id.auth import Access, Owned
from customer_id.http import build_resolver, entrypoint
from customer_id.support.chat import service
from customer_id.support.chat.schemas import ChatOutput, MessageId

app = build_resolver(Owned("chatId", service.chat_owner))


@app.get("/chats/<chatId>")
def get_chat(
    chatId: str, after: Annotated[MessageId | None, Query(description="A messageId of this chat")] = None
) -> ChatOutput:
    return service.get_chat(chatId, after, request.caller())


lambda_handler = entrypoint(app, Access.OWNER | Access.STAFF)
