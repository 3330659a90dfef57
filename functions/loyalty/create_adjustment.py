"""POST /customers/{customerId}/loyalty/adjustments (admins): credit or debit points by hand."""

from aws_lambda_powertools.event_handler import Response

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint
from customer_id.loyalty import service
from customer_id.loyalty.schemas import AdjustmentInput, TransactionOutput

app = build_resolver()


@app.post("/customers/<customerId>/loyalty/adjustments")
def create_adjustment(customerId: str, adjustment: AdjustmentInput) -> Response[TransactionOutput]:
    admin = request.caller()
    return created(service.adjust(customerId, adjustment.points, adjustment.reason, admin.customer_id))


lambda_handler = entrypoint(app, Access.ADMINS)
