"""POST /customers/{customerId}/security/alerts/{alertId}/resolution: legitimate or fraud."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.security.alerts import resolution
from customer_id.security.schemas.alerts import AlertOutput
from customer_id.security.schemas.resolution import ResolutionInput

app = build_resolver()
RULES = """`fraud` puts a redemption hold. `legitimate` takes the alert's weight off the risk score; \
staff's also lifts a hold, the customer's own does not. A customer's own `legitimate` on a window rule's \
alert (`redemption_burst`, `failed_logins`) does not end the rule: when it trips again within its window \
after that alert (the activity goes on), the new alert carries the resolved alert's weight as well, so \
the score still reaches critical (85) and the hold. Resolution, hold and notification commit together."""


@app.post("/customers/<customerId>/security/alerts/<alertId>/resolution", description=RULES)
def resolve_alert(customerId: str, alertId: str, body: ResolutionInput) -> AlertOutput:
    return resolution.resolve(customerId, alertId, body.resolution, request.caller(), request.language())


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
