"""Cursors: opaque, tamper-evident, bound to the scope (route, customer, filters) they were issued for."""

from __future__ import annotations

import pytest

from customer_id.errors import InvalidInput
from customer_id.pagination import decode_cursor, encode_cursor
from customer_id.settings import settings

SCOPE = "loyalty.transactions|cust-1|*"
KEY = {"pk": {"S": "CUSTOMER#cust-1"}, "sk": {"S": "TXN#000000000042"}}


def assert_invalid(cursor: str, scope: str = SCOPE) -> None:
    with pytest.raises(InvalidInput) as raised:
        decode_cursor(cursor, scope)
    assert raised.value.code == "invalid_cursor"
    assert [error.field for error in raised.value.errors] == ["cursor"]


def test_round_trip(cursor_key: str) -> None:
    cursor = encode_cursor(KEY, SCOPE)

    assert isinstance(cursor, str)
    assert decode_cursor(cursor, SCOPE) == KEY


def test_cursor_is_opaque_and_url_safe(cursor_key: str) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    assert "TXN" not in cursor
    assert not set(cursor) - set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_no_key_no_cursor(cursor_key: str) -> None:
    assert encode_cursor(None, SCOPE) is None
    assert encode_cursor({}, SCOPE) is None


def test_none_decodes_to_none(cursor_key: str) -> None:
    assert decode_cursor(None, SCOPE) is None


@pytest.mark.parametrize(
    "other_scope",
    ["loyalty.transactions|cust-2|*", "loyalty.transactions|cust-1|earn", "referrals|cust-1|*"],
)
def test_cursor_from_another_scope_is_invalid(cursor_key: str, other_scope: str) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    assert_invalid(cursor, other_scope)


def test_tampered_cursor_is_invalid(cursor_key: str) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    # Every character but the last carries only meaningful bits: changing any of them changes the bytes.
    for position in range(len(cursor) - 1):
        flipped = "B" if cursor[position] == "A" else "A"
        assert_invalid(cursor[:position] + flipped + cursor[position + 1 :])


def test_forged_payload_with_a_copied_signature_is_invalid(cursor_key: str) -> None:
    import base64
    import json

    genuine = encode_cursor(KEY, SCOPE)
    assert genuine is not None
    token = base64.urlsafe_b64decode(genuine + "=" * (-len(genuine) % 4))
    forged_payload = json.dumps({"pk": {"S": "CUSTOMER#cust-2"}, "sk": {"S": "TXN#1"}}).encode()
    forged = base64.urlsafe_b64encode(token[:16] + forged_payload).decode().rstrip("=")
    assert_invalid(forged)


def test_cursor_signed_with_another_key_is_invalid(cursor_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    monkeypatch.setenv("CURSOR_SIGNING_KEY", "another-key")
    settings.cache_clear()

    assert_invalid(cursor)


@pytest.mark.parametrize("garbage", ["", "x", "not a cursor!", "%%%%", "ééé", "AAAA" * 10, "e30"])
def test_garbage_is_invalid(cursor_key: str, garbage: str) -> None:
    assert_invalid(garbage)


def test_truncated_cursor_is_invalid(cursor_key: str) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    assert_invalid(cursor[:-4])
    assert_invalid(cursor[:20])


def test_missing_signing_key_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CURSOR_SIGNING_KEY", raising=False)
    settings.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="CURSOR_SIGNING_KEY"):
            encode_cursor(KEY, SCOPE)
    finally:
        settings.cache_clear()
