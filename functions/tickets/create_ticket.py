"""POST /customers/{customerId}/tickets: the customer opens a support ticket."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.support.tickets import service
from customer_id.support.tickets.schemas import TicketInput, TicketOutput

app = build_resolver()


@app.post("/customers/<customerId>/tickets", status_code=201)
def create_ticket(customerId: str, ticket: TicketInput) -> TicketOutput:
    return service.create_ticket(customerId, ticket)


lambda_handler = entrypoint(app, Access.SELF)
