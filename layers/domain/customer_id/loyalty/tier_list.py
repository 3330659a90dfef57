"""GET /loyalty/tiers: the tier rules (`tiers`) in the request language."""

from __future__ import annotations

from customer_id.i18n import Language, text
from customer_id.loyalty.schemas.tiers import TierList, TierOutput
from customer_id.loyalty.tiers import TIERS
from customer_id.settings import settings


def list_tiers(language: Language) -> TierList:
    currency = settings().currency
    return TierList(
        items=[
            TierOutput(
                tier_id=tier.tier_id,
                name=text(f"tier.{tier.tier_id}", language),
                min_points=tier.min_points,
                earn_multiplier=float(tier.multiplier),
                benefits=[
                    text(
                        key,
                        language,
                        multiplier=tier.multiplier,
                        currency=currency,
                        points=tier.birthday_points,
                    )
                    for key in tier.benefits
                ],
            )
            for tier in TIERS
        ]
    )
