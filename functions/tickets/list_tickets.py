"""GET /customers/{customerId}/tickets: the customer's tickets, newest first, paginated."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.schemas import Cursor, Limit
from customer_id.support.tickets import service
from customer_id.support.tickets.schemas import TicketPage
from customer_id.support.tickets.workflow import Status

app = build_resolver()


@app.get("/customers/<customerId>/tickets")
def list_tickets(
    customerId: str,
    status: Annotated[Status | None, Query()] = None,
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> TicketPage:
    return service.list_tickets(customerId, status, limit, cursor)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
