from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, IPvAnyAddress, StringConstraints

from customer_id.schemas import ApiModel, Instant, Timestamp

RiskLevel = Literal["low", "medium", "high", "critical"]
AlertStatus = Literal["open", "resolved"]
EventType = Literal["login", "login_failed", "password_change", "device_added"]
ReportCategory = Literal["account_takeover", "unrecognized_transaction", "phishing", "other"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


class SecurityProfile(ApiModel):
    risk_score: int = Field(ge=0, le=100, description="The summed weight of open alerts, at most 100")
    risk_level: RiskLevel = Field(description="low < 30 <= medium < 60 <= high < 85 <= critical")
    two_factor_enabled: bool
    redemption_hold: bool
    open_alerts: int
    last_evaluated_at: Timestamp | None
    recommendations: list[str]


class AlertOutput(ApiModel):
    alert_id: str
    type: str
    severity: Literal["low", "medium", "high", "critical"]
    reason: str = Field(description="In the request language")
    status: AlertStatus
    created_at: Timestamp
    resolved_at: Timestamp | None


class AlertPage(ApiModel):
    items: list[AlertOutput]
    next_cursor: str | None


class ResolutionInput(ApiModel):
    resolution: Literal["legitimate", "fraud"]


class ReportInput(ApiModel):
    category: ReportCategory
    description: Text
    transaction_id: Identifier | None = None


class SecurityEventInput(ApiModel):
    type: EventType
    ip_address: IPvAnyAddress
    device_id: Identifier
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        description="ISO 3166-1 alpha-2"
    )
    user_agent: Annotated[str, StringConstraints(max_length=512)] | None = None
    occurred_at: Instant | None = None


class SecurityEventAccepted(ApiModel):
    event_id: str
    status: Literal["queued"]


class SecurityEventOutput(ApiModel):
    event_id: str
    type: EventType
    ip_address: str
    device_id: str
    country: str
    created_at: Timestamp = Field(description="When it happened (occurredAt)")


class SecurityEventPage(ApiModel):
    items: list[SecurityEventOutput]
    next_cursor: str | None


class EnrollInput(ApiModel):
    action: Literal["enroll"]


class VerifyInput(ApiModel):
    action: Literal["verify", "disable"]
    code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")]


class Enrolment(ApiModel):
    secret: str
    otpauth_uri: str


class TwoFactorState(ApiModel):
    two_factor_enabled: bool
