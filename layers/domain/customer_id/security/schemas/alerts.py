"""An alert as the API shows it (listing, resolution, report)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from customer_id.schemas import ApiModel, Timestamp

AlertStatus = Literal["open", "resolved"]


class AlertOutput(ApiModel):
    alert_id: str
    type: str
    severity: Literal["low", "medium", "high", "critical"]
    reason: str = Field(description="In the request language")
    status: AlertStatus
    created_at: Timestamp
    resolved_at: Timestamp | None
