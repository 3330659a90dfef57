"""Demo content the local stack loads on start (and tests use): the redeemable catalog, a few
offers valid from a day ago for 90 days, and the support categories and FAQ in both languages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from customer_id import clock
from customer_id.loyalty import repository as loyalty_repository
from customer_id.loyalty.models import CatalogItem
from customer_id.offers import repository as offers_repository
from customer_id.offers.models import Offer, Targeting
from customer_id.support.categories import repository as category_repository
from customer_id.support.categories.models import Category
from customer_id.support.faq import repository as faq_repository
from customer_id.support.faq.models import FaqItem

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


SUPPORT_CATEGORIES = (
    Category(
        "orders",
        {"en": "Orders", "ar": "الطلبات"},
        {"en": "Tracking, changing or cancelling an order", "ar": "تتبع الطلب أو تعديله أو إلغاؤه"},
        1,
    ),
    Category(
        "shipping",
        {"en": "Shipping and delivery", "ar": "الشحن والتوصيل"},
        {"en": "Delivery times, fees and addresses", "ar": "مدة التوصيل ورسومه والعناوين"},
        2,
    ),
    Category(
        "returns",
        {"en": "Returns and refunds", "ar": "الإرجاع والاسترداد"},
        {"en": "Sending items back and getting your money back", "ar": "إعادة المنتجات واسترداد المبالغ"},
        3,
    ),
    Category(
        "payments",
        {"en": "Payments and invoices", "ar": "الدفع والفواتير"},
        {"en": "Payment methods, charges and invoices", "ar": "طرق الدفع والمبالغ المخصومة والفواتير"},
        4,
    ),
    Category(
        "account",
        {"en": "Account and security", "ar": "الحساب والأمان"},
        {"en": "Signing in, your profile and keeping it safe", "ar": "تسجيل الدخول وملفك الشخصي وحمايته"},
        5,
    ),
    Category(
        "loyalty",
        {"en": "Loyalty points and tiers", "ar": "نقاط الولاء والمستويات"},
        {"en": "Earning, redeeming and expiring points", "ar": "كسب النقاط واستبدالها وانتهاء صلاحيتها"},
        6,
    ),
)

# (faqId, categoryId, question, answer); the Arabic is written as people type it: with and without
# diacritics, hamza forms, ta marbuta, alef maqsura and tatweel, which the search must see through
FAQ = (
    (
        "faq-returns",
        "returns",
        {"en": "How do I return an item?", "ar": "كَيْفَ أُرْجِعُ مُنْتَجًا؟"},
        {
            "en": "You can return most items within 14 days of delivery: open your order, choose Return "
            "and print the label.",
            "ar": "يُمكنك إرجاع معظم المنتجات خلال 14 يومًا من التسليم: افتح طلبك واختر «إرجاع» ثم اطبع "
            "الملصق.",
        },
    ),
    (
        "faq-refund-time",
        "returns",
        {"en": "When will I get my refund?", "ar": "مَتَى أَسْتَلِمُ المَبْلَغَ المُسْتَرَدّ؟"},
        {
            "en": "Refunds reach your card within 5 to 10 business days after we receive the returned item.",
            "ar": "يصل المبلغ المسترد إلى بطاقتك خلال 5 إلى 10 أيام عمل بعد استلامنا للمنتج المُرجَع.",
        },
    ),
    (
        "faq-track-order",
        "orders",
        {"en": "How can I track my order?", "ar": "كيف أتتبّع طلبي؟"},
        {
            "en": "Open Orders in the app to see the shipment status and the courier's tracking link.",
            "ar": "افتح «الطلبات» في التطبيق لترى حالة الشحنة ورابط التتبع من شركة الشحن.",
        },
    ),
    (
        "faq-cancel-order",
        "orders",
        {"en": "Can I cancel an order?", "ar": "هَلْ يُمْكِنُنِي إِلْغَاءُ الطَّلَبِ؟"},
        {
            "en": "You can cancel an order from its page until it is shipped.",
            "ar": "يمكنك إلغاء الطلب من صفحته ما دام لم يُشحن بعد.",
        },
    ),
    (
        "faq-delivery-time",
        "shipping",
        {"en": "How long does delivery take?", "ar": "كم تستغرق مدة التوصيل؟"},
        {
            "en": "Deliveries take 2 to 5 business days within the country; express deliveries arrive the "
            "next day.",
            "ar": "يستغرق التوصيل من يومين إلى 5 أيام عمل داخل الدولة، ويصل الشحن السريع في اليوم التالي.",
        },
    ),
    (
        "faq-free-shipping",
        "shipping",
        {"en": "Is shipping free?", "ar": "هل الشـــحن مجاني؟"},
        {
            "en": "Shipping is free on orders of 200 SAR or more, and for Gold and Platinum members.",
            "ar": "الشحن مجاني للطلبات بقيمة 200 ريال أو أكثر، ولأعضاء المستويين الذهبي والبلاتيني.",
        },
    ),
    (
        "faq-payment-methods",
        "payments",
        {"en": "Which payment methods do you accept?", "ar": "ما طرق الدفع المتاحة؟"},
        {
            "en": "We accept credit and debit cards, Apple Pay, mada and cash on delivery.",
            "ar": "نقبل البطاقات الائتمانية وبطاقات الخصم وApple Pay ومدى والدفع عند الاستلام.",
        },
    ),
    (
        "faq-invoice",
        "payments",
        {"en": "Where can I find my invoice?", "ar": "أين أجد الفاتورة؟"},
        {
            "en": "Invoices are attached to the order confirmation email and on the order's page.",
            "ar": "تُرفق الفاتورة برسالة تأكيد الطلب، وتجدها أيضًا في صفحة الطلب.",
        },
    ),
    (
        "faq-reset-password",
        "account",
        {"en": "How do I reset my password?", "ar": "كيف أُعيد تعيين كلمة المرور؟"},
        {
            "en": "Choose Forgot password on the sign-in screen and follow the link we email you.",
            "ar": "اختر «نسيت كلمة المرور» في شاشة الدخول واتبع الرابط الذي نرسله إلى بريدك.",
        },
    ),
    (
        "faq-points-expiry",
        "loyalty",
        {"en": "When do my points expire?", "ar": "متى تنتهي صلاحية نقاطي؟"},
        {
            "en": "Points expire 12 months after you earn them, and the oldest points are used first.",
            "ar": "تنتهي صلاحية النقاط بعد 12 شهرًا من كسبها، وتُستخدم النقاط الأقدم أولًا.",
        },
    ),
    (
        "faq-tiers",
        "loyalty",
        {"en": "How do I reach a higher tier?", "ar": "كيف أنتقل إلى مستوى أعلى؟"},
        {
            "en": "Tiers follow the points you earn: Silver from 1,000, Gold from 5,000 and Platinum from "
            "15,000 lifetime points.",
            "ar": "تعتمد المستويات على النقاط التي تكسبها: الفضي من 1000 والذهبي من 5000 والبلاتيني من "
            "15000 نقطة.",
        },
    ),
)


def faq_items() -> tuple[FaqItem, ...]:
    start = clock.now()
    return tuple(
        FaqItem(faq_id, category_id, question, answer, created_at=start + timedelta(milliseconds=position))
        for position, (faq_id, category_id, question, answer) in enumerate(FAQ)
    )


def load() -> None:
    for item in CATALOG:
        loyalty_repository.put_catalog_item(item)
    for offer in offers():
        offers_repository.create_offer(offer)
    for category in SUPPORT_CATEGORIES:
        category_repository.put_category(category)
    for faq in faq_items():
        faq_repository.create_faq(faq)
