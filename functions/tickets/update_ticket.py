"""PATCH /tickets/{ticketId}: move the ticket along its status machine; staff also set priority, assignee."""

from customer_id import request
from customer_id.auth import Access, Owned
from customer_id.http import build_resolver, entrypoint
from customer_id.support.tickets import service
from customer_id.support.tickets.schemas import TicketOutput, TicketPatch

app = build_resolver(Owned("ticketId", service.owner_of))


@app.patch("/tickets/<ticketId>")
def update_ticket(ticketId: str, patch: TicketPatch) -> TicketOutput:
    return service.update_ticket(ticketId, patch, request.caller())


lambda_handler = entrypoint(app, Access.OWNER | Access.STAFF)
