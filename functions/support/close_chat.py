"""POST /chats/{chatId}/close: close the chat; the customer who opened it may rate it 1-5."""

from customer_id import request
from customer_id.auth import Access, Owned
from customer_id.http import build_resolver, entrypoint
from customer_id.support.chat import service
from customer_id.support.chat.schemas import ChatCloseInput, ChatSummary

app = build_resolver(Owned("chatId", service.chat_owner))


@app.post("/chats/<chatId>/close")
def close_chat(chatId: str, closing: ChatCloseInput | None = None) -> ChatSummary:
    return service.close_chat(chatId, closing or ChatCloseInput(), request.caller())


lambda_handler = entrypoint(app, Access.OWNER | Access.STAFF)
