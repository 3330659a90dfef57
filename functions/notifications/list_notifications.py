"""GET /customers/{customerId}/notifications: the inbox, newest first, in the caller's language."""

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import PageCursor, PageSize, build_resolver, entrypoint, language
from customer_id.notifications import inbox
from customer_id.notifications.schemas.inbox import NotificationPage

app = build_resolver()


@app.get("/customers/<customerId>/notifications")
def list_notifications(
    customerId: str,
    unreadOnly: Annotated[Literal["true", "false"], Query(description="`true`: only unread items")] = "false",
    limit: PageSize = 20,
    cursor: PageCursor = None,
) -> NotificationPage:
    return inbox.list_notifications(customerId, unreadOnly == "true", limit, cursor, language())


lambda_handler = entrypoint(app, Access.SELF)
