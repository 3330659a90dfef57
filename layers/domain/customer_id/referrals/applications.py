"""A referee applies a code within 30 days of joining (`POST /customers/{id}/referrals`)."""

from __future__ import annotations

from datetime import timedelta

from customer_id import clock, db, operations, queues
from customer_id.analytics import engagement
from customer_id.errors import Conflict, NotFound
from customer_id.profile.service import require_profile
from customer_id.referrals import code_store, repository
from customer_id.referrals.models import Referral
from customer_id.referrals.names import short_name
from customer_id.referrals.rules import APPLY_WITHIN_DAYS
from customer_id.referrals.schemas.applications import ReferralApplied


def apply(referee_id: str, code: str) -> ReferralApplied:
    """The referee applies a code. The referral, the referrer's counters and the fraud signal
    commit together; with `Idempotency-Key` the referral's id derives from the operation, and a
    re-execution answers with the first referral (not 409 already referred)."""
    referee = require_profile(referee_id)
    referrer_id = code_store.owner_of(code)
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
