"""Arabic and English catalogues and language negotiation.

Every text a caller reads (error titles and details, tier names, benefits) is looked up here, in the
language chosen by `negotiate`: `Accept-Language` (q-values honoured, primary subtag only), else the
caller's profile language, else English.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["ar", "en"]
LANGUAGES: tuple[Language, ...] = ("ar", "en")
DEFAULT_LANGUAGE: Language = "en"

_CATALOG: dict[str, dict[Language, str]] = {
    # problem titles, by HTTP status
    "title.400": {"en": "Invalid request", "ar": "طلب غير صالح"},
    "title.401": {"en": "Authentication required", "ar": "المصادقة مطلوبة"},
    "title.403": {"en": "Forbidden", "ar": "غير مسموح"},
    "title.404": {"en": "Not found", "ar": "غير موجود"},
    "title.405": {"en": "Method not allowed", "ar": "الطريقة غير مسموحة"},
    "title.409": {"en": "Conflict", "ar": "تعارض"},
    "title.413": {"en": "Payload too large", "ar": "حجم الطلب كبير جدًا"},
    "title.415": {"en": "Unsupported media type", "ar": "نوع المحتوى غير مدعوم"},
    "title.429": {"en": "Too many requests", "ar": "طلبات كثيرة جدًا"},
    "title.500": {"en": "Internal error", "ar": "خطأ داخلي"},
    # problem details, by error code
    "invalid_input": {
        "en": "The request is not valid: see errors for each field.",
        "ar": "الطلب غير صالح: راجع الأخطاء لكل حقل.",
    },
    "malformed_json": {"en": "The request body is not valid JSON.", "ar": "نص الطلب ليس JSON صالحًا."},
    "invalid_cursor": {
        "en": "The cursor is not valid for this list.",
        "ar": "المؤشر غير صالح لهذه القائمة.",
    },
    "invalid_idempotency_key": {
        "en": "Idempotency-Key must be 1 to 128 characters.",
        "ar": "يجب أن يكون مفتاح Idempotency-Key من 1 إلى 128 حرفًا.",
    },
    "unauthenticated": {
        "en": "A valid bearer token is required.",
        "ar": "يلزم رمز دخول صالح.",
    },
    "forbidden": {
        "en": "You may not access this resource.",
        "ar": "لا يمكنك الوصول إلى هذا المورد.",
    },
    "staff_only": {"en": "This action is for staff only.", "ar": "هذا الإجراء مخصص للموظفين فقط."},
    "admins_only": {"en": "This action is for administrators only.", "ar": "هذا الإجراء مخصص للمسؤولين فقط."},
    "route_not_found": {"en": "No such resource.", "ar": "لا يوجد مورد بهذا العنوان."},
    "method_not_allowed": {"en": "This method is not allowed here.", "ar": "هذه الطريقة غير مسموحة هنا."},
    "payload_too_large": {
        "en": "The request body is larger than 64 KiB.",
        "ar": "نص الطلب أكبر من 64 كيلوبايت.",
    },
    "unsupported_media_type": {
        "en": "The request body must be JSON.",
        "ar": "يجب أن يكون نص الطلب بصيغة JSON.",
    },
    "internal_error": {
        "en": "Something went wrong on our side. Please try again.",
        "ar": "حدث خطأ من جهتنا. يرجى المحاولة مرة أخرى.",
    },
    "idempotency_key_reused": {
        "en": "This Idempotency-Key was already used with a different request body.",
        "ar": "تم استخدام مفتاح Idempotency-Key هذا مسبقًا مع نص طلب مختلف.",
    },
    "idempotency_in_progress": {
        "en": "A request with this Idempotency-Key is still being processed.",
        "ar": "لا يزال طلب بمفتاح Idempotency-Key هذا قيد المعالجة.",
    },
    "busy": {
        "en": "The account is busy with other changes. Please retry.",
        "ar": "الحساب مشغول بتغييرات أخرى. يرجى إعادة المحاولة.",
    },
    "profile_not_found": {
        "en": "No profile exists for customer {customerId}.",
        "ar": "لا يوجد ملف شخصي للعميل {customerId}.",
    },
    "catalog_item_not_found": {
        "en": "No catalog item {itemId}.",
        "ar": "لا يوجد عنصر في الكتالوج بالمعرف {itemId}.",
    },
    "insufficient_points": {
        "en": "Not enough points: {needed} needed, {available} available.",
        "ar": "النقاط غير كافية: المطلوب {needed} والمتاح {available}.",
    },
    "tier_too_low": {
        "en": "This item needs tier {minTier} or above.",
        "ar": "يتطلب هذا العنصر المستوى {minTier} أو أعلى.",
    },
    "redemption_hold": {
        "en": "Redemptions are on hold for this account while a security review is open.",
        "ar": "عمليات الاستبدال معلقة لهذا الحساب أثناء مراجعة أمنية.",
    },
    "too_many_lots": {
        "en": "This change touches too many point lots at once; use a smaller amount.",
        "ar": "هذا التغيير يشمل دفعات نقاط كثيرة جدًا؛ استخدم مبلغًا أصغر.",
    },
    # tiers
    "tier.bronze": {"en": "Bronze", "ar": "برونزي"},
    "tier.silver": {"en": "Silver", "ar": "فضي"},
    "tier.gold": {"en": "Gold", "ar": "ذهبي"},
    "tier.platinum": {"en": "Platinum", "ar": "بلاتيني"},
    "benefit.earn_rate": {
        "en": "Earn {multiplier} points per {currency} spent",
        "ar": "اكسب {multiplier} نقطة لكل {currency} تنفقه",
    },
    "benefit.birthday": {
        "en": "{points} bonus points on your birthday",
        "ar": "{points} نقطة إضافية في عيد ميلادك",
    },
    "benefit.free_shipping": {"en": "Free standard shipping", "ar": "شحن عادي مجاني"},
    "benefit.priority_support": {"en": "Priority customer support", "ar": "أولوية في خدمة العملاء"},
    "benefit.early_access": {"en": "Early access to sales", "ar": "وصول مبكر إلى التخفيضات"},
    "benefit.dedicated_agent": {"en": "A dedicated support agent", "ar": "موظف دعم مخصص"},
}


def text(key: str, language: Language, /, **params: object) -> str:
    """The catalogue text for `key` in `language`, with `{name}` placeholders filled in."""
    entry = _CATALOG[key]
    template = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return template.format(**params) if params else template


def has_text(key: str) -> bool:
    return key in _CATALOG


def from_accept_language(header: str | None) -> Language | None:
    """The best supported language of an Accept-Language header, or None when it names none.

    Ranges are taken by q-value (default 1, ties in header order); `*` means any, and is ours first.
    """
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, rest = part.strip().partition(";")
        quality = 1.0
        for param in rest.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().split("-")[0].lower()))
    for _, _, primary in sorted(ranked):
        if primary == "*":
            return DEFAULT_LANGUAGE
        if primary in LANGUAGES:
            return primary
    return None
