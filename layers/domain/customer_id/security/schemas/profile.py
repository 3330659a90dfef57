"""GET /customers/{customerId}/security."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from customer_id.schemas import ApiModel, Timestamp

RiskLevel = Literal["low", "medium", "high", "critical"]


class SecurityProfile(ApiModel):
    risk_score: int = Field(ge=0, le=100, description="The summed weight of open alerts, at most 100")
    risk_level: RiskLevel = Field(description="low < 30 <= medium < 60 <= high < 85 <= critical")
    two_factor_enabled: bool
    redemption_hold: bool
    open_alerts: int
    last_evaluated_at: Timestamp | None
    recommendations: list[str]
