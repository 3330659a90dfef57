"""POST /customers/{customerId}/loyalty/adjustments (admins): credit or debit points by hand."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.loyalty import adjustments
from customer_id.loyalty.schemas.adjustments import AdjustmentInput
from customer_id.loyalty.schemas.transactions import TransactionOutput

app = build_resolver()


@app.post("/customers/<customerId>/loyalty/adjustments", status_code=201)
def create_adjustment(customerId: str, adjustment: AdjustmentInput) -> TransactionOutput:
    admin = request.caller()
    return adjustments.adjust(customerId, adjustment.points, adjustment.reason, admin.customer_id)


lambda_handler = entrypoint(app, Access.ADMINS)
