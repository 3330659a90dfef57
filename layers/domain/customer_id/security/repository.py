"""The security state record (`SECURITY`): the only code that reads it for the profile and two-factor
and writes the two-factor state (the risk's writes are the alerts': `security.alerts.repository`).
Multi-item writes join the caller's `db.UnitOfWork`, each condition naming what its failure means."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.update import Action

from customer_id import db
from customer_id.db import customer_key
from customer_id.security.models import SecurityStateRecord

STATE_SK = "SECURITY"


class TwoFactorMoved(Exception):
    """The two-factor state or its last used time step moved since it was read."""


def state(customer_id: str) -> SecurityStateRecord:
    try:
        return SecurityStateRecord.get(customer_key(customer_id), STATE_SK, consistent_read=True)
    except DoesNotExist:
        return SecurityStateRecord(pk=customer_key(customer_id), sk=STATE_SK)


# ---- two-factor ------------------------------------------------------------------------------


def set_pending_secret(customer_id: str, secret: str) -> None:
    SecurityStateRecord(pk=customer_key(customer_id), sk=STATE_SK).update(
        actions=[SecurityStateRecord.pending_totp_secret.set(secret)]
    )


def switch_two_factor(work: db.UnitOfWork, customer_id: str, enabled: bool, secret: str, step: int) -> None:
    """Turn 2FA on (with the verified pending `secret`) or off, recording the time step the code used
    so that it is not accepted again; `TwoFactorMoved` when the state or the step moved meanwhile."""
    condition = SecurityStateRecord.totp_last_step.does_not_exist() | (
        SecurityStateRecord.totp_last_step < step
    )
    actions: list[Action]
    if enabled:
        condition &= SecurityStateRecord.pending_totp_secret == secret
        actions = [
            SecurityStateRecord.two_factor_enabled.set(True),
            SecurityStateRecord.totp_secret.set(secret),
            SecurityStateRecord.pending_totp_secret.remove(),
            SecurityStateRecord.totp_last_step.set(step),
        ]
    else:
        condition &= SecurityStateRecord.two_factor_enabled == True  # noqa: E712 - a DynamoDB condition
        actions = [
            SecurityStateRecord.two_factor_enabled.set(False),
            SecurityStateRecord.totp_secret.remove(),
            SecurityStateRecord.totp_last_step.set(step),
        ]
    work.update(
        SecurityStateRecord(pk=customer_key(customer_id), sk=STATE_SK),
        actions,
        condition,
        fails_with=TwoFactorMoved(),
    )
