"""The dispatcher's delivery rules: which channels a notification goes out on now, which wait for the
end of the customer's quiet hours, and whether it is written to the inbox. Pure: no I/O.

- A switched-off category sends nothing; `security` cannot be switched off.
- Email and SMS go through providers (SMS only to a customer with a phone number). There is no push
  provider in this stack: `push` is never sent, and never listed in a notification's `channels`.
- The inbox item is written when `inApp` is on, and for `security` always.
- During quiet hours (local times in the customer's timezone; `start` after `end` crosses midnight)
  only the inbox is written, for every category (API.md makes no exception for `security`); email
  and SMS are held until the quiet hours end, and then go out on the channels the preferences allow
  at that time.

Email and SMS go out once per message and channel: an attempt claims the channel before it sends
(a lease that outlasts the dispatcher's timeout and ends before the queue hands the message over
again), and an attempt that finds a live claim does not send (the dispatcher: it tries again
later). A send that surely failed (the provider refused it, or it never left) gives the claim back,
so the redelivered message sends it: nothing is lost to a throttle. Where it is not known whether
the message went out, each channel makes its own choice (`RESEND_WHEN_UNSURE`):

- email: at least once. A send that failed without saying (a timeout, a dropped connection) gives
  the claim back and is sent again: a second copy of an email is a small harm, a lost security
  email a large one.
- SMS: at most once. Such a failure gives the channel up: the text is not sent again, because a
  second SMS costs and disturbs, and what it says is in the inbox (security: always) and the email.

An attempt that dies between its claim and recording the send (the process ends: nothing gives the
claim back) leaves a claim that expires: the redelivered message sends again. Nothing is lost; a
copy is sent twice only when the process died after the provider took it and before the record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from customer_id.notifications.models import Preferences
from customer_id.notifications.schemas import OutboundChannel

OUTBOUND: tuple[OutboundChannel, ...] = ("email", "sms")
RESEND_WHEN_UNSURE: dict[OutboundChannel, bool] = {"email": True, "sms": False}
MAX_HOLD_HOP = timedelta(seconds=900)  # SQS's largest DelaySeconds


@dataclass(frozen=True)
class Plan:
    send: tuple[OutboundChannel, ...]  # outbound channels to send now
    held: tuple[OutboundChannel, ...]  # outbound channels waiting for the end of the quiet hours
    quiet_until: datetime | None  # when the quiet hours end (UTC), if the customer is in them
    inbox: bool  # write the inbox item
    in_app: bool  # the in-app channel is on: `inApp` is listed in the item's channels


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    """[start, end) of local time; a window with start after end runs over midnight."""
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def quiet_hours_end(now: datetime, zone: ZoneInfo, quiet_hours: tuple[time, time] | None) -> datetime | None:
    """When the quiet hours the customer is in end (UTC), or None outside quiet hours."""
    if quiet_hours is None:
        return None
    start, end = quiet_hours
    local = now.astimezone(zone)
    if not in_quiet_hours(local.time(), start, end):
        return None
    ends = datetime.combine(local.date(), end, tzinfo=zone)
    if ends <= local:
        ends = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=zone)
    return ends.astimezone(UTC)


def hold_hop(now: datetime, quiet_until: datetime) -> int:
    """Seconds the held part waits on the queue before it is looked at again."""
    left = min(quiet_until - now, MAX_HOLD_HOP)
    return max(1, math.ceil(left.total_seconds()))


def _outbound(category: str, preferences: Preferences, has_phone: bool) -> tuple[OutboundChannel, ...]:
    if not preferences.wants(category):
        return ()
    return tuple(
        channel
        for channel in OUTBOUND
        if preferences.channels.get(channel, False) and (channel != "sms" or has_phone)
    )


def plan(category: str, preferences: Preferences, has_phone: bool, now: datetime, zone: ZoneInfo) -> Plan:
    """A new notification."""
    if not preferences.wants(category):
        return Plan(send=(), held=(), quiet_until=None, inbox=False, in_app=False)
    outbound = _outbound(category, preferences, has_phone)
    in_app = preferences.channels.get("inApp", False)
    inbox = in_app or category == "security"
    quiet_until = quiet_hours_end(now, zone, preferences.quiet_hours)
    if quiet_until is None:
        return Plan(send=outbound, held=(), quiet_until=None, inbox=inbox, in_app=in_app)
    return Plan(send=(), held=outbound, quiet_until=quiet_until, inbox=inbox, in_app=in_app)


def plan_held(
    category: str,
    channels: tuple[OutboundChannel, ...],
    preferences: Preferences,
    has_phone: bool,
    now: datetime,
    zone: ZoneInfo,
) -> Plan:
    """The held part of a notification, back from the queue: still quiet, it waits again; else it
    goes out on those of its channels the preferences still allow."""
    quiet_until = quiet_hours_end(now, zone, preferences.quiet_hours)
    if quiet_until is not None:
        return Plan(send=(), held=channels, quiet_until=quiet_until, inbox=False, in_app=False)
    allowed = _outbound(category, preferences, has_phone)
    send = tuple(channel for channel in channels if channel in allowed)
    return Plan(send=send, held=(), quiet_until=None, inbox=False, in_app=False)


def give_back(channel: OutboundChannel, surely_not_sent: bool) -> bool:
    """Whether a failed send gives its claim back, so that a retry sends on `channel` again."""
    return surely_not_sent or RESEND_WHEN_UNSURE[channel]
