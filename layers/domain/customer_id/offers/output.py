"""The fields every offer answer (`schemas.OfferOutput` and those extending it) takes from an
offer, in the request language."""

from __future__ import annotations

from typing import Any

from customer_id.i18n import Language
from customer_id.offers.models import Offer
from customer_id.offers.schemas.offer import OfferTargeting
from customer_id.settings import settings


def offer_fields(offer: Offer, language: Language) -> dict[str, Any]:
    return {
        "offer_id": offer.offer_id,
        "title": offer.title.get(language) or offer.title["en"],
        "description": offer.description.get(language) or offer.description["en"],
        "discount_type": offer.discount_type,
        "discount_value": offer.discount_value,
        "currency": settings().currency,
        "min_purchase": offer.min_purchase,
        "max_discount": offer.max_discount,
        "targeting": OfferTargeting.model_validate(
            {
                "segments": offer.targeting.segments,
                "tiers": offer.targeting.tiers,
                "new_customers_only": offer.targeting.new_customers_only,
            }
        ),
        "valid_from": offer.valid_from,
        "valid_until": offer.valid_until,
        "per_customer_limit": offer.per_customer_limit,
        "total_limit": offer.total_limit,
        "created_at": offer.created_at,
    }
