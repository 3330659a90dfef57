"""A referral's conclusion: on the referee's first purchase of at least 50 within 90 days of
applying, both sides are paid once (through the loyalty ledger), unless both sides share a device
or network (rejected, with an alert on the referrer). The purchases workflow calls `on_purchase`,
the erasure workflow `stage_conclusion`."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta
from decimal import Decimal

from customer_id import clock, db, queues
from customer_id.analytics import engagement
from customer_id.loyalty import ledger as loyalty
from customer_id.loyalty.models import LedgerEntry, Source
from customer_id.loyalty.repository import StaleAccount
from customer_id.referrals import repository
from customer_id.referrals.models import Referral
from customer_id.referrals.repository import AlreadyPaid, NotPending
from customer_id.referrals.rules import MINIMUM_PURCHASE, QUALIFY_WITHIN_DAYS, REFEREE_POINTS, REFERRER_POINTS
from customer_id.security.alerts import staging as security
from customer_id.security.events.repository import shares_device_or_ip

REJECTION_WEIGHT = 45  # as the fraud scorer's referral_shared_device rule


def stage_conclusion(work: db.UnitOfWork, referral: Referral, status: str, at: datetime) -> None:
    """pending -> qualified or rejected, once (`NotPending` when concluded meanwhile). The
    referrer's `referralsMade` (analytics) counts their pending and qualified referrals: a rejection
    takes the referral back out of it, in the same unit of work."""
    repository.conclude(work, referral, status, at)
    if status == "rejected":
        engagement.count_engagement(work, referral.referrer_id, "referrals_made", -1)


def on_purchase(referee_id: str, amount: Decimal, occurred_at: datetime) -> None:
    """A purchase of the referee: qualifies a pending referral, and completes the payouts of a
    qualified one that a stopped attempt left half paid."""
    referral = repository.referred_by(referee_id)
    if referral is None or referral.status == "rejected":
        return
    if referral.status == "pending":
        within = occurred_at - referral.created_at <= timedelta(days=QUALIFY_WITHIN_DAYS)
        if amount < MINIMUM_PURCHASE or not within or occurred_at < referral.created_at:
            return
        since = clock.now() - timedelta(days=QUALIFY_WITHIN_DAYS)
        if shares_device_or_ip(referral.referee_id, referral.referrer_id, since):
            _reject(referral)
            return
        try:
            _pay(referral.referee_id, REFEREE_POINTS, referral, conclude=True)
        except NotPending:  # rejected meanwhile by a concurrent purchase: nobody is paid
            return
    _pay(referral.referrer_id, REFERRER_POINTS, referral, conclude=False)


def _reject(referral: Referral) -> None:
    """The same device or network on both sides: no payout, and an alert on the referrer, in one
    unit of work. The alert's fact is the referral, as the fraud scorer reports it: if the scorer
    raised it first, the rejection commits alone."""

    def attempt(work: db.UnitOfWork) -> None:
        stage_conclusion(work, referral, "rejected", clock.now())  # or NotPending
        security.stage_alert(
            work,
            referral.referrer_id,
            "referral_shared_device",
            REJECTION_WEIGHT,
            f"referral:{referral.referral_id}",
        )

    try:
        db.retry(attempt, retry_on=(security.RiskMoved,))
    except NotPending:  # concluded meanwhile
        return


def _pay(customer_id: str, points: int, referral: Referral, conclude: bool) -> None:
    """One side's payout, once: its marker's condition refuses a second one. The referee's payout
    also moves the referral from pending to qualified, and the payout's notification is queued, in
    the same step."""
    if repository.is_paid(customer_id, referral.referral_id):
        return
    now = clock.now()

    def attempt(work: db.UnitOfWork) -> LedgerEntry:
        change = loyalty.plan_bonus(
            loyalty.require_account(customer_id),
            points,
            "referral bonus",
            Source("referral", referral.referral_id),
            now,
        )
        entry = change.entries[-1]
        # the marker first: a payout committed meanwhile is `AlreadyPaid`, whatever else it moved
        repository.record_payout(
            work, customer_id, referral, entry.transaction_id, entry.points, entry.created_at
        )
        if conclude:
            stage_conclusion(work, referral, "qualified", entry.created_at)
        loyalty.stage(work, change)  # with the tier upgrade's notification when the bonus raises it
        queues.notify(
            work,
            f"referral-payout:{referral.referral_id}:{customer_id}",
            customer_id,
            "rewards",
            template="referral_payout",
            points=entry.points,
        )
        return entry

    with suppress(AlreadyPaid):  # paid by a concurrent attempt
        db.retry(attempt, retry_on=(StaleAccount,), attempts=loyalty.MAX_ATTEMPTS)
