"""GET /customers/{customerId}/tickets: the customer's tickets, newest first, paginated."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import PageCursor, PageSize, build_resolver, entrypoint
from customer_id.support.tickets import service
from customer_id.support.tickets.schemas import Status, TicketPage

app = build_resolver()


@app.get("/customers/<customerId>/tickets")
def list_tickets(
    customerId: str,
    status: Annotated[Status | None, Query()] = None,
    limit: PageSize = 20,
    cursor: PageCursor = None,
) -> TicketPage:
    return service.list_tickets(customerId, status, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
