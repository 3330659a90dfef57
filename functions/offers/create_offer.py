"""POST /offers (admins): publish a personalized offer."""

from aws_lambda_powertools.event_handler import Response

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint
from customer_id.offers import service
from customer_id.offers.schemas import OfferInput, OfferOutput

app = build_resolver()


@app.post("/offers")
def create_offer(offer: OfferInput) -> Response[OfferOutput]:
    return created(service.create_offer(offer, request.language()))


lambda_handler = entrypoint(app, Access.ADMINS)
