"""What an occasion is worth on a day: a birthday by the customer's tier (the loyalty ledger's
account), an anniversary by the full years of membership."""

from __future__ import annotations

from datetime import date

from customer_id.loyalty import ledger as loyalty
from customer_id.loyalty import tiers
from customer_id.rewards import occasions
from customer_id.rewards.models import Celebrant


def points(celebrant: Celebrant, day: date) -> int:
    """What the occasion is worth on `day`: birthday points by the tier at issuance; for an
    anniversary 200 per full year of membership, up to 1 000, nothing before a full year."""
    if celebrant.occasion == "birthday":
        return tiers.tier(loyalty.require_account(celebrant.customer_id).tier_id).birthday_points
    assert celebrant.since is not None
    return occasions.anniversary_points(occasions.full_years(celebrant.since, day))
