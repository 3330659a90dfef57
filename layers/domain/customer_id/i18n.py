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
    # analytics, segments
    "duplicate_order": {
        "en": "Order {orderId} was already recorded for this customer.",
        "ar": "تم تسجيل الطلب {orderId} لهذا العميل مسبقًا.",
    },
    "occurred_in_future": {
        "en": "occurredAt may not be in the future.",
        "ar": "لا يمكن أن يكون occurredAt في المستقبل.",
    },
    "segment_not_found": {"en": "No segment {segmentId}.", "ar": "لا توجد شريحة بالمعرف {segmentId}."},
    "segment.champions": {"en": "Champions", "ar": "الأبطال"},
    "segment.champions.description": {
        "en": "Bought recently, buy often and spend the most.",
        "ar": "اشتروا مؤخرًا ويشترون كثيرًا وينفقون أكثر.",
    },
    "segment.loyal": {"en": "Loyal", "ar": "الأوفياء"},
    "segment.loyal.description": {
        "en": "Buy often and keep coming back.",
        "ar": "يشترون كثيرًا ويعودون دائمًا.",
    },
    "segment.potential_loyalist": {"en": "Potential loyalists", "ar": "أوفياء محتملون"},
    "segment.potential_loyalist.description": {
        "en": "Recent customers with a few purchases: on their way to loyalty.",
        "ar": "عملاء جدد نسبيًا ولديهم بضع مشتريات: في طريقهم إلى الولاء.",
    },
    "segment.new": {"en": "New", "ar": "جدد"},
    "segment.new.description": {
        "en": "Joined or made a first purchase recently.",
        "ar": "انضموا أو أجروا أول عملية شراء مؤخرًا.",
    },
    "segment.promising": {"en": "Promising", "ar": "واعدون"},
    "segment.promising.description": {
        "en": "One purchase a while ago: worth a second nudge.",
        "ar": "عملية شراء واحدة منذ فترة: يستحقون تذكيرًا ثانيًا.",
    },
    "segment.need_attention": {"en": "Need attention", "ar": "بحاجة إلى اهتمام"},
    "segment.need_attention.description": {
        "en": "Regular buyers whose visits are slowing down.",
        "ar": "مشترون منتظمون بدأت زياراتهم تقل.",
    },
    "segment.at_risk": {"en": "At risk", "ar": "معرضون للفقد"},
    "segment.at_risk.description": {
        "en": "Bought often, but not for a long time.",
        "ar": "اشتروا كثيرًا لكن ليس منذ مدة طويلة.",
    },
    "segment.cant_lose": {"en": "Can't lose them", "ar": "لا يمكن خسارتهم"},
    "segment.cant_lose.description": {
        "en": "Big, frequent spenders who have gone quiet.",
        "ar": "كبار المنفقين الدائمين الذين توقفوا مؤخرًا.",
    },
    "segment.hibernating": {"en": "Hibernating", "ar": "خاملون"},
    "segment.hibernating.description": {
        "en": "Few purchases, long ago, or none since joining.",
        "ar": "مشتريات قليلة منذ زمن، أو لا شيء منذ الانضمام.",
    },
    "segment.lost": {"en": "Lost", "ar": "مفقودون"},
    "segment.lost.description": {
        "en": "Have not bought for a very long time.",
        "ar": "لم يشتروا منذ وقت طويل جدًا.",
    },
    "segment_benefit.vip_support.title": {"en": "VIP support line", "ar": "خط دعم لكبار العملاء"},
    "segment_benefit.vip_support.description": {
        "en": "Skip the queue with a dedicated support line.",
        "ar": "تجاوز الانتظار عبر خط دعم مخصص.",
    },
    "segment_benefit.early_access.title": {"en": "Early access", "ar": "وصول مبكر"},
    "segment_benefit.early_access.description": {
        "en": "Shop sales a day before everyone else.",
        "ar": "تسوق التخفيضات قبل الجميع بيوم.",
    },
    "segment_benefit.double_points_day.title": {"en": "Double points day", "ar": "يوم النقاط المضاعفة"},
    "segment_benefit.double_points_day.description": {
        "en": "One day a month with double points on every purchase.",
        "ar": "يوم في الشهر بنقاط مضاعفة على كل عملية شراء.",
    },
    "segment_benefit.free_shipping.title": {"en": "Free shipping", "ar": "شحن مجاني"},
    "segment_benefit.free_shipping.description": {
        "en": "Free standard shipping on your orders.",
        "ar": "شحن عادي مجاني على طلباتك.",
    },
    "segment_benefit.win_back_gift.title": {"en": "A gift to welcome you back", "ar": "هدية بمناسبة عودتك"},
    "segment_benefit.win_back_gift.description": {
        "en": "A special gift on your next order.",
        "ar": "هدية خاصة مع طلبك القادم.",
    },
    "segment_benefit.welcome_offer.title": {"en": "Welcome offer", "ar": "عرض ترحيبي"},
    "segment_benefit.welcome_offer.description": {
        "en": "A discount to get you started.",
        "ar": "خصم لتبدأ رحلتك معنا.",
    },
    "segment_benefit.personal_offer.title": {"en": "Personal offer", "ar": "عرض شخصي"},
    "segment_benefit.personal_offer.description": {
        "en": "Offers picked for what you like.",
        "ar": "عروض مختارة بحسب ما تحب.",
    },
    "segment_benefit.second_order_offer.title": {"en": "Second order offer", "ar": "عرض الطلب الثاني"},
    "segment_benefit.second_order_offer.description": {
        "en": "A discount on your second order.",
        "ar": "خصم على طلبك الثاني.",
    },
    "segment_benefit.reactivation_offer.title": {"en": "We miss you", "ar": "اشتقنا إليك"},
    "segment_benefit.reactivation_offer.description": {
        "en": "A discount to come back and shop again.",
        "ar": "خصم لتعود وتتسوق مجددًا.",
    },
    # offers
    "offer_not_found": {"en": "No offer {offerId}.", "ar": "لا يوجد عرض بالمعرف {offerId}."},
    "offer_not_yet_valid": {
        "en": "This offer starts at {validFrom}.",
        "ar": "يبدأ هذا العرض في {validFrom}.",
    },
    "offer_expired": {"en": "This offer ended at {validUntil}.", "ar": "انتهى هذا العرض في {validUntil}."},
    "offer_tier_not_eligible": {
        "en": "This offer is for other loyalty tiers.",
        "ar": "هذا العرض مخصص لمستويات ولاء أخرى.",
    },
    "offer_segment_not_eligible": {
        "en": "This offer is for other customer segments.",
        "ar": "هذا العرض مخصص لشرائح عملاء أخرى.",
    },
    "offer_new_customers_only": {
        "en": "This offer is only for new customers, before their first purchase.",
        "ar": "هذا العرض مخصص للعملاء الجدد فقط قبل أول عملية شراء.",
    },
    "offer_customer_limit_reached": {
        "en": "This offer can be used {limit} time(s) per customer, and all of them have been used.",
        "ar": "يمكن استخدام هذا العرض {limit} مرة لكل عميل، وقد استُنفدت جميعها.",
    },
    "offer_total_limit_reached": {
        "en": "This offer has reached its limit of {limit} uses.",
        "ar": "بلغ هذا العرض الحد الأقصى لاستخداماته وهو {limit}.",
    },
    "offer_below_minimum": {
        "en": "This offer needs an order of at least {minPurchase} {currency}.",
        "ar": "يتطلب هذا العرض طلبًا لا تقل قيمته عن {minPurchase} {currency}.",
    },
    "offer_order_already_applied": {
        "en": "This offer was already applied to order {orderId}.",
        "ar": "تم تطبيق هذا العرض على الطلب {orderId} مسبقًا.",
    },
    "offer_busy": {
        "en": "This offer is in high demand right now. Please retry.",
        "ar": "هذا العرض عليه طلب كبير الآن. يرجى إعادة المحاولة.",
    },
    # security
    "alert_not_found": {"en": "No alert {alertId}.", "ar": "لا يوجد تنبيه بالمعرف {alertId}."},
    "alert_already_resolved": {
        "en": "This alert is already resolved.",
        "ar": "تمت معالجة هذا التنبيه مسبقًا.",
    },
    "invalid_code": {
        "en": "The code is wrong or was already used.",
        "ar": "الرمز غير صحيح أو تم استخدامه مسبقًا.",
    },
    "two_factor_already_enabled": {
        "en": "Two-factor authentication is already on.",
        "ar": "المصادقة الثنائية مفعلة بالفعل.",
    },
    "two_factor_not_enrolled": {
        "en": "Enroll first, then verify a code.",
        "ar": "سجّل أولًا ثم تحقق من الرمز.",
    },
    "two_factor_not_enabled": {
        "en": "Two-factor authentication is off.",
        "ar": "المصادقة الثنائية غير مفعلة.",
    },
    "alert.redemption_burst": {
        "en": "{count} redemptions within 10 minutes.",
        "ar": "{count} عمليات استبدال خلال 10 دقائق.",
    },
    "alert.large_purchase": {
        "en": "A purchase of {amount}, far above the usual order.",
        "ar": "عملية شراء بقيمة {amount}، أعلى بكثير من الطلب المعتاد.",
    },
    "alert.new_device_foreign_country": {
        "en": "A sign-in from a new device in {country}, soon after a sign-in elsewhere.",
        "ar": "تسجيل دخول من جهاز جديد في {country} بعد وقت قصير من تسجيل دخول في مكان آخر.",
    },
    "alert.failed_logins": {
        "en": "{count} failed sign-ins within 15 minutes.",
        "ar": "{count} محاولات دخول فاشلة خلال 15 دقيقة.",
    },
    "alert.referral_shared_device": {
        "en": "A referral from someone using the same device or network.",
        "ar": "إحالة من شخص يستخدم الجهاز أو الشبكة نفسها.",
    },
    "alert.customer_report_account_takeover": {
        "en": "You reported that someone else used your account.",
        "ar": "أبلغت أن شخصًا آخر استخدم حسابك.",
    },
    "alert.customer_report_unrecognized_transaction": {
        "en": "You reported a transaction you do not recognize.",
        "ar": "أبلغت عن معاملة لا تعرفها.",
    },
    "alert.customer_report_phishing": {
        "en": "You reported a phishing attempt.",
        "ar": "أبلغت عن محاولة تصيد.",
    },
    "alert.customer_report_other": {"en": "You reported a security concern.", "ar": "أبلغت عن مشكلة أمنية."},
    "recommendation.enable_two_factor": {
        "en": "Turn on two-factor authentication.",
        "ar": "فعّل المصادقة الثنائية.",
    },
    "recommendation.review_alerts": {
        "en": "Review your {count} open security alerts.",
        "ar": "راجع تنبيهاتك الأمنية المفتوحة ({count}).",
    },
    "recommendation.contact_support": {
        "en": "Redemptions are on hold: contact support to lift the hold.",
        "ar": "عمليات الاستبدال معلقة: تواصل مع الدعم لرفع التعليق.",
    },
    "recommendation.change_password": {"en": "Change your password.", "ar": "غيّر كلمة المرور."},
    "referral_rejected": {"en": "The referral was rejected.", "ar": "تم رفض الإحالة."},
    # referrals
    "referral_code_not_found": {"en": "No referral code {code}.", "ar": "لا يوجد رمز إحالة {code}."},
    "own_referral_code": {
        "en": "You cannot use your own referral code.",
        "ar": "لا يمكنك استخدام رمز الإحالة الخاص بك.",
    },
    "already_referred": {
        "en": "A referral code was already applied to this account.",
        "ar": "تم تطبيق رمز إحالة على هذا الحساب مسبقًا.",
    },
    "referral_too_late": {
        "en": "Referral codes can only be applied within {days} days of joining.",
        "ar": "لا يمكن تطبيق رموز الإحالة إلا خلال {days} يومًا من الانضمام.",
    },
    # notifications
    "security_notifications_required": {
        "en": "Security notifications cannot be switched off.",
        "ar": "لا يمكن إيقاف إشعارات الأمان.",
    },
    "notification_not_found": {
        "en": "No notification {notificationId}.",
        "ar": "لا يوجد إشعار بالمعرف {notificationId}.",
    },
    # special-date rewards
    "birthday_already_set": {
        "en": "Your birthday is already set. Please contact support to correct it.",
        "ar": "تم تعيين تاريخ ميلادك مسبقًا. يرجى التواصل مع الدعم لتصحيحه.",
    },
    "reward_not_found": {"en": "No reward {rewardId}.", "ar": "لا توجد مكافأة بالمعرف {rewardId}."},
    "reward_already_claimed": {
        "en": "Reward {rewardId} was already claimed.",
        "ar": "تمت المطالبة بالمكافأة {rewardId} مسبقًا.",
    },
    "reward_expired": {
        "en": "Reward {rewardId} could be claimed until {claimBy}.",
        "ar": "كان بالإمكان المطالبة بالمكافأة {rewardId} حتى {claimBy}.",
    },
    # support: categories, FAQ, tickets, chats
    "unknown_support_category": {
        "en": "No support category {categoryId}: see GET /support/categories.",
        "ar": "لا توجد فئة دعم بالمعرف {categoryId}: راجع GET /support/categories.",
    },
    "faq_not_found": {"en": "No FAQ item {faqId}.", "ar": "لا يوجد سؤال شائع بالمعرف {faqId}."},
    "support_busy": {
        "en": "This item is being changed by someone else right now. Please retry.",
        "ar": "يجري تعديل هذا العنصر من شخص آخر الآن. يرجى إعادة المحاولة.",
    },
    "ticket_move_impossible": {
        "en": "A ticket cannot move from {current} to {target}.",
        "ar": "لا يمكن نقل التذكرة من الحالة {current} إلى الحالة {target}.",
    },
    "ticket_move_staff_only": {
        "en": "Only support staff can move a ticket from {current} to {target}.",
        "ar": "موظفو الدعم وحدهم يمكنهم نقل التذكرة من الحالة {current} إلى الحالة {target}.",
    },
    "ticket_reopen_window_passed": {
        "en": "A resolved ticket can be reopened within {days} days of its resolution; open a new ticket.",
        "ar": "يمكن إعادة فتح التذكرة المحلولة خلال {days} أيام من حلها؛ افتح تذكرة جديدة.",
    },
    "ticket_fields_staff_only": {
        "en": "Only support staff can change a ticket's priority or assignee.",
        "ar": "موظفو الدعم وحدهم يمكنهم تغيير أولوية التذكرة أو المسؤول عنها.",
    },
    "ticket_internal_staff_only": {
        "en": "Only support staff can write internal notes.",
        "ar": "موظفو الدعم وحدهم يمكنهم كتابة الملاحظات الداخلية.",
    },
    "ticket_closed": {
        "en": "This ticket is closed and takes no more changes; open a new ticket.",
        "ar": "هذه التذكرة مغلقة ولا تقبل أي تغيير؛ افتح تذكرة جديدة.",
    },
    "ticket_busy": {
        "en": "This ticket is being changed by someone else right now. Please retry.",
        "ar": "يجري تعديل هذه التذكرة من شخص آخر الآن. يرجى إعادة المحاولة.",
    },
    "chat_closed": {
        "en": "This chat is closed; start a new chat.",
        "ar": "هذه المحادثة مغلقة؛ ابدأ محادثة جديدة.",
    },
    "chat_taken": {
        "en": "Another agent is already handling this chat.",
        "ar": "يتولى موظف آخر هذه المحادثة بالفعل.",
    },
    "chat_rating_owner_only": {
        "en": "Only the customer who opened the chat can rate it.",
        "ar": "العميل الذي بدأ المحادثة هو وحده من يمكنه تقييمها.",
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
