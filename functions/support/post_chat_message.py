"""POST /chats/{chatId}/messages: a message from the customer or an agent (the first agent takes the chat)."""

from customer_id import request
from customer_id.auth import Access, Owned
from customer_id.http import build_resolver, entrypoint
from customer_id.support.chat import service
from customer_id.support.chat.schemas import ChatMessageInput, ChatMessageOutput

app = build_resolver(Owned("chatId", service.chat_owner))


@app.post("/chats/<chatId>/messages", status_code=201)
def post_chat_message(chatId: str, message: ChatMessageInput) -> ChatMessageOutput:
    return service.post_message(chatId, message, request.caller())


lambda_handler = entrypoint(app, Access.OWNER | Access.STAFF)
