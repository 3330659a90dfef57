"""The notification dispatcher: one queue message in, the customer's notification out.

A message is delivered once however often the queue hands it over: Powertools idempotency, keyed on
the message's `messageId`, makes a redelivery (or a concurrent duplicate) a no-op. That alone does
not hold when two attempts run at once anyway (the in-progress lock expired while the first ran)
or when an attempt dies after a send and before recording it (the lock goes, the message comes
back). So each effect is once by its own condition, in the delivery record:

- the inbox item: written with the record's `inbox` mark, on the condition that it is not there;
- email and SMS: the attempt claims the channel (a conditional write holding a lease a little
  longer than the function may run) before it sends, and sends only if its claim won; it records
  the send after. An attempt that finds another's live claim fails, and its message comes back
  after the visibility timeout, to find the channel done, or the claim of an attempt that died
  expired: it sends then, so nothing is lost. A failed send gives the claim back when the message
  surely did not go out, and, when that is unknown, as the channel's rule says (email at least
  once, SMS at most once: `delivery.RESEND_WHEN_UNSURE`, which gives the SMS up).

A message that can never be delivered (no profile, an unknown template, params that do not fill
it, a malformed body) raises: its record is reported as a batch item failure, and after
`maxReceiveCount` receives the queue moves it to the dead-letter queue.

The part of a notification that quiet hours hold is put back on the queue as `<messageId>#held`
with a delay of at most 15 minutes, and comes back until the quiet hours are over. Those hops are
not recorded; the held part's final delivery is, under its own message id. Putting it back is at
least once: an attempt that dies after it and before recording `held` puts it back again when
retried, and the second copy, of the same message id, is a redelivery (it sends nothing again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from customer_id import clock, codes, idempotency
from customer_id.notifications import delivery, repository, senders, templates
from customer_id.notifications.delivery import Plan
from customer_id.notifications.schemas import OutboundChannel
from customer_id.notifications.schemas.queued import HeldDelivery, QueuedNotification
from customer_id.notifications.templates import Rendered
from customer_id.observability import logger
from customer_id.profile.models import Profile
from customer_id.profile.service import require_profile

if TYPE_CHECKING:
    from datetime import datetime

    from aws_lambda_powertools.utilities.typing import LambdaContext

KEEP_SECONDS = 7 * 24 * 3600  # longer than the queue keeps a message (4 days)
RECORD_ATTEMPTS = 3


class ChannelBusy(Exception):
    """Another attempt at this message holds a live claim on a channel: try again later."""


def dispatch(body: str, context: LambdaContext | None) -> None:
    """Deliver one queue message (its body), or raise when it can never be delivered."""
    message = QueuedNotification.model_validate_json(body)
    profile = require_profile(message.customer_id)
    zone = ZoneInfo(profile.timezone)
    templates.check(message.template, message.params, zone)
    preferences = repository.preferences(message.customer_id)
    now = clock.now()
    has_phone = profile.phone is not None
    if message.held is None:
        plan = delivery.plan(message.category, preferences, has_phone, now, zone)
    else:
        plan = delivery.plan_held(
            message.category, tuple(message.held.channels), preferences, has_phone, now, zone
        )
        if plan.quiet_until is not None:  # still quiet: a hop, not a delivery
            senders.requeue(message, delivery.hold_hop(now, plan.quiet_until))
            return
    if not (plan.inbox or plan.send or plan.held):  # a switched-off category, or no channel left
        return
    _once(message.message_id, lambda: _deliver(message, profile, zone, plan, now), context)


def _once(message_id: str, deliver: Callable[[], dict[str, Any]], context: LambdaContext | None) -> None:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function

    config = IdempotencyConfig(
        event_key_jmespath="messageId", raise_on_no_idempotency_key=True, expires_after_seconds=KEEP_SECONDS
    )
    if context is not None:
        config.register_lambda_context(context)

    @idempotent_function(
        data_keyword_argument="message",
        config=config,
        persistence_store=idempotency.persistence("notifications"),
    )
    def deliver_once(message: dict[str, str]) -> dict[str, Any]:
        return deliver()

    deliver_once(message={"messageId": message_id})


def _notification_id(at: datetime) -> str:
    # microseconds first, so that ids (and the inbox's sort keys) sort by creation time
    return f"{int(at.timestamp() * 1_000_000):014x}{codes.new_id()[:10]}"


def _deliver(
    message: QueuedNotification, profile: Profile, zone: ZoneInfo, plan: Plan, now: datetime
) -> dict[str, Any]:
    customer_id, message_id = message.customer_id, message.message_id
    done = repository.delivery(customer_id, message_id)
    notification_id = message.held.notification_id if message.held else done.notification_id
    if plan.inbox and "inbox" not in done.done:
        notification_id = _notification_id(now)
        item = repository.InboxItem(
            notification_id=notification_id,
            category=message.category,
            template=message.template,
            params=message.params,
            in_app=plan.in_app,
            created_at=now,
        )
        if not repository.write_inbox(customer_id, message_id, item):  # an attempt wrote it since we read
            notification_id = repository.delivery(customer_id, message_id).notification_id
    rendered = templates.render(message.template, message.params, profile.language, zone)
    for channel in plan.send:
        if channel in done.done:
            continue
        if not repository.claim(customer_id, message_id, channel, now):
            now_done = repository.delivery(customer_id, message_id)
            if channel in now_done.done or channel in now_done.given_up:
                continue  # another attempt sent it (or gave it up) meanwhile
            # another attempt is sending: this message comes back after the visibility timeout,
            # when that attempt has recorded the send, or has died and its claim ended
            raise ChannelBusy(f"{message_id}: {channel} is being sent by another attempt")
        try:
            _send(channel, message, profile, rendered)
        except Exception as error:
            if delivery.give_back(channel, senders.surely_not_sent(error)):
                repository.release(customer_id, message_id, channel)
            else:
                repository.give_up(customer_id, message_id, channel)
            raise
        _record_sent(customer_id, message_id, channel, notification_id)
    if plan.held and "held" not in done.done:
        assert plan.quiet_until is not None
        held = message.model_copy(
            update={
                "message_id": f"{message_id}#held",
                "held": HeldDelivery(channels=list(plan.held), notification_id=notification_id),
            }
        )
        senders.requeue(held, delivery.hold_hop(now, plan.quiet_until))
        repository.record_done(customer_id, message_id, "held")
    return {"notificationId": notification_id, "sent": list(plan.send), "held": list(plan.held)}


def _record_sent(customer_id: str, message_id: str, channel: str, notification_id: str | None) -> None:
    """Record a send that went out. It cannot be taken back, so a write refused now (throttled,
    a transient error) is tried again at once, a few times, rather than left to a redelivery that
    would send a second copy once the claim ended."""
    for attempt in range(RECORD_ATTEMPTS):
        try:
            repository.record_sent(customer_id, message_id, channel, notification_id)
            return
        except Exception:
            if attempt == RECORD_ATTEMPTS - 1:
                raise
            logger().warning("recording a send failed: trying again", extra={"messageId": message_id})


def _send(
    channel: OutboundChannel, message: QueuedNotification, profile: Profile, rendered: Rendered
) -> None:
    if channel == "email":
        senders.send_email(profile.email, rendered)
    else:
        assert profile.phone is not None
        senders.send_sms(profile.phone, rendered, promotional=message.category == "marketing")
