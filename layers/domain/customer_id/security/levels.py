"""Risk levels and alert severities: the thresholds every part of security uses."""

from __future__ import annotations

CRITICAL = 85  # at this risk the account's redemptions are put on hold
SEVERITY_BY_WEIGHT = ((60, "critical"), (40, "high"), (25, "medium"), (0, "low"))


def risk_level(score: int) -> str:
    """low < 30 <= medium < 60 <= high < 85 <= critical."""
    if score >= CRITICAL:
        return "critical"
    if score >= 60:
        return "high"
    return "medium" if score >= 30 else "low"


def severity_of(weight: int) -> str:
    return next(severity for floor, severity in SEVERITY_BY_WEIGHT if weight >= floor)
