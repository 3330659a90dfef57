"""A date's issuance, `POST /rewards/issuance`."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from customer_id.schemas import ApiModel, IsoDate

IsoDateInput = IsoDate
"""A calendar date written `YYYY-MM-DD`, from 1970 to before 2100 (dates are written so in output too)."""


class RewardIssuanceInput(ApiModel):
    day: IsoDateInput = Field(alias="date", description="The day whose celebrants are rewarded")


class RewardIssuanceOutput(ApiModel):
    day: date = Field(alias="date")
    issued: int
    skipped: int = Field(description="Celebrants of the day whose reward was already issued")
