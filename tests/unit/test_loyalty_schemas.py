"""Loyalty request bodies: points are non-zero JSON integers, nothing that merely looks like one."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from customer_id.loyalty.schemas.adjustments import AdjustmentInput
from customer_id.loyalty.schemas.redemptions import RedemptionInput


def rejected_fields(model: type[AdjustmentInput] | type[RedemptionInput], data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return [".".join(str(part) for part in error["loc"]) for error in raised.value.errors()]


@pytest.mark.parametrize("points", [5, -5, 1, -1_000_000, 1_000_000])
def test_adjustment_accepts_non_zero_integers(points: int) -> None:
    assert AdjustmentInput.model_validate({"points": points, "reason": "goodwill"}).points == points


@pytest.mark.parametrize("points", [0, "5", 5.0, True, False, None, 1_000_001, -1_000_001, [5]])
def test_adjustment_rejects_anything_else(points: object) -> None:
    assert rejected_fields(AdjustmentInput, {"points": points, "reason": "goodwill"}) == ["points"]


@pytest.mark.parametrize("body", ['{"points": 5.0, "reason": "x"}', '{"points": "5", "reason": "x"}'])
def test_adjustment_rejects_non_integers_in_json(body: str) -> None:
    with pytest.raises(ValidationError):
        AdjustmentInput.model_validate_json(body)


def test_adjustment_reason_is_required_trimmed_and_bounded() -> None:
    assert AdjustmentInput.model_validate({"points": 5, "reason": "  late order  "}).reason == "late order"
    assert rejected_fields(AdjustmentInput, {"points": 5}) == ["reason"]
    assert rejected_fields(AdjustmentInput, {"points": 5, "reason": "   "}) == ["reason"]
    assert rejected_fields(AdjustmentInput, {"points": 5, "reason": "x" * 201}) == ["reason"]


def test_adjustment_rejects_unknown_fields() -> None:
    assert rejected_fields(AdjustmentInput, {"points": 5, "reason": "x", "tier": "gold"}) == ["tier"]


def test_redemption_input_uses_camel_case() -> None:
    assert RedemptionInput.model_validate({"itemId": "coffee"}).item_id == "coffee"
    assert rejected_fields(RedemptionInput, {"itemId": ""}) == ["itemId"]
    assert rejected_fields(RedemptionInput, {"itemId": "x" * 65}) == ["itemId"]
    assert rejected_fields(RedemptionInput, {"itemId": "coffee", "points": 1}) == ["points"]
