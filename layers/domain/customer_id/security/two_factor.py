"""TOTP two-factor authentication (RFC 6238, with pyotp): enrol, verify to turn it on, disable
with a valid code. A code is accepted once: the time step it matched is recorded, and a code of
that step or an earlier one is refused. Turning it on or off and its security notification are one
unit of work: the notification is queued if, and only if, the change is stored."""

from __future__ import annotations

import pyotp

from customer_id import clock, db, queues
from customer_id.errors import Conflict, FieldError, InvalidInput
from customer_id.profile.service import require_profile
from customer_id.security import repository
from customer_id.security.repository import TwoFactorMoved
from customer_id.security.schemas.two_factor import Enrolment, TwoFactorState

ISSUER = "Customer ID"
VALID_WINDOW = 1  # one 30-second step either side, for clock drift


def enroll(customer_id: str) -> Enrolment:
    profile = require_profile(customer_id)
    if repository.state(customer_id).two_factor_enabled:
        raise Conflict("two_factor_already_enabled")
    secret = pyotp.random_base32()
    repository.set_pending_secret(customer_id, secret)
    uri = pyotp.TOTP(secret).provisioning_uri(name=profile.email, issuer_name=ISSUER)
    return Enrolment(secret=secret, otpauth_uri=uri)


def _invalid_code() -> InvalidInput:
    return InvalidInput("invalid_code", errors=[FieldError("code", "wrong or already used code")])


def _matching_step(secret: str, code: str, last_step: int) -> int:
    totp = pyotp.TOTP(secret)
    now = clock.now()
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if step > last_step and totp.at(step * totp.interval) == code:
            return step
    raise _invalid_code()


def verify(customer_id: str, code: str) -> TwoFactorState:
    require_profile(customer_id)
    state = repository.state(customer_id)
    if state.two_factor_enabled:
        raise Conflict("two_factor_already_enabled")
    if not state.pending_totp_secret:
        raise Conflict("two_factor_not_enrolled")
    _switch(customer_id, True, state.pending_totp_secret, code, int(state.totp_last_step or 0))
    return TwoFactorState(two_factor_enabled=True)


def disable(customer_id: str, code: str) -> TwoFactorState:
    require_profile(customer_id)
    state = repository.state(customer_id)
    if not state.two_factor_enabled or not state.totp_secret:
        raise Conflict("two_factor_not_enabled")
    _switch(customer_id, False, state.totp_secret, code, int(state.totp_last_step or 0))
    return TwoFactorState(two_factor_enabled=False)


def _switch(customer_id: str, enabled: bool, secret: str, code: str, last_step: int) -> None:
    """The switch and its notification (message id: the customer and the code's time step, used
    once), committed together; a code used meanwhile (`TwoFactorMoved`) is a wrong code."""
    step = _matching_step(secret, code, last_step)
    name, template = ("2fa-on", "two_factor_enabled") if enabled else ("2fa-off", "two_factor_disabled")

    def attempt(work: db.UnitOfWork) -> None:
        repository.switch_two_factor(work, customer_id, enabled, secret, step)
        queues.notify(work, f"{name}:{customer_id}:{step}", customer_id, "security", template)

    try:
        db.retry(attempt)
    except TwoFactorMoved:
        raise _invalid_code() from None
