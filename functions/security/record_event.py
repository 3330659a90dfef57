"""POST /customers/{customerId}/security/events (admins: the auth service): log it, queue scoring."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.security import service
from customer_id.security.schemas import SecurityEventAccepted, SecurityEventInput

app = build_resolver()


@app.post("/customers/<customerId>/security/events", status_code=202)
def record_event(customerId: str, event: SecurityEventInput) -> SecurityEventAccepted:
    return service.record_event(customerId, event)


lambda_handler = entrypoint(app, Access.ADMINS)
