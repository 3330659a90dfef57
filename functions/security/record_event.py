"""POST /customers/{customerId}/security/events (admins: the auth service): log it, queue scoring."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.security.events import recording
from customer_id.security.schemas.event_input import SecurityEventAccepted, SecurityEventInput

app = build_resolver()


@app.post("/customers/<customerId>/security/events", status_code=202)
def record_event(customerId: str, event: SecurityEventInput) -> SecurityEventAccepted:
    return recording.record_event(customerId, event)


lambda_handler = entrypoint(app, Access.ADMINS)
