"""Notification preferences, the inbox, and the dispatcher invoked with real SQS batch events (sent
to and received from the template's queue on moto)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends

from customer_id import clock
from customer_id.notifications import repository, senders
from local_stack.runtime import context_for
from local_stack.template import Template
from tests.clock import FrozenClock
from tests.harness import claims, handler, invoke, template
from tests.integration.helpers import DEFAULT_PREFERENCES, create_profile, problem, read

ME = "customer-notified"
NOBODY = "customer-without-profile"
REGION = "us-east-1"
PHONE = "+966501234567"

DEFAULTS = DEFAULT_PREFERENCES


def _put(body: Any, customer_id: str = ME) -> Any:
    return invoke(
        "PutNotificationPreferencesFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        body=body,
    )


def _get(customer_id: str = ME) -> Any:
    return invoke(
        "GetNotificationPreferencesFunction", path={"customerId": customer_id}, caller=claims(customer_id)
    )


def _prefs(**changes: Any) -> dict[str, Any]:
    """The defaults with some channels, categories or the quiet hours changed."""
    document = json.loads(json.dumps(DEFAULTS))
    for name, value in changes.items():
        if name == "quietHours":
            document["quietHours"] = value
        elif name in document["channels"]:
            document["channels"][name] = value
        else:
            document["categories"][name] = value
    return document


def _inbox(customer_id: str = ME, language: str = "en", **query: str) -> Any:
    return invoke(
        "ListNotificationsFunction",
        path={"customerId": customer_id},
        caller=claims(customer_id),
        query=query or None,
        headers={"Accept-Language": language},
    )


def _read(notification_id: str, customer_id: str = ME, **options: Any) -> Any:
    return invoke(
        "ReadNotificationFunction",
        path={"customerId": customer_id, "notificationId": notification_id},
        caller=claims(customer_id),
        **options,
    )


def _message(message_id: str, template_name: str = "referral_payout", **fields: Any) -> dict[str, Any]:
    params = fields.pop("params", {"points": 500})
    return {
        "messageId": message_id,
        "customerId": fields.pop("customerId", ME),
        "category": fields.pop("category", "rewards"),
        "template": template_name,
        "params": params,
        **fields,
    }


# ---- the queue and the providers, on moto ----------------------------------------------------------


def _sqs() -> Any:
    return boto3.client("sqs", region_name=REGION)


def _queue(aws: Template) -> str:
    return aws.names["NotificationsQueue"]


def _record(message: dict[str, Any], arn: str) -> dict[str, Any]:
    """The Lambda SQS event record for a received message."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message["Attributes"],
        "messageAttributes": {},
        "md5OfBody": hashlib.md5(message["Body"].encode()).hexdigest(),  # noqa: S324
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": REGION,
    }


@pytest.fixture
def queue(aws: Template) -> Callable[[], list[dict[str, Any]]]:
    """Takes what waits on the notifications queue, as event records (at most 10: a batch)."""

    def receive() -> list[dict[str, Any]]:
        received = (
            _sqs()
            .receive_message(QueueUrl=_queue(aws), MaxNumberOfMessages=10, AttributeNames=["All"])
            .get("Messages", [])
        )
        for message in received:  # taken off the queue, as a consumer that succeeded would
            _sqs().delete_message(QueueUrl=_queue(aws), ReceiptHandle=message["ReceiptHandle"])
        arn = aws.attributes[("NotificationsQueue", "Arn")]
        return [_record(message, arn) for message in received]

    return receive


@pytest.fixture
def send(aws: Template, queue: Callable[[], list[dict[str, Any]]]) -> Callable[..., list[dict[str, Any]]]:
    """Sends messages to the queue and receives them back as one batch's records."""

    def send_all(*messages: dict[str, Any] | str) -> list[dict[str, Any]]:
        for message in messages:
            body = message if isinstance(message, str) else json.dumps(message)
            _sqs().send_message(QueueUrl=_queue(aws), MessageBody=body)
        records = queue()
        assert len(records) == len(messages)
        return records

    return send_all


def _dispatch(*records: dict[str, Any]) -> set[str]:
    """Invoke the dispatcher with one batch; the SQS message ids it reports as failed."""
    function = template().function("NotificationDispatcherFunction")
    response = handler("NotificationDispatcherFunction")({"Records": list(records)}, context_for(function))
    return {failure["itemIdentifier"] for failure in response["batchItemFailures"]}


def _delayed() -> list[Any]:
    return [
        message
        for message in sqs_backends[DEFAULT_ACCOUNT_ID][REGION].queues["NotificationsQueue"]._messages
        if message.delayed
    ]


def _time_passes() -> None:
    """The delays of the messages on the queue run out."""
    for message in _delayed():
        message.delayed_until = 0


def _emails() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def _texts() -> list[tuple[str, str]]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values())


@pytest.fixture
def me() -> str:
    create_profile(ME, email="layla@example.com", phone=PHONE)
    return ME


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


# ---- preferences -----------------------------------------------------------------------------------


def test_preferences_default_until_replaced(me: str) -> None:
    assert (_get().status, _get().body) == (200, DEFAULTS)
    document = _prefs(
        sms=True, push=False, marketing=True, offers=False, quietHours={"start": "22:00", "end": "07:00"}
    )
    reply = _put(document)
    assert (reply.status, reply.body) == (200, document)
    assert _get().body == document
    # the whole document is replaced: quiet hours left out are gone
    without = {key: value for key, value in document.items() if key != "quietHours"}
    assert _put(without).body["quietHours"] is None
    assert _get().body == {**document, "quietHours": None}


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(_prefs(quietHours={"start": "22:00", "end": "22:00"}), id="empty quiet hours"),
        pytest.param(_prefs(quietHours={"start": "24:00", "end": "07:00"}), id="hour 24"),
        pytest.param(_prefs(quietHours={"start": "7:00", "end": "09:00"}), id="one-digit hour"),
        pytest.param(_prefs(quietHours={"start": "22:60", "end": "07:00"}), id="minute 60"),
        pytest.param(_prefs(quietHours={"start": "22:00"}), id="no end"),
        pytest.param(_prefs(email="yes"), id="not a boolean"),
        pytest.param({**_prefs(), "extra": True}, id="unknown field"),
        pytest.param({**_prefs(), "channels": {**DEFAULTS["channels"], "fax": True}}, id="unknown channel"),
        pytest.param({"categories": DEFAULTS["categories"]}, id="no channels"),
    ],
)
def test_invalid_preferences_are_400_and_change_nothing(me: str, document: dict[str, Any]) -> None:
    reply = _put(document)
    assert problem(reply) == (400, "/problems/invalid-input")
    assert _get().body == DEFAULTS


def test_security_off_is_400_and_changes_nothing(me: str) -> None:
    reply = _put(_prefs(security=False))
    assert problem(reply) == (400, "/problems/security-notifications-required")
    assert _get().body == DEFAULTS


def test_security_cannot_be_switched_off_explained_in_the_callers_language(me: str) -> None:
    reply = invoke(
        "PutNotificationPreferencesFunction",
        path={"customerId": ME},
        caller=claims(ME),
        body=_prefs(security=False),
        headers={"Accept-Language": "ar"},
    )
    assert problem(reply) == (400, "/problems/security-notifications-required")
    assert reply.body["errors"][0]["field"] == "categories.security"
    assert reply.body["detail"] == "لا يمكن إيقاف إشعارات الأمان."


def test_every_route_is_404_without_a_profile() -> None:
    assert problem(_get(NOBODY)) == (404, "/problems/profile-not-found")
    assert problem(_put(_prefs(), NOBODY)) == (404, "/problems/profile-not-found")
    assert problem(_inbox(NOBODY)) == (404, "/problems/profile-not-found")
    assert problem(_read("0123", NOBODY)) == (404, "/problems/profile-not-found")


def test_input_is_checked_before_existence() -> None:
    assert problem(_put(_prefs(security=False), NOBODY)) == (400, "/problems/security-notifications-required")
    assert problem(_inbox(NOBODY, unreadOnly="yes")) == (400, "/problems/invalid-input")
    assert problem(_inbox(NOBODY, cursor="forged")) == (400, "/problems/invalid-cursor")


# ---- dispatcher: preferences, channels, languages ---------------------------------------------------


def test_a_notification_goes_out_on_the_default_channels(me: str, send: Any) -> None:
    assert _dispatch(*send(_message("payout-1"))) == set()
    [email] = _emails()
    assert email.destinations["ToAddresses"] == ["layla@example.com"]
    assert email.source == "no-reply@example.com"
    assert email.subject == "Referral reward"
    assert "500 points" in email.body
    assert _texts() == []  # sms is off by default
    [item] = _inbox().body["items"]
    assert item == {
        "notificationId": item["notificationId"],
        "category": "rewards",
        "title": "Referral reward",
        "body": "You earned 500 points for a referral. Thank you for spreading the word!",
        "channels": ["email", "inApp"],  # never push: there is no push provider
        "createdAt": item["createdAt"],
        "readAt": None,
    }


def test_sms_when_switched_on_and_the_customer_has_a_phone(me: str, send: Any) -> None:
    assert _put(_prefs(sms=True, email=False, inApp=False)).status == 200
    assert _dispatch(*send(_message("payout-sms"))) == set()
    assert _emails() == []
    [(phone, text)] = _texts()
    assert phone == PHONE
    assert text.startswith("Referral reward\n")
    assert _inbox().body["items"] == []  # in-app off, not security

    create_profile("customer-no-phone")
    assert _put(_prefs(sms=True), "customer-no-phone").status == 200
    assert _dispatch(*send(_message("payout-no-phone", customerId="customer-no-phone"))) == set()
    assert len(_texts()) == 1
    [item] = _inbox("customer-no-phone").body["items"]
    assert item["channels"] == ["email", "inApp"]


def test_rendered_in_the_profile_language_when_sent_and_the_readers_in_the_inbox(
    send: Any,
) -> None:
    create_profile(ME, language="ar")
    assert (
        _dispatch(*send(_message("tier", "tier_upgrade", category="loyalty", params={"tier": "gold"})))
        == set()
    )
    [email] = _emails()
    assert email.subject == "مرحبًا بك في المستوى ذهبي!"
    assert _inbox(language="en").body["items"][0]["title"] == "Welcome to Gold!"
    assert (
        _inbox(language="ar").body["items"][0]["body"] == "لقد وصلت إلى المستوى ذهبي. استمتع بمزاياك الجديدة."
    )
    # no Accept-Language: the profile's language
    assert _inbox(language="").body["items"][0]["title"] == "مرحبًا بك في المستوى ذهبي!"


def test_a_switched_off_category_produces_nothing(me: str, send: Any, queue: Any) -> None:
    assert _put(_prefs(rewards=False, sms=True)).status == 200
    assert _dispatch(*send(_message("payout-off"))) == set()
    assert (_emails(), _texts(), _inbox().body["items"]) == ([], [], [])
    assert queue() == []
    assert _delayed() == []
    # marketing is off by default
    assert (
        _dispatch(*send(_message("promo", "tier_upgrade", category="marketing", params={"tier": "gold"})))
        == set()
    )
    assert (_emails(), _inbox().body["items"]) == ([], [])


def test_security_is_always_delivered_and_always_in_the_inbox(
    me: str, send: Any, frozen_clock: FrozenClock
) -> None:
    everything_off = _prefs(email=False, sms=False, push=False, inApp=False)
    everything_off["categories"] = dict.fromkeys(DEFAULTS["categories"], False) | {"security": True}
    assert _put(everything_off).status == 200
    alert = _message(
        "alert-1", "security_alert", category="security", params={"alertType": "x", "severity": "high"}
    )
    assert _dispatch(*send(alert)) == set()
    [item] = _inbox().body["items"]
    assert (item["category"], item["title"], item["channels"]) == ("security", "Security alert", [])
    assert "(high risk)" in item["body"]

    assert _put(_prefs(sms=True, inApp=False)).status == 200
    frozen_clock.shift(timedelta(seconds=1))  # the newest
    assert (
        _dispatch(*send(_message("alert-2", "two_factor_enabled", category="security", params={}))) == set()
    )
    assert len(_emails()) == 1
    assert len(_texts()) == 1
    newest = _inbox().body["items"][0]
    assert (newest["title"], newest["channels"]) == ("Two-factor authentication is on", ["email", "sms"])


# ---- dispatcher: once, and failures ------------------------------------------------------------------


def test_a_message_delivered_twice_has_one_effect(me: str, send: Any) -> None:
    assert _put(_prefs(sms=True)).status == 200
    [record] = send(_message("payout-twice"))
    assert _dispatch(record) == set()
    assert _dispatch(record) == set()  # the queue hands the same message over again
    assert _dispatch(*send(_message("payout-twice"))) == set()  # the producer sent it twice
    assert len(_emails()) == 1
    assert len(_texts()) == 1
    assert len(_inbox().body["items"]) == 1


def test_a_delivered_message_stays_delivered_when_the_preferences_change(me: str, send: Any) -> None:
    assert _put(_prefs(inApp=False)).status == 200
    [record] = send(_message("payout-once"))
    assert _dispatch(record) == set()
    assert _put(_prefs(sms=True)).status == 200  # in-app and SMS on now
    assert _dispatch(record) == set()
    assert (len(_emails()), len(_texts()), _inbox().body["items"]) == (1, 0, [])


def test_a_retry_after_a_partial_failure_repeats_nothing(
    me: str, send: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _put(_prefs(sms=True)).status == 200
    [record] = send(_message("payout-flaky"))

    def throttled(*args: Any, **kwargs: Any) -> None:  # SNS answered: the text surely did not go out
        raise ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "Publish")

    real_sms = senders.send_sms
    monkeypatch.setattr(senders, "send_sms", throttled)
    assert _dispatch(record) == {record["messageId"]}
    assert (len(_emails()), len(_texts())) == (1, 0)
    monkeypatch.setattr(senders, "send_sms", real_sms)
    assert _dispatch(record) == set()
    assert (len(_emails()), len(_texts())) == (1, 1)
    [item] = _inbox().body["items"]
    assert item["channels"] == ["email", "sms", "inApp"]


VISIBILITY = timedelta(seconds=61)  # the notifications queue hands a failed message over again after 60 s


def test_a_crash_between_sending_and_recording_sends_again_once_the_claim_ends(
    me: str, send: Any, monkeypatch: pytest.MonkeyPatch, frozen_clock: FrozenClock
) -> None:
    # at least once: whether the email went out is not known, and the claim of the attempt that
    # died ends before the queue hands the message over again
    [record] = send(_message("payout-crash"))
    real_record_sent = repository.record_sent

    def dies(*args: Any, **kwargs: Any) -> None:  # the email is out; the process dies before recording it
        raise RuntimeError("died after the send")

    monkeypatch.setattr(repository, "record_sent", dies)
    assert _dispatch(record) == {record["messageId"]}
    assert len(_emails()) == 1
    monkeypatch.setattr(repository, "record_sent", real_record_sent)
    assert _dispatch(record) == {record["messageId"]}  # at once: the dead attempt's claim still holds
    assert len(_emails()) == 1
    frozen_clock.shift(VISIBILITY)
    assert _dispatch(record) == set()  # redelivered after the visibility timeout: sent, and recorded
    assert _dispatch(record) == set()
    assert len(_emails()) == 2
    [item] = _inbox().body["items"]
    assert item["channels"] == ["email", "inApp"]


def test_an_attempt_that_dies_after_its_claim_loses_nothing(
    me: str, send: Any, monkeypatch: pytest.MonkeyPatch, frozen_clock: FrozenClock
) -> None:
    assert _put(_prefs(sms=True)).status == 200
    [record] = send(_message("payout-dies"))
    real_claim = repository.claim

    def dies_after_claiming(customer_id: str, message_id: str, channel: str, now: Any) -> bool:
        real_claim(customer_id, message_id, channel, now)
        raise RuntimeError("died after the claim")

    monkeypatch.setattr(repository, "claim", dies_after_claiming)
    assert _dispatch(record) == {record["messageId"]}
    monkeypatch.setattr(repository, "claim", real_claim)
    frozen_clock.shift(VISIBILITY)
    assert _dispatch(record) == set()
    assert _dispatch(record) == set()
    assert (len(_emails()), len(_texts())) == (1, 1)  # the email the dead attempt claimed went out once
    [item] = _inbox().body["items"]
    assert item["channels"] == ["email", "sms", "inApp"]


def test_a_send_that_fails_unsure_is_sent_again_by_email_and_not_by_sms(
    me: str, send: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each went out, then the answer timed out: email is at least once, SMS at most once
    assert _put(_prefs(sms=True)).status == 200
    [record] = send(_message("payout-unsure"))
    real_email, real_sms = senders.send_email, senders.send_sms

    def timed_out(real: Callable[..., None]) -> Callable[..., None]:
        def send_then_time_out(*args: Any, **kwargs: Any) -> None:
            real(*args, **kwargs)
            raise ReadTimeoutError(endpoint_url="https://provider.example")

        return send_then_time_out

    monkeypatch.setattr(senders, "send_email", timed_out(real_email))
    assert _dispatch(record) == {record["messageId"]}
    monkeypatch.setattr(senders, "send_email", real_email)
    monkeypatch.setattr(senders, "send_sms", timed_out(real_sms))
    assert _dispatch(record) == {record["messageId"]}  # email again (and recorded), then the SMS
    monkeypatch.setattr(senders, "send_sms", real_sms)
    assert _dispatch(record) == set()
    assert _dispatch(record) == set()
    assert (len(_emails()), len(_texts())) == (2, 1)
    [item] = _inbox().body["items"]
    assert item["channels"] == ["email", "inApp"]


def test_a_message_handed_over_twice_at_once_is_sent_once(
    me: str, send: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two receives of one message in flight together: the second is refused while the first runs
    (Powertools' lock: reported failed, so SQS hands it over again) and later finds it done."""
    [record] = send(_message("payout-concurrent"))
    sending, release = threading.Event(), threading.Event()
    real_email = senders.send_email

    def slow_email(*args: Any, **kwargs: Any) -> None:
        sending.set()
        assert release.wait(timeout=30)
        real_email(*args, **kwargs)

    monkeypatch.setattr(senders, "send_email", slow_email)
    first: list[set[str]] = []
    running = threading.Thread(target=lambda: first.append(_dispatch(record)))
    running.start()
    try:
        assert sending.wait(timeout=30)
        assert _dispatch(record) == {record["messageId"]}
    finally:
        release.set()
        running.join(timeout=30)
    assert first == [set()]
    assert _dispatch(record) == set()
    assert len(_emails()) == 1
    assert len(_inbox().body["items"]) == 1


def test_poison_messages_fail_alone(me: str, send: Any) -> None:
    records = send(
        _message("good-1"),
        _message("no-profile", customerId=NOBODY),
        _message("unknown-template", "no_such_template"),
        _message("missing-param", params={}),
        _message("unknown-tier", "tier_upgrade", category="loyalty", params={"tier": "diamond"}),
        "not json",
        _message("good-2", "redemption_hold", category="security", params={}),
    )
    failed = _dispatch(*records)
    assert failed == {record["messageId"] for record in records[1:6]}
    assert len(_emails()) == 2
    titles = {item["title"] for item in _inbox().body["items"]}
    assert titles == {"Referral reward", "Redemptions on hold"}


# ---- quiet hours --------------------------------------------------------------------------------------

# Asia/Riyadh is UTC+3: quiet 22:00-07:00 local is 19:00-04:00 UTC
NIGHT = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)  # 23:30 in Riyadh
BEFORE_DAWN = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 05:00 in Riyadh
MORNING = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # 07:00 in Riyadh: quiet hours are over


def test_quiet_hours_across_midnight_hold_email_and_sms_and_deliver_in_app(
    me: str, send: Any, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _put(_prefs(sms=True, quietHours={"start": "22:00", "end": "07:00"})).status == 200
    _at(monkeypatch, NIGHT)
    assert _dispatch(*send(_message("night-payout"))) == set()
    assert (_emails(), _texts()) == ([], [])
    [item] = _inbox().body["items"]
    assert item["channels"] == ["inApp"]
    [held] = _delayed()  # back on the queue, in 15 minutes at most
    body = json.loads(held.body)
    assert body["messageId"] == "night-payout#held"
    assert body["held"] == {"channels": ["email", "sms"], "notificationId": item["notificationId"]}
    assert held.delayed_until - held.sent_timestamp == pytest.approx(900_000, abs=2_000)

    _at(monkeypatch, BEFORE_DAWN)  # still quiet: it waits again, with nothing recorded
    _time_passes()
    assert _dispatch(*queue()) == set()
    assert (_emails(), _texts()) == ([], [])
    assert len(_delayed()) == 1

    _at(monkeypatch, MORNING)
    _time_passes()
    [record] = queue()
    assert _dispatch(record) == set()
    assert (len(_emails()), len(_texts())) == (1, 1)
    [item] = _inbox().body["items"]
    assert item["channels"] == ["email", "sms", "inApp"]
    assert item["createdAt"] == "2026-11-24T20:30:00.000Z"
    assert _dispatch(record) == set()  # the held part delivered twice: once
    assert (len(_emails()), len(_texts())) == (1, 1)


def test_held_channels_follow_the_preferences_when_the_quiet_hours_end(
    me: str, send: Any, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _put(_prefs(sms=True, quietHours={"start": "22:00", "end": "07:00"})).status == 200
    _at(monkeypatch, NIGHT)
    assert _dispatch(*send(_message("night-payout"))) == set()
    assert _put(_prefs(sms=False)).status == 200  # no quiet hours any more, and no SMS
    _at(monkeypatch, NIGHT + timedelta(minutes=15))
    _time_passes()
    assert _dispatch(*queue()) == set()
    assert (len(_emails()), len(_texts())) == (1, 0)


def test_outside_quiet_hours_everything_goes_out_at_once(
    me: str, send: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _put(_prefs(quietHours={"start": "22:00", "end": "07:00"})).status == 200
    _at(monkeypatch, MORNING)
    assert _dispatch(*send(_message("morning-payout"))) == set()
    assert len(_emails()) == 1


# ---- inbox ----------------------------------------------------------------------------------------------


def _deliver(send: Any, count: int) -> list[str]:
    """`count` notifications, oldest first: their ids."""
    assert _dispatch(*send(*[_message(f"payout-{n}", params={"points": n}) for n in range(count)])) == set()
    items = _inbox(limit="100").body["items"]
    return [item["notificationId"] for item in reversed(items)]


def _read_again(notification_id: str) -> Any:
    reply = _read(notification_id)
    assert reply.status == 200
    return reply.body


def _read_engagement() -> int:
    count: int = read("GetEngagementFunction", ME)["notificationsRead"]
    return count


@pytest.mark.real_clock  # one batch: the time that passes between its deliveries orders the inbox
def test_the_inbox_is_paginated_newest_first(me: str, send: Any) -> None:
    ids = _deliver(send, 5)
    bodies = [item["body"] for item in _inbox(limit="100").body["items"]]
    assert bodies == [
        f"You earned {n} points for a referral. Thank you for spreading the word!" for n in (4, 3, 2, 1, 0)
    ]
    first = _inbox(limit="2").body
    assert [item["notificationId"] for item in first["items"]] == ids[::-1][:2]
    second = _inbox(limit="2", cursor=first["nextCursor"]).body
    third = _inbox(limit="2", cursor=second["nextCursor"]).body
    seen = [item["notificationId"] for page in (first, second, third) for item in page["items"]]
    assert seen == ids[::-1]
    assert third["nextCursor"] is None


def test_unread_only_and_reading(me: str, send: Any) -> None:
    ids = _deliver(send, 3)
    read = _read(ids[1])
    assert read.status == 200
    assert read.body == {"notificationId": ids[1], "readAt": read.body["readAt"]}
    unread = _inbox(unreadOnly="true").body["items"]
    assert [item["notificationId"] for item in unread] == [ids[2], ids[0]]
    everything = _inbox(unreadOnly="false").body["items"]
    assert [item["readAt"] for item in everything] == [None, read.body["readAt"], None]
    assert _read_again(ids[1]) == read.body  # the first readAt, and counted once
    assert _read_engagement() == 1
    assert _read(ids[0], body=None).status == 200  # an empty body is fine
    assert _read_engagement() == 2


def test_unread_pages_have_their_own_cursors(me: str, send: Any) -> None:
    _deliver(send, 3)
    unread = _inbox(unreadOnly="true", limit="1").body
    everything = _inbox(unreadOnly="false", limit="1").body
    assert _inbox(unreadOnly="true", limit="1", cursor=unread["nextCursor"]).status == 200
    invalid_cursor = (400, "/problems/invalid-cursor")
    assert problem(_inbox(unreadOnly="false", limit="1", cursor=unread["nextCursor"])) == invalid_cursor
    assert problem(_inbox(unreadOnly="true", limit="1", cursor=everything["nextCursor"])) == invalid_cursor
    assert problem(_inbox(unreadOnly="true", cursor="forged")) == invalid_cursor


@pytest.mark.parametrize(
    "query", [{"unreadOnly": "yes"}, {"unreadOnly": "1"}, {"limit": "0"}, {"limit": "101"}]
)
def test_invalid_inbox_queries_are_400(me: str, query: dict[str, str]) -> None:
    assert problem(_inbox(**query)) == (400, "/problems/invalid-input")


def test_reading_an_unknown_notification_is_404_and_invalid_bodies_400(me: str, send: Any) -> None:
    [notification_id] = _deliver(send, 1)
    unknown = _read("0000000000000000000000")
    assert problem(unknown) == (404, "/problems/notification-not-found")
    assert unknown.body["detail"] == "No notification 0000000000000000000000."
    assert problem(_read(notification_id, body={"readAt": "now"})) == (400, "/problems/invalid-input")
    assert _inbox().body["items"][0]["readAt"] is None
    assert _read_engagement() == 0


def test_another_customers_notification_is_not_found(me: str, send: Any) -> None:
    [notification_id] = _deliver(send, 1)
    create_profile("customer-other")
    assert problem(_read(notification_id, "customer-other")) == (404, "/problems/notification-not-found")


def test_sample_event() -> None:
    """events/notifications/dispatch.json is a batch the dispatcher takes."""
    create_profile("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    sample = json.loads((template().path.parent / "events/notifications/dispatch.json").read_text())
    assert _dispatch(*sample["Records"]) == set()
    assert len(_emails()) == 1
