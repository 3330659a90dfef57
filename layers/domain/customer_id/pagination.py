"""Opaque, tamper-evident cursors bound to the list they were issued for.

A cursor is the DynamoDB key to resume from, sealed with two keys derived from the signing key: a
synthetic IV, HMAC-SHA256 over the list's scope (route, customer and filters) and the resume key,
then the resume key XORed with an HMAC-SHA256 keystream drawn from that IV (SIV with HMAC as the
PRF: deterministic, and no key name or id readable in it). A cursor that was altered, forged, or
issued for another scope fails the check and is a 400.

`listing` is the one shape of every paginated list: check the cursor, check the list's owner exists,
fetch one page, hand back its records and the next page's cursor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from customer_id.errors import FieldError, InvalidInput
from customer_id.settings import require, settings

_IV_BYTES = 16


def _subkey(purpose: bytes) -> bytes:
    key = require(settings().cursor_signing_key, "CURSOR_SIGNING_KEY").encode()
    return hmac.new(key, b"cursor-" + purpose, hashlib.sha256).digest()


def _iv(scope: str, payload: bytes) -> bytes:
    return hmac.new(_subkey(b"mac"), scope.encode() + b"\x00" + payload, hashlib.sha256).digest()[:_IV_BYTES]


def _xor_keystream(iv: bytes, data: bytes) -> bytes:
    key = _subkey(b"enc")
    blocks = (len(data) + 31) // 32
    stream = b"".join(
        hmac.new(key, iv + counter.to_bytes(4, "big"), hashlib.sha256).digest() for counter in range(blocks)
    )
    return bytes(left ^ right for left, right in zip(data, stream, strict=False))


def encode_cursor(last_key: dict[str, Any] | None, scope: str) -> str | None:
    if not last_key:
        return None
    payload = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    iv = _iv(scope, payload)
    token = iv + _xor_keystream(iv, payload)
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def decode_cursor(cursor: str | None, scope: str) -> dict[str, Any] | None:
    if cursor is None:
        return None
    try:
        token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        iv, sealed = token[:_IV_BYTES], token[_IV_BYTES:]
        payload = _xor_keystream(iv, sealed)
        if len(iv) == _IV_BYTES and hmac.compare_digest(iv, _iv(scope, payload)):
            last_key = json.loads(payload)
            if isinstance(last_key, dict):
                return last_key
    except ValueError:
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
