"""Opaque, tamper-evident cursors bound to the list they were issued for.

A cursor is the DynamoDB key to resume from, signed with HMAC-SHA256 over the list's scope (route,
customer and filters). A cursor that was altered, forged, or issued for another scope fails the
check and is a 400.

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


def _signature(scope: str, payload: bytes) -> bytes:
    key = require(settings().cursor_signing_key, "CURSOR_SIGNING_KEY").encode()
    return hmac.new(key, scope.encode() + b"\x00" + payload, hashlib.sha256).digest()[:16]


def encode_cursor(last_key: dict[str, Any] | None, scope: str) -> str | None:
    if not last_key:
        return None
    payload = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    token = _signature(scope, payload) + payload
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def decode_cursor(cursor: str | None, scope: str) -> dict[str, Any] | None:
    if cursor is None:
        return None
    try:
        token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        signature, payload = token[:16], token[16:]
        if len(signature) == 16 and hmac.compare_digest(signature, _signature(scope, payload)):
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
