"""POST /customers/{customerId}/purchases (admins: the order service): record a purchase."""

from customer_id.analytics.schemas.recording import PurchaseInput, PurchaseRecorded
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.workflows import purchases

app = build_resolver()


@app.post("/customers/<customerId>/purchases", status_code=201)
def record_purchase(customerId: str, purchase: PurchaseInput) -> PurchaseRecorded:
    return purchases.record_purchase(customerId, purchase)


lambda_handler = entrypoint(app, Access.ADMINS)
