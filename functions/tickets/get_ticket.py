"""GET /tickets/{ticketId}: the ticket and its comments (internal ones for staff only)."""

from customer_id import request
from customer_id.auth import Access, Owned
from customer_id.http import build_resolver, entrypoint
from customer_id.support.tickets import service
from customer_id.support.tickets.schemas import TicketOutput

app = build_resolver(Owned("ticketId", service.owner_of))


@app.get("/tickets/<ticketId>")
def get_ticket(ticketId: str) -> TicketOutput:
    return service.get_ticket(ticketId, request.caller())


lambda_handler = entrypoint(app, Access.OWNER | Access.STAFF)
