"""POST /customers/{customerId}/chats: the customer opens a live chat with its first message."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.support.chat import service
from customer_id.support.chat.schemas import ChatStarted, ChatStartInput

app = build_resolver()


@app.post("/customers/<customerId>/chats", status_code=201)
def start_chat(customerId: str, chat: ChatStartInput) -> ChatStarted:
    return service.start_chat(customerId, chat)


lambda_handler = entrypoint(app, Access.SELF)
