"""Typed settings, read from the environment on first use (never at import)."""

from __future__ import annotations

import os
from functools import cache
from typing import NamedTuple


class Settings(NamedTuple):
    region: str
    profile_table: str
    loyalty_table: str
    idempotency_table: str
    cursor_secret_arn: str  # the Secrets Manager secret whose value keys the cursors (not the key)
    currency: str
    analytics_table: str
    segments_table: str
    offers_table: str
    fraud_queue_url: str
    referrals_table: str
    rewards_table: str
    notifications_queue_url: str
    share_base_url: str
    support_table: str
    notifications_table: str
    security_table: str
    sender_email: str
    outbox_table: str
    points_expiry_queue_url: str
    rewards_issuance_queue_url: str
    segment_refresh_queue_url: str
    erasure_queue_url: str = ""
    user_pool_id: str = ""  # only the erasure worker's environment has it (it deletes the Cognito user)
    # Web origins whose pages may read the API's answers (CORS), from the template's AllowedOrigins.
    allowed_origins: tuple[str, ...] = ()


@cache
def settings() -> Settings:
    environ = os.environ
    return Settings(
        region=environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        profile_table=environ.get("PROFILE_TABLE", ""),
        loyalty_table=environ.get("LOYALTY_TABLE", ""),
        idempotency_table=environ.get("IDEMPOTENCY_TABLE", ""),
        cursor_secret_arn=environ.get("CURSOR_SECRET_ARN", ""),
        currency=environ.get("CURRENCY", "SAR"),
        analytics_table=environ.get("ANALYTICS_TABLE", ""),
        segments_table=environ.get("SEGMENTS_TABLE", ""),
        offers_table=environ.get("OFFERS_TABLE", ""),
        fraud_queue_url=environ.get("FRAUD_QUEUE_URL", ""),
        referrals_table=environ.get("REFERRALS_TABLE", ""),
        rewards_table=environ.get("REWARDS_TABLE", ""),
        notifications_queue_url=environ.get("NOTIFICATIONS_QUEUE_URL", ""),
        share_base_url=environ.get("SHARE_BASE_URL", "https://shop.example.com/join"),
        support_table=environ.get("SUPPORT_TABLE", ""),
        notifications_table=environ.get("NOTIFICATIONS_TABLE", ""),
        security_table=environ.get("SECURITY_TABLE", ""),
        sender_email=environ.get("SENDER_EMAIL", ""),
        outbox_table=environ.get("OUTBOX_TABLE", ""),
        points_expiry_queue_url=environ.get("POINTS_EXPIRY_QUEUE_URL", ""),
        rewards_issuance_queue_url=environ.get("REWARDS_ISSUANCE_QUEUE_URL", ""),
        segment_refresh_queue_url=environ.get("SEGMENT_REFRESH_QUEUE_URL", ""),
        erasure_queue_url=environ.get("ERASURE_QUEUE_URL", ""),
        user_pool_id=environ.get("USER_POOL_ID", ""),
        allowed_origins=tuple(
            origin.strip() for origin in environ.get("ALLOWED_ORIGINS", "").split(",") if origin.strip()
        ),
    )


def require(value: str, name: str) -> str:
    """A setting that a code path cannot run without: fail loudly, naming it."""
    if not value:
        raise RuntimeError(f"setting {name} is not configured")
    return value
