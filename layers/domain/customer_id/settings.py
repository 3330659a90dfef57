"""Typed settings, read from the environment on first use (never at import)."""

from __future__ import annotations

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    region: str = Field(default="us-east-1", validation_alias="AWS_REGION")
    profile_table: str = Field(default="", validation_alias="PROFILE_TABLE")
    loyalty_table: str = Field(default="", validation_alias="LOYALTY_TABLE")
    idempotency_table: str = Field(default="", validation_alias="IDEMPOTENCY_TABLE")
    cursor_signing_key: str = Field(default="", validation_alias="CURSOR_SIGNING_KEY")
    currency: str = Field(default="SAR", validation_alias="CURRENCY")
    share_base_url: str = Field(default="https://example.com", validation_alias="SHARE_BASE_URL")


@cache
def settings() -> Settings:
    return Settings.model_validate(os.environ)


def require(value: str, name: str) -> str:
    """A setting that a code path cannot run without: fail loudly, naming it."""
    if not value:
        raise RuntimeError(f"setting {name} is not configured")
    return value
