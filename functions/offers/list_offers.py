"""GET /customers/{customerId}/offers: the active offers the customer may use, best value first."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.offers import listing
from customer_id.offers.schemas.customer import CustomerOfferList

app = build_resolver()


@app.get("/customers/<customerId>/offers")
def list_offers(customerId: str) -> CustomerOfferList:
    return listing.list_offers(customerId, request.language())


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
