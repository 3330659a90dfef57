"""POST /offers (admins): publish a personalized offer."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.offers import admin
from customer_id.offers.schemas.admin import OfferInput
from customer_id.offers.schemas.offer import OfferOutput

app = build_resolver()


@app.post("/offers", status_code=201)
def create_offer(offer: OfferInput) -> OfferOutput:
    return admin.create_offer(offer, request.language())


lambda_handler = entrypoint(app, Access.ADMINS)
