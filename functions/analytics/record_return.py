"""POST /customers/{customerId}/purchases/{purchaseId}/returns (admins: the order service): a return."""

from customer_id.analytics.schemas.returns import ReturnInput, ReturnRecorded
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.workflows import returns

app = build_resolver()


@app.post("/customers/<customerId>/purchases/<purchaseId>/returns", status_code=201)
def record_return(customerId: str, purchaseId: str, data: ReturnInput) -> ReturnRecorded:
    return returns.record_return(customerId, purchaseId, data)


lambda_handler = entrypoint(app, Access.ADMINS)
