"""POST /customers/{customerId}/security/events (admins: the auth service): log it, queue scoring."""

from aws_lambda_powertools.event_handler import Response

from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint
from customer_id.security import service
from customer_id.security.schemas import SecurityEventAccepted, SecurityEventInput

app = build_resolver()


@app.post("/customers/<customerId>/security/events")
def record_event(customerId: str, event: SecurityEventInput) -> Response[SecurityEventAccepted]:
    return created(service.record_event(customerId, event), status=202)


lambda_handler = entrypoint(app, Access.ADMINS)
