"""GET /customers/{customerId}/offers/{offerId}: an offer and whether the customer may use it."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.offers import detail
from customer_id.offers.schemas.detail import OfferDetailOutput

app = build_resolver()


@app.get("/customers/<customerId>/offers/<offerId>")
def get_offer(customerId: str, offerId: str) -> OfferDetailOutput:
    return detail.get_offer(customerId, offerId, request.language())


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
