"""Demo content the local stack loads on start (and tests use): the redeemable catalog and a few
offers, valid from a day ago for 90 days."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from customer_id import clock
from customer_id.loyalty import repository as loyalty_repository
from customer_id.loyalty.models import CatalogItem
from customer_id.offers import repository as offers_repository
from customer_id.offers.models import Offer, Targeting

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

OFFER_EVERYONE = "demo-everyone"
OFFER_SILVER_PLUS = "demo-silver-plus"
OFFER_WELCOME = "demo-welcome"
OFFER_LOYAL = "demo-loyal"


def offers() -> tuple[Offer, ...]:
    now = clock.now().replace(microsecond=0)
    starts, ends = now - timedelta(days=1), now + timedelta(days=90)
    return (
        Offer(
            offer_id=OFFER_EVERYONE,
            title={"en": "10% off your order", "ar": "خصم 10٪ على طلبك"},
            description={
                "en": "10% off any order, up to 50 SAR, three times.",
                "ar": "خصم 10٪ على أي طلب بحد أقصى 50 ريالًا، ثلاث مرات.",
            },
            discount_type="percent",
            discount_value=Decimal(10),
            min_purchase=None,
            max_discount=Decimal(50),
            targeting=Targeting(),
            per_customer_limit=3,
            total_limit=None,
            valid_from=starts,
            valid_until=ends,
            created_at=now,
        ),
        Offer(
            offer_id=OFFER_SILVER_PLUS,
            title={
                "en": "15% off for Silver members and above",
                "ar": "خصم 15٪ لأعضاء المستوى الفضي فما فوق",
            },
            description={
                "en": "15% off orders of 100 SAR or more, up to 150 SAR.",
                "ar": "خصم 15٪ على الطلبات من 100 ريال فأكثر، بحد أقصى 150 ريالًا.",
            },
            discount_type="percent",
            discount_value=Decimal(15),
            min_purchase=Decimal(100),
            max_discount=Decimal(150),
            targeting=Targeting(tiers=("silver", "gold", "platinum")),
            per_customer_limit=2,
            total_limit=1_000,
            valid_from=starts,
            valid_until=ends,
            created_at=now,
        ),
        Offer(
            offer_id=OFFER_WELCOME,
            title={"en": "25 SAR off your first order", "ar": "خصم 25 ريالًا على طلبك الأول"},
            description={
                "en": "For new customers, on a first order of 100 SAR or more.",
                "ar": "للعملاء الجدد، على أول طلب بقيمة 100 ريال أو أكثر.",
            },
            discount_type="fixed",
            discount_value=Decimal(25),
            min_purchase=Decimal(100),
            max_discount=None,
            targeting=Targeting(new_customers_only=True),
            per_customer_limit=1,
            total_limit=None,
            valid_from=starts,
            valid_until=ends,
            created_at=now,
        ),
        Offer(
            offer_id=OFFER_LOYAL,
            title={"en": "20% off for our most loyal customers", "ar": "خصم 20٪ لعملائنا الأوفى"},
            description={
                "en": "Thank you for shopping with us: 20% off, up to 200 SAR.",
                "ar": "شكرًا لتسوقك معنا: خصم 20٪ بحد أقصى 200 ريال.",
            },
            discount_type="percent",
            discount_value=Decimal(20),
            min_purchase=None,
            max_discount=Decimal(200),
            targeting=Targeting(segments=("loyal", "champions")),
            per_customer_limit=1,
            total_limit=500,
            valid_from=starts,
            valid_until=ends,
            created_at=now,
        ),
    )


def load() -> None:
    for item in CATALOG:
        loyalty_repository.put_catalog_item(item)
    for offer in offers():
        offers_repository.create_offer(offer)
