"""Notification rules without AWS: quiet-hours arithmetic, the delivery plan, the preferences
document, and the template catalogue against every producer in the code."""

from __future__ import annotations

import ast
import inspect
import string
from datetime import UTC, datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from customer_id import queues
from customer_id.errors import InvalidInput
from customer_id.i18n import LANGUAGES
from customer_id.notifications import delivery, preferences, templates
from customer_id.notifications.models import DEFAULT_PREFERENCES, Preferences
from customer_id.notifications.schemas.preferences import NotificationPreferences

RIYADH = ZoneInfo("Asia/Riyadh")  # UTC+3, no daylight saving
BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = (time(22, 0), time(7, 0))
LAYER = Path(__file__).parents[2] / "layers" / "domain"


def _preferences(quiet_hours: tuple[time, time] | None = None, **switches: bool) -> Preferences:
    return Preferences(
        channels=MappingProxyType(
            {name: switches.get(name, value) for name, value in DEFAULT_PREFERENCES.channels.items()}
        ),
        categories=MappingProxyType(
            {name: switches.get(name, value) for name, value in DEFAULT_PREFERENCES.categories.items()}
        ),
        quiet_hours=quiet_hours,
    )


# ---- quiet hours ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (time(21, 59), False),
        (time(22, 0), True),  # the start is quiet
        (time(23, 59), True),
        (time(0, 0), True),  # across midnight
        (time(6, 59), True),
        (time(7, 0), False),  # the end is not
        (time(12, 0), False),
    ],
)
def test_quiet_hours_across_midnight(moment: time, quiet: bool) -> None:
    assert delivery.in_quiet_hours(moment, *NIGHT) is quiet


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (time(12, 59), False),
        (time(13, 0), True),
        (time(14, 59), True),
        (time(15, 0), False),
        (time(2, 0), False),
    ],
)
def test_quiet_hours_within_a_day(moment: time, quiet: bool) -> None:
    assert delivery.in_quiet_hours(moment, time(13, 0), time(15, 0)) is quiet


@pytest.mark.parametrize(
    ("now", "ends"),
    [
        # 23:30 in Riyadh: the quiet hours end at 07:00 tomorrow, 04:00 UTC
        (datetime(2026, 11, 24, 20, 30, tzinfo=UTC), datetime(2026, 11, 25, 4, 0, tzinfo=UTC)),
        # 02:00 in Riyadh, after midnight: 07:00 the same day
        (datetime(2026, 11, 24, 23, 0, tzinfo=UTC), datetime(2026, 11, 25, 4, 0, tzinfo=UTC)),
        # 21:00 UTC is 00:00 in Riyadh
        (datetime(2026, 11, 24, 21, 0, tzinfo=UTC), datetime(2026, 11, 25, 4, 0, tzinfo=UTC)),
        # 18:59 UTC is 21:59 in Riyadh (not quiet yet), though 22:00 UTC would be quiet elsewhere
        (datetime(2026, 11, 24, 18, 59, tzinfo=UTC), None),
        (datetime(2026, 11, 25, 4, 0, tzinfo=UTC), None),
    ],
)
def test_quiet_hours_end_in_the_customers_timezone(now: datetime, ends: datetime | None) -> None:
    assert delivery.quiet_hours_end(now, RIYADH, NIGHT) == ends


def test_quiet_hours_end_over_a_daylight_saving_change() -> None:
    # Berlin leaves summer time on 25 October 2026: 07:00 that morning is 06:00 UTC, not 05:00
    now = datetime(2026, 10, 24, 21, 0, tzinfo=UTC)  # 23:00 summer time
    assert delivery.quiet_hours_end(now, BERLIN, NIGHT) == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)


def test_no_quiet_hours_is_never_quiet() -> None:
    assert delivery.quiet_hours_end(datetime(2026, 11, 24, 23, 0, tzinfo=UTC), RIYADH, None) is None


@pytest.mark.parametrize(
    ("left_seconds", "hop"), [(0.2, 1), (1.5, 2), (600, 600), (900, 900), (3 * 3600, 900)]
)
def test_a_held_part_waits_until_the_end_but_at_most_15_minutes_a_hop(left_seconds: float, hop: int) -> None:
    now = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    assert delivery.hold_hop(now, datetime.fromtimestamp(now.timestamp() + left_seconds, UTC)) == hop


# ---- the delivery plan --------------------------------------------------------------------------------

DAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # 12:00 in Riyadh
NIGHT_TIME = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)  # 23:30 in Riyadh


def _plan(
    category: str = "rewards", has_phone: bool = True, now: datetime = DAY, **options: Any
) -> delivery.Plan:
    return delivery.plan(category, _preferences(**options), has_phone, now, RIYADH)


def test_defaults_send_email_and_write_the_inbox() -> None:
    assert _plan() == delivery.Plan(send=("email",), held=(), quiet_until=None, inbox=True, in_app=True)


def test_sms_needs_the_switch_and_a_phone() -> None:
    assert _plan(sms=True).send == ("email", "sms")
    assert _plan(sms=True, has_phone=False).send == ("email",)


def test_a_switched_off_category_sends_nothing() -> None:
    assert _plan(rewards=False, sms=True) == delivery.Plan(
        send=(), held=(), quiet_until=None, inbox=False, in_app=False
    )
    assert _plan("marketing").inbox is False  # off by default


def test_security_cannot_be_switched_off_and_is_always_in_the_inbox() -> None:
    everything_off = {
        name: False for name in (*DEFAULT_PREFERENCES.channels, *DEFAULT_PREFERENCES.categories)
    }
    plan = _plan("security", **everything_off)
    assert plan == delivery.Plan(send=(), held=(), quiet_until=None, inbox=True, in_app=False)
    assert _plan("security", security=False, sms=True).send == ("email", "sms")


def test_in_app_off_keeps_other_categories_out_of_the_inbox() -> None:
    plan = _plan(inApp=False)
    assert (plan.inbox, plan.send) == (False, ("email",))


def test_push_is_never_sent() -> None:
    assert "push" not in _plan(push=True, sms=True).send


def test_quiet_hours_hold_email_and_sms_but_not_the_inbox() -> None:
    plan = _plan(now=NIGHT_TIME, quiet_hours=NIGHT, sms=True)
    assert plan == delivery.Plan(
        send=(),
        held=("email", "sms"),
        quiet_until=datetime(2026, 11, 25, 4, 0, tzinfo=UTC),
        inbox=True,
        in_app=True,
    )
    assert _plan(now=DAY, quiet_hours=NIGHT).send == ("email",)


def test_the_held_part_waits_while_quiet_then_follows_the_preferences() -> None:
    quiet = _preferences(quiet_hours=NIGHT, sms=True)
    still = delivery.plan_held("rewards", ("email", "sms"), quiet, True, NIGHT_TIME, RIYADH)
    assert (still.send, still.held) == ((), ("email", "sms"))
    over = delivery.plan_held("rewards", ("email", "sms"), quiet, True, DAY, RIYADH)
    assert (over.send, over.held, over.inbox) == (("email", "sms"), (), False)
    sms_off = _preferences(quiet_hours=NIGHT, sms=False)
    assert delivery.plan_held("rewards", ("email", "sms"), sms_off, True, DAY, RIYADH).send == ("email",)
    category_off = _preferences(rewards=False)
    assert delivery.plan_held("rewards", ("email",), category_off, True, NIGHT_TIME, RIYADH).send == ()


# ---- the preferences document ---------------------------------------------------------------------------

DOCUMENT: dict[str, Any] = {
    "channels": {"email": True, "sms": False, "push": True, "inApp": True},
    "categories": {
        "loyalty": True,
        "offers": True,
        "rewards": True,
        "security": True,
        "support": True,
        "marketing": False,
    },
    "quietHours": {"start": "22:00", "end": "07:00"},
}


@pytest.mark.parametrize(
    "quiet_hours",
    [
        {"start": "22:00", "end": "22:00"},
        {"start": "24:00", "end": "07:00"},
        {"start": "22:00", "end": "7:00"},
        {"start": "22:00", "end": "07:00:00"},
        {"start": "22:00", "end": "07:00", "timezone": "UTC"},
        {"start": "22:00"},
    ],
)
def test_bad_quiet_hours_are_invalid(quiet_hours: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        NotificationPreferences.model_validate({**DOCUMENT, "quietHours": quiet_hours})


@pytest.mark.parametrize("value", ["true", 1, None])
def test_switches_are_booleans(value: Any) -> None:
    with pytest.raises(ValidationError):
        NotificationPreferences.model_validate(
            {**DOCUMENT, "channels": {**DOCUMENT["channels"], "sms": value}}
        )


def test_a_document_without_quiet_hours_has_none() -> None:
    document = {key: value for key, value in DOCUMENT.items() if key != "quietHours"}
    assert NotificationPreferences.model_validate(document).quiet_hours is None
    assert NotificationPreferences.model_validate(DOCUMENT).model_dump(by_alias=True) == DOCUMENT


def test_security_off_is_refused_before_anything_is_read() -> None:
    document = NotificationPreferences.model_validate(
        {**DOCUMENT, "categories": {**DOCUMENT["categories"], "security": False}}
    )
    with pytest.raises(InvalidInput) as refused:
        preferences.put_preferences("customer-1", document)  # no profile read: sockets are blocked here
    assert refused.value.code == "security_notifications_required"


# ---- the template catalogue -------------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# where `queues.notify` takes its template among its positional arguments
TEMPLATE_AT = list(inspect.signature(queues.notify).parameters).index("template")


def _producers() -> list[tuple[str, str, set[str] | None]]:
    """Every `notify(...)` call in the layer with a literal template name: (where, template, the
    params it passes, or None when it passes `**params`)."""
    found = []
    for path in sorted(LAYER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name != "notify":
                continue
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            template = node.args[TEMPLATE_AT] if len(node.args) > TEMPLATE_AT else keywords.get("template")
            if isinstance(template, ast.Constant) and isinstance(template.value, str):
                params = None if None in keywords else {str(key) for key in keywords} - {"template"}
                found.append((f"{path.relative_to(LAYER)}:{node.lineno}", template.value, params))
    return found


def test_the_scan_finds_the_producers() -> None:
    found = [(template, params) for _, template, params in _producers()]
    assert ("referral_payout", {"points"}) in found


def test_every_template_a_producer_sends_is_in_the_catalogue() -> None:
    missing = [
        f"{where}: {template}" for where, template, _ in _producers() if template not in templates.TEMPLATES
    ]
    assert not missing, "notify() with a template the catalogue lacks (add it to notifications/templates.py)"


def test_every_producer_passes_the_params_its_template_shows() -> None:
    for where, name, params in _producers():
        template = templates.TEMPLATES.get(name)
        if template is None or params is None:
            continue
        shown = set().union(
            *(_placeholders(text) for text in (*template.title.values(), *template.body.values()))
        )
        assert shown <= params, f"{where}: {name} needs {sorted(shown - params)}"


@pytest.mark.parametrize("name", sorted(templates.TEMPLATES))
def test_every_template_has_both_languages_with_the_same_placeholders(name: str) -> None:
    template = templates.TEMPLATES[name]
    for texts in (template.title, template.body):
        assert set(texts) == set(LANGUAGES)
        assert _placeholders(texts["ar"]) == _placeholders(texts["en"])
        assert texts["ar"] != texts["en"]
    assert set(template.values) <= _placeholders(template.title["en"]) | _placeholders(template.body["en"])


SAMPLE_PARAMS: dict[str, dict[str, Any]] = {
    "tier_upgrade": {"tier": "gold"},
    "points_expiring": {"points": 120, "expiresAt": "2026-06-19T21:30:00.000Z"},
    "points_refunded": {"points": 300, "voucherCode": "ABCD-EFGH-JKMN"},
    "points_reversed": {"points": 150, "balance": 40},
    "points_reversed_debt": {"points": 150, "debt": 100},
    "referral_payout": {"points": 500},
    "special_date_reward": {
        "rewardId": "r1",
        "occasion": "birthday",
        "points": 250,
        "claimBy": "2026-12-24T21:30:00.000Z",
    },
    "security_alert": {"alertType": "redemption_burst", "severity": "critical"},
    "two_factor_enabled": {},
    "two_factor_disabled": {},
    "redemption_hold": {},
    "ticket_status_changed": {
        "ticketId": "t1",
        "subject": "Late delivery",
        "previousStatus": "in_progress",
        "status": "waiting_on_customer",
    },
    "ticket_agent_reply": {"ticketId": "t1", "subject": "Late delivery", "commentId": "c1"},
    "chat_agent_reply": {"chatId": "c1", "messageId": "m1"},
}


def test_every_template_renders() -> None:
    assert set(SAMPLE_PARAMS) == set(templates.TEMPLATES)
    for name, params in SAMPLE_PARAMS.items():
        templates.check(name, params, RIYADH)


def test_localized_params() -> None:
    reward = templates.render("special_date_reward", SAMPLE_PARAMS["special_date_reward"], "ar", RIYADH)
    assert reward.title == "هدية بمناسبة عيد ميلادك"
    assert reward.body == "بانتظارك 250 نقطة. اطلبها حتى 2026-12-25."  # the claim date in Riyadh
    english = templates.render(
        "special_date_reward", SAMPLE_PARAMS["special_date_reward"], "en", ZoneInfo("UTC")
    )
    assert english.body == "250 points are waiting for you. Claim them by 2026-12-24."
    assert (
        templates.render("tier_upgrade", {"tier": "platinum"}, "ar", RIYADH).title
        == "مرحبًا بك في المستوى بلاتيني!"
    )
    expiring = templates.render("points_expiring", SAMPLE_PARAMS["points_expiring"], "ar", RIYADH)
    assert expiring.body == "تنتهي صلاحية 120 من نقاطك في 2026-06-20. استخدمها قبل ذلك."  # Riyadh's date
    assert (
        templates.render("points_expiring", SAMPLE_PARAMS["points_expiring"], "en", ZoneInfo("UTC")).body
        == "120 of your points expire on 2026-06-19. Use them before then."
    )
    alert = templates.render("security_alert", SAMPLE_PARAMS["security_alert"], "en", RIYADH)
    assert "(critical risk)" in alert.body


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("no_such_template", {}),
        ("referral_payout", {}),
        ("tier_upgrade", {"tier": "diamond"}),
        ("security_alert", {"alertType": "x", "severity": "extreme"}),
        ("special_date_reward", {**SAMPLE_PARAMS["special_date_reward"], "claimBy": "2026-12-24"}),
        ("special_date_reward", {**SAMPLE_PARAMS["special_date_reward"], "claimBy": "soon"}),
    ],
)
def test_messages_that_cannot_be_rendered_are_template_errors(name: str, params: dict[str, Any]) -> None:
    with pytest.raises(templates.TemplateError):
        templates.check(name, params, RIYADH)


# ---- sending once: what a failed send gives back ---------------------------------------------------


def test_a_failed_send_gives_its_claim_back_when_surely_not_sent_or_when_email() -> None:
    from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

    from customer_id.notifications import senders
    from customer_id.notifications.delivery import give_back

    refused = ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "SendEmail")
    never_left = EndpointConnectionError(endpoint_url="https://email.example")
    unsure = ReadTimeoutError(endpoint_url="https://email.example")
    assert [senders.surely_not_sent(error) for error in (refused, never_left, unsure, RuntimeError())] == [
        True,
        True,
        False,
        False,
    ]
    # surely not sent: both channels send again; unsure: email at least once, SMS at most once
    assert [give_back(channel, True) for channel in ("email", "sms")] == [True, True]
    assert [give_back(channel, False) for channel in ("email", "sms")] == [True, False]
