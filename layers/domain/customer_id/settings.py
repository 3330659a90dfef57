"""Typed settings, read from the environment on first use (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Settings:
    region: str
    profile_table: str
    loyalty_table: str
    idempotency_table: str
    cursor_signing_key: str
    currency: str


@cache
def settings() -> Settings:
    environ = os.environ
    return Settings(
        region=environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        profile_table=environ.get("PROFILE_TABLE", ""),
        loyalty_table=environ.get("LOYALTY_TABLE", ""),
        idempotency_table=environ.get("IDEMPOTENCY_TABLE", ""),
        cursor_signing_key=environ.get("CURSOR_SIGNING_KEY", ""),
        currency=environ.get("CURRENCY", "SAR"),
    )


def require(value: str, name: str) -> str:
    """A setting that a code path cannot run without: fail loudly, naming it."""
    if not value:
        raise RuntimeError(f"setting {name} is not configured")
    return value
