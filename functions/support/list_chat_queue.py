"""GET /support/chats (staff): the chats waiting for an agent, oldest first, paginated."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.schemas import Cursor, Limit
from customer_id.support.chat import service
from customer_id.support.chat.schemas import ChatPage

app = build_resolver()


@app.get("/support/chats")
def list_chat_queue(
    limit: Annotated[Limit, Query()] = 20, cursor: Annotated[Cursor | None, Query()] = None
) -> ChatPage:
    return service.chat_queue(limit, cursor)


lambda_handler = entrypoint(app, Access.STAFF)
