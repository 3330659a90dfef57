"""The field types the analytics API schemas share (no models): a module of their own, so that
each route's schemas module builds only its own models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

Channel = Literal["web", "mobile", "store"]
Category = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)
]


def positive(value: object) -> object:
    if value == 0:
        raise ValueError("must be greater than 0")
    return value
