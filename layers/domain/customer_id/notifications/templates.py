"""The ar/en catalogue of every notification a feature sends with `queues.notify(...)`.

A template's `{name}` placeholders are filled from the message's params; a param listed in `values`
is shown localized (a tier id becomes the tier's name, an instant a date in the customer's
timezone). A producer's template must be here: a unit test scans the code for `notify(` calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from customer_id import i18n
from customer_id.i18n import LANGUAGES, Language

Localize = Callable[[Any, Language, ZoneInfo], str]


class TemplateError(ValueError):
    """An unknown template, or params that do not fill it: the message can never be delivered."""


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


@dataclass(frozen=True)
class NotificationTemplate:
    title: Mapping[Language, str]
    body: Mapping[Language, str]
    values: Mapping[str, Localize] = field(default_factory=dict)


def _choice(texts: Mapping[str, Mapping[Language, str]]) -> Localize:
    def localize(value: Any, language: Language, zone: ZoneInfo) -> str:
        return texts[str(value)][language]

    return localize


def _tier(value: Any, language: Language, zone: ZoneInfo) -> str:
    return i18n.text(f"tier.{value}", language)


def _local_date(value: Any, language: Language, zone: ZoneInfo) -> str:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"{value} has no UTC offset")
    return moment.astimezone(zone).date().isoformat()


_SEVERITY: dict[str, dict[Language, str]] = {
    "low": {"en": "low", "ar": "منخفضة"},
    "medium": {"en": "medium", "ar": "متوسطة"},
    "high": {"en": "high", "ar": "عالية"},
    "critical": {"en": "critical", "ar": "حرجة"},
}
_OCCASION: dict[str, dict[Language, str]] = {
    "birthday": {"en": "your birthday", "ar": "عيد ميلادك"},
    "anniversary": {"en": "your membership anniversary", "ar": "ذكرى انضمامك"},
}
_TICKET_STATUS: dict[str, dict[Language, str]] = {
    "open": {"en": "open", "ar": "مفتوحة"},
    "in_progress": {"en": "in progress", "ar": "قيد المعالجة"},
    "waiting_on_customer": {"en": "waiting for your reply", "ar": "بانتظار ردك"},
    "resolved": {"en": "resolved", "ar": "تم حلها"},
    "closed": {"en": "closed", "ar": "مغلقة"},
}

TEMPLATES: dict[str, NotificationTemplate] = {
    # loyalty
    "tier_upgrade": NotificationTemplate(
        title={"en": "Welcome to {tier}!", "ar": "مرحبًا بك في المستوى {tier}!"},
        body={
            "en": "You have reached the {tier} tier. Enjoy your new benefits.",
            "ar": "لقد وصلت إلى المستوى {tier}. استمتع بمزاياك الجديدة.",
        },
        values={"tier": _tier},
    ),
    "points_expiring": NotificationTemplate(
        title={"en": "Points expiring soon", "ar": "نقاط ستنتهي صلاحيتها قريبًا"},
        body={
            "en": "{points} of your points expire on {expiresAt}. Use them before then.",
            "ar": "تنتهي صلاحية {points} من نقاطك في {expiresAt}. استخدمها قبل ذلك.",
        },
        values={"expiresAt": _local_date},
    ),
    "points_refunded": NotificationTemplate(
        title={"en": "Redemption cancelled", "ar": "تم إلغاء الاستبدال"},
        body={
            "en": "Your voucher {voucherCode} is cancelled and no longer valid; "
            "its {points} points are back in your account.",
            "ar": "تم إلغاء قسيمتك {voucherCode} ولم تعد صالحة، وأعيدت نقاطها البالغة {points} إلى حسابك.",
        },
    ),
    "points_reversed": NotificationTemplate(
        title={"en": "Points taken back for a return", "ar": "استرجاع نقاط بسبب إرجاع"},
        body={
            "en": "{points} points were taken back because items of your order were returned. "
            "Your balance is now {balance} points.",
            "ar": "تم استرجاع {points} نقطة بسبب إرجاع منتجات من طلبك. رصيدك الآن {balance} نقطة.",
        },
    ),
    "points_reversed_debt": NotificationTemplate(
        title={"en": "Points taken back for a return", "ar": "استرجاع نقاط بسبب إرجاع"},
        body={
            "en": "{points} points were taken back because items of your order were returned. "
            "Your balance did not cover {debt} of them: they will come off the points you earn next.",
            "ar": "تم استرجاع {points} نقطة بسبب إرجاع منتجات من طلبك. لم يغطِّ رصيدك {debt} منها: "
            "ستُخصم من النقاط التي تكسبها لاحقًا.",
        },
    ),
    # rewards
    "referral_payout": NotificationTemplate(
        title={"en": "Referral reward", "ar": "مكافأة الإحالة"},
        body={
            "en": "You earned {points} points for a referral. Thank you for spreading the word!",
            "ar": "ربحت {points} نقطة مقابل إحالة. شكرًا لك على نشر الكلمة!",
        },
    ),
    "special_date_reward": NotificationTemplate(
        title={"en": "A gift for {occasion}", "ar": "هدية بمناسبة {occasion}"},
        body={
            "en": "{points} points are waiting for you. Claim them by {claimBy}.",
            "ar": "بانتظارك {points} نقطة. اطلبها حتى {claimBy}.",
        },
        values={"occasion": _choice(_OCCASION), "claimBy": _local_date},
    ),
    # security
    "security_alert": NotificationTemplate(
        title={"en": "Security alert", "ar": "تنبيه أمني"},
        body={
            "en": "We noticed unusual activity on your account ({severity} risk). "
            "Please review your security alerts.",
            "ar": "لاحظنا نشاطًا غير معتاد على حسابك (خطورة {severity}). يرجى مراجعة تنبيهاتك الأمنية.",
        },
        values={"severity": _choice(_SEVERITY)},
    ),
    "two_factor_enabled": NotificationTemplate(
        title={"en": "Two-factor authentication is on", "ar": "تم تفعيل المصادقة الثنائية"},
        body={
            "en": "Two-factor authentication was turned on for your account. "
            "If this wasn't you, contact support right away.",
            "ar": "تم تفعيل المصادقة الثنائية لحسابك. إذا لم تكن أنت من قام بذلك، تواصل مع الدعم فورًا.",
        },
    ),
    "two_factor_disabled": NotificationTemplate(
        title={"en": "Two-factor authentication is off", "ar": "تم إيقاف المصادقة الثنائية"},
        body={
            "en": "Two-factor authentication was turned off for your account. "
            "If this wasn't you, contact support right away.",
            "ar": "تم إيقاف المصادقة الثنائية لحسابك. إذا لم تكن أنت من قام بذلك، تواصل مع الدعم فورًا.",
        },
    ),
    "redemption_hold": NotificationTemplate(
        title={"en": "Redemptions on hold", "ar": "استبدال النقاط معلّق"},
        body={
            "en": "Point redemptions are on hold while we review recent activity on your account. "
            "Our team will be in touch.",
            "ar": "تم تعليق استبدال النقاط أثناء مراجعتنا لنشاط حديث على حسابك. سيتواصل معك فريقنا.",
        },
    ),
    # support
    "ticket_status_changed": NotificationTemplate(
        title={"en": "Your ticket was updated", "ar": "تم تحديث تذكرتك"},
        body={
            "en": 'Your support ticket "{subject}" is now {status}.',
            "ar": "حالة تذكرة الدعم «{subject}» الآن: {status}.",
        },
        values={"status": _choice(_TICKET_STATUS)},
    ),
    "ticket_agent_reply": NotificationTemplate(
        title={"en": "New reply on your ticket", "ar": "رد جديد على تذكرتك"},
        body={
            "en": 'Our support team replied to your ticket "{subject}". Open it to read the reply.',
            "ar": "رد فريق الدعم على تذكرتك «{subject}». افتحها لقراءة الرد.",
        },
    ),
    "chat_agent_reply": NotificationTemplate(
        title={"en": "New message in your chat", "ar": "رسالة جديدة في محادثتك"},
        body={
            "en": "A support agent replied in your chat. Open it to continue the conversation.",
            "ar": "رد موظف الدعم في محادثتك. افتحها لمتابعة المحادثة.",
        },
    ),
}


def render(name: str, params: Mapping[str, Any], language: Language, zone: ZoneInfo) -> Rendered:
    template = TEMPLATES.get(name)
    if template is None:
        raise TemplateError(f"unknown notification template {name!r}")
    try:
        values = {
            key: template.values[key](value, language, zone) if key in template.values else value
            for key, value in params.items()
        }
        return Rendered(
            title=template.title[language].format(**values), body=template.body[language].format(**values)
        )
    except (KeyError, ValueError) as error:
        raise TemplateError(f"params {dict(params)} do not fill template {name!r}: {error!r}") from error


def check(name: str, params: Mapping[str, Any], zone: ZoneInfo) -> None:
    """Render in every language: a message that passes can be shown to anyone, at any later time."""
    for language in LANGUAGES:
        render(name, params, language, zone)
