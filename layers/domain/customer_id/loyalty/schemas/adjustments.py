"""The adjustments route's input (`POST /customers/{customerId}/loyalty/adjustments`); it answers
a `transactions.TransactionOutput`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from customer_id.schemas import ApiModel


class AdjustmentInput(ApiModel):
    points: Annotated[int, Field(strict=True, ge=-1_000_000, le=1_000_000, description="Non-zero")]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

    @field_validator("points")
    @classmethod
    def _non_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("must not be zero")
        return value
