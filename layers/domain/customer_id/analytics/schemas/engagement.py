"""The answer of `GET /customers/{id}/analytics/engagement`."""

from __future__ import annotations

from pydantic import Field

from customer_id.schemas import ApiModel


class EngagementOutput(ApiModel):
    offers_applied: int
    rewards_claimed: int
    tickets_opened: int
    chats_started: int
    notifications_read: int
    referrals_made: int
    engagement_score: int = Field(ge=0, le=100)
