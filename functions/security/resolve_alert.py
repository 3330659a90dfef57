"""POST /customers/{customerId}/security/alerts/{alertId}/resolution: legitimate or fraud."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.security import service
from customer_id.security.schemas import AlertOutput, ResolutionInput

app = build_resolver()


@app.post("/customers/<customerId>/security/alerts/<alertId>/resolution")
def resolve_alert(customerId: str, alertId: str, body: ResolutionInput) -> AlertOutput:
    return service.resolve(customerId, alertId, body.resolution, request.caller(), request.language())


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
