"""Demo content the local stack loads on start (and tests use): the redeemable catalog."""

from __future__ import annotations

from customer_id.loyalty import repository as loyalty_repository
from customer_id.loyalty.models import CatalogItem

CATALOG = (
    CatalogItem("coffee-voucher", {"en": "Coffee voucher", "ar": "قسيمة قهوة"}, 300, "bronze"),
    CatalogItem(
        "free-shipping", {"en": "Free shipping on one order", "ar": "شحن مجاني لطلب واحد"}, 500, "bronze"
    ),
    CatalogItem(
        "voucher-50", {"en": "50 SAR store voucher", "ar": "قسيمة شرائية بقيمة 50 ريالًا"}, 2_000, "silver"
    ),
    CatalogItem("lounge-pass", {"en": "Airport lounge pass", "ar": "تذكرة دخول صالة المطار"}, 4_000, "gold"),
    CatalogItem("premium-gift-box", {"en": "Premium gift box", "ar": "صندوق هدايا فاخر"}, 10_000, "platinum"),
)


def load() -> None:
    for item in CATALOG:
        loyalty_repository.put_catalog_item(item)
