"""The special dates of `GET`/`PUT /customers/{id}/special-dates`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from customer_id import clock
from customer_id.schemas import ApiModel


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
