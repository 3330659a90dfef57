"""The referral programme's figures: what each side earns, the smallest qualifying purchase, and
the windows to apply a code (of joining) and to qualify (of applying)."""

from __future__ import annotations

REFERRER_POINTS = 500
REFEREE_POINTS = 250
MINIMUM_PURCHASE = 50
APPLY_WITHIN_DAYS = 30  # of joining
QUALIFY_WITHIN_DAYS = 90  # of applying
