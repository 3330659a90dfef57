from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from customer_id import clock
from customer_id.rewards.models import Occasion, RewardStatus
from customer_id.schemas import ApiModel, IsoDate, Timestamp

IsoDateInput = IsoDate
"""A calendar date written `YYYY-MM-DD`, from 1970 to before 2100 (dates are written so in output too)."""


class SpecialDateBirthday(ApiModel):
    month: int
    day: int
    year: int | None = Field(description="The birth year, if the customer gave it")


class SpecialDateBirthdayInput(ApiModel):
    month: Annotated[int, Field(strict=True, ge=1, le=12)]
    day: Annotated[int, Field(strict=True, ge=1, le=31)]
    year: Annotated[int | None, Field(strict=True, ge=1900, description="Optional birth year")] = None

    @model_validator(mode="after")
    def _a_real_date(self) -> SpecialDateBirthdayInput:
        # 29 February is a birthday (celebrated on 28 February in common years) unless the year says
        # it cannot have been; 2000 is a leap year.
        try:
            date(self.year or 2000, self.month, self.day)
        except ValueError as error:
            when = f"month {self.month} of {self.year}" if self.year else f"month {self.month}"
            raise ValueError(f"day {self.day} does not exist in {when}") from error
        if self.year is not None and self.year > clock.now().year:
            raise ValueError("the birth year is in the future")
        return self


class SpecialDatesInput(ApiModel):
    birthday: SpecialDateBirthdayInput


class SpecialDateAnniversary(ApiModel):
    month: int
    day: int
    since: date = Field(description="The day the customer joined, in their timezone")


class SpecialDatesOutput(ApiModel):
    birthday: SpecialDateBirthday | None
    anniversary: SpecialDateAnniversary


class RewardOutput(ApiModel):
    reward_id: str
    occasion: Occasion
    year: int
    points: int
    issued_at: Timestamp
    claim_by: Timestamp = Field(description="issuedAt + 30 days; after it the reward is expired")
    status: RewardStatus


class RewardList(ApiModel):
    items: list[RewardOutput]


class RewardClaimInput(ApiModel):
    """No fields: `{}` or an empty body."""


class RewardClaimOutput(ApiModel):
    reward_id: str
    status: RewardStatus
    points_awarded: int
    transaction_id: str


class UpcomingOccasionOutput(ApiModel):
    occasion: Occasion
    day: date = Field(alias="date", description="In the customer's timezone")
    days_until: int
    expected_points: int = Field(description="At today's tier for a birthday")


class UpcomingOccasionList(ApiModel):
    items: list[UpcomingOccasionOutput]


class RewardIssuanceInput(ApiModel):
    day: IsoDateInput = Field(alias="date", description="The day whose celebrants are rewarded")


class RewardIssuanceOutput(ApiModel):
    day: date = Field(alias="date")
    issued: int
    skipped: int = Field(description="Celebrants of the day whose reward was already issued")
