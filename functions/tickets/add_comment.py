"""POST /tickets/{ticketId}/comments: a comment by the owner or staff (internal notes: staff only)."""

from customer_id import request
from customer_id.auth import Access, Owned
from customer_id.http import build_resolver, entrypoint
from customer_id.support.tickets import service
from customer_id.support.tickets.schemas import TicketCommentInput, TicketCommentOutput

app = build_resolver(Owned("ticketId", service.owner_of))


@app.post(
    "/tickets/<ticketId>/comments",
    status_code=201,
    description="A ticket holds at most 50 comments, so that reading it stays bounded: one more is 409 "
    "`too-many-comments` (open a new ticket).",
)
def add_comment(ticketId: str, comment: TicketCommentInput) -> TicketCommentOutput:
    return service.add_comment(ticketId, comment, request.caller())


lambda_handler = entrypoint(app, Access.OWNER | Access.STAFF)
