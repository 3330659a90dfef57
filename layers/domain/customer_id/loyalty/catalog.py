"""GET /loyalty/catalog: the items points can be redeemed for, in the request language."""

from __future__ import annotations

from customer_id.i18n import Language
from customer_id.loyalty import repository, tiers
from customer_id.loyalty.schemas.catalog import CatalogItemOutput, CatalogList


def list_catalog(language: Language) -> CatalogList:
    items = sorted(
        repository.catalog(), key=lambda item: (tiers.rank(item.min_tier), item.points_cost, item.item_id)
    )
    return CatalogList(
        items=[
            CatalogItemOutput(
                item_id=item.item_id,
                name=item.name.get(language) or item.name["en"],
                points_cost=item.points_cost,
                min_tier=item.min_tier,
            )
            for item in items
        ]
    )
