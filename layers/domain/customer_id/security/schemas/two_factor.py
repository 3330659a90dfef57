"""POST /customers/{customerId}/security/two-factor."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from customer_id.schemas import ApiModel


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
