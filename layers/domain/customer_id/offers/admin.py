"""Publishing an offer (`POST /offers`, admins)."""

from __future__ import annotations

from customer_id import clock, codes
from customer_id.errors import FieldError, InvalidInput
from customer_id.i18n import Language
from customer_id.offers import repository
from customer_id.offers.models import Offer, Targeting
from customer_id.offers.output import offer_fields
from customer_id.offers.schemas.admin import OfferInput
from customer_id.offers.schemas.offer import OfferOutput


def create_offer(data: OfferInput, language: Language) -> OfferOutput:
    now = clock.now()
    if data.valid_until <= now:
        raise InvalidInput("invalid_input", errors=[FieldError("validUntil", "must be in the future")])
    targeting = data.targeting
    offer = Offer(
        offer_id=codes.new_id(),
        title=data.title.model_dump(),
        description=data.description.model_dump(),
        discount_type=data.discount_type,
        discount_value=data.discount_value,
        min_purchase=data.min_purchase,
        max_discount=data.max_discount,
        targeting=Targeting(
            segments=tuple(targeting.segments) if targeting.segments is not None else None,
            tiers=tuple(targeting.tiers) if targeting.tiers is not None else None,
            new_customers_only=targeting.new_customers_only,
        ),
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        per_customer_limit=data.per_customer_limit,
        total_limit=data.total_limit,
        created_at=now,
    )
    repository.create_offer(offer)
    return OfferOutput(**offer_fields(offer, language))
