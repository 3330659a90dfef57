"""GET /customers/{customerId}/loyalty: tier, balance, next tier and the points expiring soon."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from customer_id import clock
from customer_id.loyalty import ledger, repository, tiers
from customer_id.loyalty.schemas.accounts import ExpiringPoints, LoyaltyAccountOutput, NextTier

EXPIRING_WINDOW = timedelta(days=30)


def get_account(customer_id: str, now: datetime | None = None) -> LoyaltyAccountOutput:
    now = now or clock.now()
    account = ledger.require_account(customer_id)
    # Lots come oldest first, so expiry dates ascend: read only the due and soon-expiring ones.
    due = 0
    expiring: dict[datetime, int] = defaultdict(int)
    for lot in ledger.unspent(repository.lots_oldest_first(customer_id), account.unsettled):
        if lot.expires_at <= now:
            due += lot.remaining  # expired, not yet written off by the daily expiry job
        elif lot.expires_at <= now + EXPIRING_WINDOW:
            expiring[lot.expires_at] += lot.remaining
        else:
            break
    upcoming = tiers.next_tier(account.lifetime_points)
    return LoyaltyAccountOutput(
        customer_id=customer_id,
        tier=account.tier_id,
        points_balance=account.balance - due,
        lifetime_points=account.lifetime_points,
        next_tier=(
            NextTier(tier_id=upcoming.tier_id, points_needed=upcoming.min_points - account.lifetime_points)
            if upcoming
            else None
        ),
        expiring_points=[
            ExpiringPoints(points=points, expires_at=at) for at, points in sorted(expiring.items())
        ],
        redemption_hold=account.redemption_hold,
        points_debt=account.points_debt,
    )
