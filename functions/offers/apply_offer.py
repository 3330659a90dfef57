"""POST /customers/{customerId}/offers/{offerId}/applications: take an offer's discount off an order."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.offers import applications
from customer_id.offers.schemas.applications import OfferApplicationInput, OfferApplicationOutput

app = build_resolver()


@app.post("/customers/<customerId>/offers/<offerId>/applications", status_code=201)
def apply_offer(customerId: str, offerId: str, application: OfferApplicationInput) -> OfferApplicationOutput:
    return applications.apply(customerId, offerId, application)


lambda_handler = entrypoint(app, Access.SELF)
