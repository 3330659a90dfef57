"""One offer for a customer (`GET /customers/{id}/offers/{offerId}`): what is left of it for them,
and whether they may apply it now."""

from __future__ import annotations

from customer_id import clock
from customer_id.i18n import Language, text
from customer_id.offers import repository
from customer_id.offers.output import offer_fields
from customer_id.offers.schemas.detail import OfferDetailOutput, OfferEligibility
from customer_id.offers.service import Customer, refusal, remaining_uses, require_offer
from customer_id.profile.service import require_profile


def get_offer(customer_id: str, offer_id: str, language: Language) -> OfferDetailOutput:
    """The offer, what is left of it for the customer, and whether they may apply it now and why not."""
    profile = require_profile(customer_id)
    offer = require_offer(offer_id)
    used = repository.uses(customer_id, offer)
    refused = refusal(offer, Customer(profile), used, clock.now())
    return OfferDetailOutput(
        **offer_fields(offer, language),
        remaining_uses=remaining_uses(offer, used),
        eligibility=OfferEligibility(
            eligible=refused is None,
            reason=text(refused.code, language, **refused.params) if refused is not None else None,
        ),
    )
