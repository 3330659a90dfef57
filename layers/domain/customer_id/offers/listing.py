"""A customer's offers (`GET /customers/{id}/offers`): the active ones they may use, best value first."""

from __future__ import annotations

from customer_id import clock
from customer_id.i18n import Language
from customer_id.offers import repository
from customer_id.offers.models import Offer
from customer_id.offers.output import offer_fields
from customer_id.offers.schemas.customer import CustomerOfferList, CustomerOfferOutput
from customer_id.offers.service import Customer, best_first, refusal, remaining_uses
from customer_id.profile.service import require_profile


def list_offers(customer_id: str, language: Language) -> CustomerOfferList:
    """The active offers the customer is eligible for with uses left, best value first."""
    profile = require_profile(customer_id)
    now = clock.now()
    customer = Customer(profile)
    uses = repository.uses_of_offers_valid_after(customer_id, now)
    remaining: dict[str, int] = {}
    eligible: list[Offer] = []
    for offer in repository.offers_valid_after(now):
        used = uses.get(offer.offer_id, 0)
        if refusal(offer, customer, used, now) is None:
            eligible.append(offer)
            remaining[offer.offer_id] = remaining_uses(offer, used)
    ranked = best_first(eligible, customer.average_order_value) if eligible else []
    return CustomerOfferList(
        items=[
            CustomerOfferOutput(**offer_fields(offer, language), remaining_uses=remaining[offer.offer_id])
            for offer in ranked
        ]
    )
