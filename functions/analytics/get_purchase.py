"""GET /customers/{customerId}/purchases/{purchaseId}: the purchase with its returns."""

from customer_id.analytics import purchases
from customer_id.analytics.schemas.purchases import PurchaseDetail
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint

app = build_resolver()


@app.get("/customers/<customerId>/purchases/<purchaseId>")
def get_purchase(customerId: str, purchaseId: str) -> PurchaseDetail:
    return purchases.get_purchase(customerId, purchaseId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
