"""FAQ search without storage: the normalization of Arabic and English text, the search terms, and
the BM25 ranking of FAQ items."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from customer_id.support.faq.models import FaqItem
from customer_id.support.faq.search.index import Analyzer, FaqIndex, normalize

NOW = datetime(2026, 6, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("كَيْفَ أُرْجِعُ مُنْتَجًا", "كيف ارجع منتجا"),  # tashkeel, and أ
        ("إلغاء", "الغاء"),
        ("آخر", "اخر"),
        ("ٱلطلب", "الطلب"),  # alef wasla
        ("فاتورة", "فاتوره"),
        ("متى", "متي"),
        ("الشـــحن", "الشحن"),  # tatweel
        ("المُسْتَرَدّ", "المسترد"),  # shadda and sukun
        ("ﻻ", "لا"),  # a presentation-form ligature
        ("١٢٣ ۴۵", "123 45"),  # Arabic-Indic and Eastern Arabic-Indic digits
        ("Refunds AND Returns", "refunds and returns"),
    ],
)
def test_normalize(written: str, normalized: str) -> None:
    assert normalize(written) == normalized


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("refund", "Refunds"),
        ("delivery", "deliveries"),
        ("box", "boxes"),
        ("password", "PASSWORDS"),
        ("إلغاء الطلب", "الغاء طلب"),
        ("الفاتورة", "فاتوره"),  # ة or ه, with or without the article
        ("الفاتوره", "فاتورة"),
        ("كلمة المرور", "كلمه مرور"),
        ("مُسْتَشْفَى", "مستشفي"),
        ("الشـــحن", "شحن"),
    ],
)
def test_variants_give_the_same_terms(one: str, other: str) -> None:
    analyzer = Analyzer()
    assert analyzer.terms(one) == analyzer.terms(other)


def test_words_that_differ_stay_apart() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("refund") != analyzer.terms("return")
    assert analyzer.terms("الشحن") != analyzer.terms("الطلب")
    assert analyzer.terms("2fa mada") == ["2fa", "mada"]


def item(
    faq_id: str, question_en: str, answer_en: str, question_ar: str = "سؤال", answer_ar: str = "جواب"
) -> FaqItem:
    return FaqItem(
        faq_id=faq_id,
        category_id="orders",
        question={"en": question_en, "ar": question_ar},
        answer={"en": answer_en, "ar": answer_ar},
        created_at=NOW,
    )


ITEMS = [
    item("shipping", "Is shipping free?", "Shipping is free on orders over 200.", "هل الشحن مجاني؟"),
    item("refund", "When will I get my refund?", "Refunds take 5 to 10 days.", "متى أستلم المبلغ المسترد؟"),
    item("track", "How can I track my order?", "Open Orders to see your shipment.", "كيف أتتبع طلبي؟"),
    item("invoice", "Where is my invoice?", "Invoices are attached to the email.", "أين أجد الفاتورة؟"),
]


def test_the_best_match_comes_first() -> None:
    index = FaqIndex(ITEMS)
    matches = index.search("refunds", 10)
    assert [match.item.faq_id for match in matches] == ["refund"]
    assert matches[0].score > 0
    # a question match outweighs an answer-only match
    orders = index.search("orders", 10)
    assert [match.item.faq_id for match in orders] == ["track", "shipping"]
    assert orders[0].score > orders[1].score


def test_either_language_finds_an_item() -> None:
    index = FaqIndex(ITEMS)
    assert index.search("الفاتوره", 10)[0].item.faq_id == "invoice"
    assert index.search("مَتَى اَسْتَلِمُ المُسْتَرَدّ", 10)[0].item.faq_id == "refund"
    assert index.search("الشـحن", 10)[0].item.faq_id == "shipping"


def test_at_most_the_limit_and_only_matches() -> None:
    many = [item(f"faq-{number}", f"Order question {number}", "About orders.") for number in range(15)]
    index = FaqIndex(many)
    matches = index.search("order", 10)
    assert len(matches) == 10
    assert [match.item.faq_id for match in matches] == [
        f"faq-{number}" for number in range(10)
    ]  # ties: in order
    assert index.search("zebra", 10) == []
    assert index.search("?!", 10) == []
    assert FaqIndex([]).search("order", 10) == []
