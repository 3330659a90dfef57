"""The referral code: one per customer (`POST /customers/{id}/referral-code`), and what a code shows
to a prospective referee (`GET /referrals/{code}`)."""

from __future__ import annotations

from datetime import datetime

from customer_id import clock, codes, db
from customer_id.errors import NotFound
from customer_id.profile.service import require_profile
from customer_id.referrals import code_store
from customer_id.referrals.code_store import CodeTaken, HasCode
from customer_id.referrals.names import short_name
from customer_id.referrals.rules import REFEREE_POINTS
from customer_id.referrals.schemas.codes import ReferralCodeLookup, ReferralCodeOutput
from customer_id.settings import settings

CODE_LENGTH = 8
CODE_ATTEMPTS = 10


def _code_output(code: str, created_at: datetime) -> ReferralCodeOutput:
    return ReferralCodeOutput(
        code=code, share_url=f"{settings().share_base_url}?ref={code}", created_at=created_at
    )


def create_code(customer_id: str) -> tuple[ReferralCodeOutput, bool]:
    """The customer's code, and whether this call created it."""
    require_profile(customer_id)
    existing = code_store.code_of(customer_id)
    if existing is not None:
        return _code_output(existing.code, existing.created_at), False

    def attempt(work: db.UnitOfWork) -> tuple[str, datetime]:
        code, now = codes.random_code(CODE_LENGTH), clock.now()
        code_store.create_code(work, customer_id, code, now)
        return code, now

    try:
        code, now = db.retry(attempt, retry_on=(CodeTaken,), attempts=CODE_ATTEMPTS)
    except HasCode:  # a concurrent call made it first
        found = code_store.code_of(customer_id)
        assert found is not None
        return _code_output(found.code, found.created_at), False
    return _code_output(code, now), True


def lookup(code: str) -> ReferralCodeLookup:
    owner = code_store.owner_of(code.upper())
    if owner is None:
        raise NotFound("referral_code_not_found", code=code)
    return ReferralCodeLookup(
        code=code.upper(),
        referrer_name=short_name(require_profile(owner).display_name),
        referee_reward_points=REFEREE_POINTS,
    )
