"""POST /customers/{customerId}/purchases (admins: the order service): record a purchase."""

from aws_lambda_powertools.event_handler import Response

from customer_id.analytics import purchases
from customer_id.analytics.schemas import PurchaseInput, PurchaseRecorded
from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint

app = build_resolver()


@app.post("/customers/<customerId>/purchases")
def record_purchase(customerId: str, purchase: PurchaseInput) -> Response[PurchaseRecorded]:
    return created(purchases.record_purchase(customerId, purchase))


lambda_handler = entrypoint(app, Access.ADMINS)
