"""The coming occasions, `GET /customers/{id}/rewards/upcoming`."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from customer_id.rewards.models import Occasion
from customer_id.schemas import ApiModel


class UpcomingOccasionOutput(ApiModel):
    occasion: Occasion
    day: date = Field(alias="date", description="In the customer's timezone")
    days_until: int
    expected_points: int = Field(description="At today's tier for a birthday")


class UpcomingOccasionList(ApiModel):
    items: list[UpcomingOccasionOutput]
