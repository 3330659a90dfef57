"""Referral rules: one code per customer; a referee applies a code within 30 days of joining; on the
referee's first purchase of at least 50 within 90 days of applying, both sides are paid once.

A feature: it imports the kernel and the base features (profile, loyalty, analytics, security), no
other. The purchases workflow calls `on_purchase`."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta
from decimal import Decimal

from customer_id import clock, codes, db, operations, pagination, queues
from customer_id.analytics import engagement
from customer_id.errors import Conflict, NotFound
from customer_id.loyalty import ledger as loyalty
from customer_id.loyalty.models import LedgerEntry, Source
from customer_id.loyalty.repository import StaleAccount
from customer_id.profile.service import require_profile
from customer_id.referrals import repository
from customer_id.referrals.models import (
    APPLY_WITHIN_DAYS,
    MINIMUM_PURCHASE,
    QUALIFY_WITHIN_DAYS,
    REFEREE_POINTS,
    REFERRER_POINTS,
    Referral,
)
from customer_id.referrals.repository import AlreadyPaid, CodeTaken, HasCode, NotPending
from customer_id.referrals.schemas import (
    ReferralApplied,
    ReferralCodeLookup,
    ReferralCodeOutput,
    ReferralOutput,
    ReferralPage,
    ReferralRewardOutput,
    ReferralRewardPage,
    ReferralStats,
)
from customer_id.security.alerts import staging as security
from customer_id.security.events.repository import shares_device_or_ip
from customer_id.settings import settings

CODE_LENGTH = 8
CODE_ATTEMPTS = 10
REJECTION_WEIGHT = 45  # as the fraud scorer's referral_shared_device rule


def short_name(display_name: str) -> str:
    """`Layla Hassan` -> `Layla H.`: the first name and the initial of the last."""
    parts = display_name.split()
    if len(parts) < 2:
        return parts[0] if parts else ""
    return f"{parts[0]} {parts[-1][0]}."


def _code_output(code: str, created_at: datetime) -> ReferralCodeOutput:
    return ReferralCodeOutput(
        code=code, share_url=f"{settings().share_base_url}?ref={code}", created_at=created_at
    )


def create_code(customer_id: str) -> tuple[ReferralCodeOutput, bool]:
    """The customer's code, and whether this call created it."""
    require_profile(customer_id)
    existing = repository.code_of(customer_id)
    if existing is not None:
        return _code_output(existing.code, existing.created_at), False

    def attempt(work: db.UnitOfWork) -> tuple[str, datetime]:
        code, now = codes.random_code(CODE_LENGTH), clock.now()
        repository.create_code(work, customer_id, code, now)
        return code, now

    try:
        code, now = db.retry(attempt, retry_on=(CodeTaken,), attempts=CODE_ATTEMPTS)
    except HasCode:  # a concurrent call made it first
        found = repository.code_of(customer_id)
        assert found is not None
        return _code_output(found.code, found.created_at), False
    return _code_output(code, now), True


def lookup(code: str) -> ReferralCodeLookup:
    owner = repository.owner_of(code.upper())
    if owner is None:
        raise NotFound("referral_code_not_found", code=code)
    return ReferralCodeLookup(
        code=code.upper(),
        referrer_name=short_name(require_profile(owner).display_name),
        referee_reward_points=REFEREE_POINTS,
    )


def apply(referee_id: str, code: str) -> ReferralApplied:
    """The referee applies a code. The referral, the referrer's counters and the fraud signal
    commit together; with `Idempotency-Key` the referral's id derives from the operation, and a
    re-execution answers with the first referral (not 409 already referred)."""
    referee = require_profile(referee_id)
    referrer_id = repository.owner_of(code)
    if referrer_id is None:
        raise NotFound("referral_code_not_found", code=code)
    if referrer_id == referee_id:
        raise Conflict("own_referral_code")
    now = clock.now()
    if now - referee.joined_at > timedelta(days=APPLY_WITHIN_DAYS):
        raise Conflict("referral_too_late", days=APPLY_WITHIN_DAYS)
    referral_id = operations.derive("referral")
    referral = Referral(
        referral_id=referral_id,
        referrer_id=referrer_id,
        referee_id=referee_id,
        status="pending",
        created_at=now,
        referrer_item=f"REFERRAL#{clock.iso(now)}#{referral_id}",
    )

    def attempt(work: db.UnitOfWork) -> ReferralApplied:
        repository.apply(work, referral, short_name(referee.display_name))  # or 409 already_referred
        engagement.count_engagement(work, referrer_id, "referrals_made")
        queues.signal_fraud(
            work,
            f"referral:{referral_id}",
            "referral",
            referee_id,
            now,
            referralId=referral_id,
            referrerId=referrer_id,
        )
        return ReferralApplied(referral_id=referral_id, status="pending")

    try:
        return operations.retry(attempt, answer=ReferralApplied)
    except Conflict:
        # already referred: by a concurrent execution of this very operation, which answers
        replayed = operations.replay(ReferralApplied)
        if replayed is None:
            raise
        return replayed


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
        repository.record_payout(work, customer_id, referral, entry)
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


def list_referrals(customer_id: str, limit: int, cursor: str | None) -> ReferralPage:
    scope = f"referrals|{customer_id}"
    records, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.referrals_page(customer_id, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return ReferralPage(
        items=[
            ReferralOutput(
                referral_id=record.referral_id,
                referee_name=record.referee_name,
                status=record.status,
                created_at=record.created_at,
                qualified_at=record.qualified_at,
                points_awarded=int(record.points_awarded or 0),
            )
            for record in records
        ],
        next_cursor=next_cursor,
        stats=ReferralStats(**repository.stats(customer_id)),
    )


def list_rewards(customer_id: str, limit: int, cursor: str | None) -> ReferralRewardPage:
    scope = f"referral-rewards|{customer_id}"
    records, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.rewards_page(customer_id, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return ReferralRewardPage(
        items=[
            ReferralRewardOutput(
                transaction_id=record.transaction_id,
                referral_id=record.referral_id,
                points=int(record.points),
                created_at=record.created_at,
            )
            for record in records
        ],
        next_cursor=next_cursor,
    )
