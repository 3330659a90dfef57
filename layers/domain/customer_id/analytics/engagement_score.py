"""`GET /customers/{id}/analytics/engagement`: the engagement counters and their score."""

from __future__ import annotations

from customer_id.analytics import engagement as counters
from customer_id.analytics.schemas.engagement import EngagementOutput
from customer_id.profile.service import require_profile

# engagementScore: points per counted action, each action type capped, the total capped at 100
ENGAGEMENT_WEIGHTS = {
    "offers_applied": (5, 20),
    "rewards_claimed": (5, 15),
    "tickets_opened": (2, 10),
    "chats_started": (2, 10),
    "notifications_read": (1, 15),
    "referrals_made": (10, 30),
}


def engagement(customer_id: str) -> EngagementOutput:
    require_profile(customer_id)
    counted = counters.engagement(customer_id)
    score = sum(min(counted[name] * weight, cap) for name, (weight, cap) in ENGAGEMENT_WEIGHTS.items())
    return EngagementOutput(**counted, engagement_score=min(score, 100))
