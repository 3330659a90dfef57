"""Opaque, tamper-evident cursors bound to the list they were issued for.

A cursor is the DynamoDB key to resume from, sealed with AES-SIV (RFC 5297, from the
`cryptography` package) under a key derived from the signing key (a secret the stack generates),
with the list's scope (route, customer and filters) as associated data: no key name or id can be
read from it, and one that was altered, forged, or issued for another scope fails to open and is a
400. SIV is deterministic, so the same page always gets the same cursor.

`listing` is the one shape of every paginated list: check the cursor, check the list's owner exists,
fetch one page, hand back its records and the next page's cursor.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from customer_id.errors import FieldError, InvalidInput
from customer_id.settings import require, settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV


@cache
def _cipher(secret_id: str) -> AESSIV:
    """The cipher keyed by the secret's value: read once per container (per secret) through
    Powertools Parameters. The stack generates the secret (template.yaml's `CursorSigningSecret`);
    functions get its ARN, never its value, and only those that page may read it."""
    # imported on first use: most handlers never page, and their cold start should not pay for it
    from aws_lambda_powertools.utilities import parameters
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    signing_key = parameters.get_secret(secret_id)
    if not isinstance(signing_key, str) or not signing_key:
        raise RuntimeError(f"secret {secret_id} (CURSOR_SECRET_ARN) holds no signing key")
    return AESSIV(hashlib.sha512(b"cursor:" + signing_key.encode()).digest())  # AES-256-SIV


def _sealer() -> AESSIV:
    return _cipher(require(settings().cursor_secret_arn, "CURSOR_SECRET_ARN"))


def encode_cursor(last_key: dict[str, Any] | None, scope: str) -> str | None:
    if not last_key:
        return None
    payload = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    token = _sealer().encrypt(payload, [scope.encode()])
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def decode_cursor(cursor: str | None, scope: str) -> dict[str, Any] | None:
    if cursor is None:
        return None
    from cryptography.exceptions import InvalidTag

    try:
        token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        last_key = json.loads(_sealer().decrypt(token, [scope.encode()]))
        if isinstance(last_key, dict):
            return last_key
    except (ValueError, InvalidTag):
        pass
    raise InvalidInput("invalid_cursor", errors=[FieldError("cursor", "invalid cursor")])


def listing[R](
    scope: str,
    cursor: str | None,
    fetch: Callable[[dict[str, Any] | None], tuple[list[R], dict[str, Any] | None]],
    *,
    before: Callable[[], object] | None = None,
) -> tuple[list[R], str | None]:
    """One page of a list: decode `cursor` against the list's `scope` (400 on a forged or foreign
    cursor), run `before` (the existence check, e.g. a 404 for an unknown customer), fetch the page
    from the decoded start key, and return its records with the signed cursor of the next page
    (None on the last page). Mapping records to outputs is the caller's."""
    start = decode_cursor(cursor, scope)
    if before is not None:
        before()
    records, next_key = fetch(start)
    return records, encode_cursor(next_key, scope)
