"""Human-typed codes (vouchers, referral codes): random, from an alphabet without look-alikes."""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_id() -> str:
    """An opaque, unique identifier."""
    return secrets.token_hex(12)
