"""GET /customers/{customerId}/chats: the customer's chats, newest first, paginated."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.schemas import Cursor, Limit
from customer_id.support.chat import service
from customer_id.support.chat.schemas import ChatPage

app = build_resolver()


@app.get("/customers/<customerId>/chats")
def list_customer_chats(
    customerId: str, limit: Annotated[Limit, Query()] = 20, cursor: Annotated[Cursor | None, Query()] = None
) -> ChatPage:
    return service.customer_chats(customerId, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
