"""Cursors: opaque, tamper-evident, bound to the scope (route, customer, filters) they were issued for."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest

from customer_id.errors import InvalidInput, NotFound
from customer_id.pagination import decode_cursor, encode_cursor, listing
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


def _unwrapped(cursor: str) -> bytes:
    """What anyone holding the cursor reads in it: its base64 decoded."""
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def test_cursor_is_url_safe(cursor_key: str) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    assert not set(cursor) - set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_cursor_reveals_nothing_of_the_key(cursor_key: str) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    token = _unwrapped(cursor)
    plain = json.dumps(KEY, separators=(",", ":"), sort_keys=True).encode()
    # base64 of plain JSON (signed or not) would show all of these
    for visible in (b'"pk"', b'"sk"', b"CUSTOMER#", b"cust-1", b"TXN#", b"000000000042", plain[:8]):
        assert visible not in token, visible
    assert plain not in token
    # nor another encoding of it: keys that differ in one character share nothing but the length
    other = encode_cursor({**KEY, "sk": {"S": "TXN#000000000043"}}, SCOPE)
    assert other is not None
    same = sum(left == right for left, right in zip(token, _unwrapped(other), strict=True))
    assert same < len(token) // 4


def test_the_same_key_and_scope_give_the_same_cursor(cursor_key: str) -> None:
    assert encode_cursor(KEY, SCOPE) == encode_cursor(dict(reversed(KEY.items())), SCOPE)
    assert encode_cursor(KEY, SCOPE) != encode_cursor(KEY, "loyalty.transactions|cust-2|*")


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
    genuine = encode_cursor(KEY, SCOPE)
    assert genuine is not None
    token = base64.urlsafe_b64decode(genuine + "=" * (-len(genuine) % 4))
    forged_payload = json.dumps({"pk": {"S": "CUSTOMER#cust-2"}, "sk": {"S": "TXN#1"}}).encode()
    forged = base64.urlsafe_b64encode(token[:16] + forged_payload).decode().rstrip("=")
    assert_invalid(forged)


def test_cursor_signed_with_another_key_is_invalid(
    cursor_key: str, cursor_secrets: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    other = "arn:aws:secretsmanager:us-east-1:123456789012:secret:CursorSigningSecret-other1"
    cursor_secrets[other] = "another-key"
    monkeypatch.setenv("CURSOR_SECRET_ARN", other)
    settings.cache_clear()

    assert_invalid(cursor)


def test_the_key_is_read_once_per_container(cursor_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from aws_lambda_powertools.utilities import parameters

    read: list[str] = []
    fetch = parameters.get_secret

    def counted(name: str, **options: object) -> str:
        read.append(name)
        return str(fetch(name))

    monkeypatch.setattr(parameters, "get_secret", counted)
    cursor = encode_cursor(KEY, SCOPE)
    assert decode_cursor(cursor, SCOPE) == KEY
    assert encode_cursor(KEY, SCOPE) == cursor

    assert read == [os.environ["CURSOR_SECRET_ARN"]]


def test_an_empty_secret_fails_loudly(
    cursor_secrets: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = "arn:aws:secretsmanager:us-east-1:123456789012:secret:CursorSigningSecret-empty1"
    cursor_secrets[empty] = ""
    monkeypatch.setenv("CURSOR_SECRET_ARN", empty)
    with pytest.raises(RuntimeError, match="holds no signing key"):
        encode_cursor(KEY, SCOPE)


@pytest.mark.parametrize("garbage", ["", "x", "not a cursor!", "%%%%", "ééé", "AAAA" * 10, "e30"])
def test_garbage_is_invalid(cursor_key: str, garbage: str) -> None:
    assert_invalid(garbage)


def test_truncated_cursor_is_invalid(cursor_key: str) -> None:
    cursor = encode_cursor(KEY, SCOPE)
    assert cursor is not None
    assert_invalid(cursor[:-4])
    assert_invalid(cursor[:20])


def test_missing_signing_key_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CURSOR_SECRET_ARN", raising=False)
    settings.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="CURSOR_SECRET_ARN"):
            encode_cursor(KEY, SCOPE)
    finally:
        settings.cache_clear()


# ---- listing: cursor check, then existence check, then one page -----------------------------------


class Steps:
    """Records what `listing` ran, in order."""

    def __init__(self, records: list[str], next_key: dict[str, Any] | None) -> None:
        self.records = records
        self.next_key = next_key
        self.ran: list[str] = []
        self.starts: list[dict[str, Any] | None] = []

    def before(self) -> None:
        self.ran.append("before")

    def fetch(self, start: dict[str, Any] | None) -> tuple[list[str], dict[str, Any] | None]:
        self.ran.append("fetch")
        self.starts.append(start)
        return self.records, self.next_key


def test_listing_first_page_runs_before_then_fetch_from_the_beginning(cursor_key: str) -> None:
    steps = Steps(["a", "b"], KEY)

    records, cursor = listing(SCOPE, None, steps.fetch, before=steps.before)

    assert records == ["a", "b"]
    assert steps.ran == ["before", "fetch"]
    assert steps.starts == [None]
    assert cursor is not None
    assert decode_cursor(cursor, SCOPE) == KEY


def test_listing_cursor_round_trips_to_the_start_key(cursor_key: str) -> None:
    first = Steps(["a"], KEY)
    _, cursor = listing(SCOPE, None, first.fetch)
    second = Steps(["b"], None)

    listing(SCOPE, cursor, second.fetch)

    assert second.starts == [KEY]


def test_listing_last_page_has_no_cursor(cursor_key: str) -> None:
    steps = Steps(["z"], None)

    assert listing(SCOPE, encode_cursor(KEY, SCOPE), steps.fetch) == (["z"], None)


@pytest.mark.parametrize("scope", [SCOPE, "loyalty.transactions|cust-2|*"])
def test_listing_forged_or_foreign_cursor_is_400_before_anything_runs(cursor_key: str, scope: str) -> None:
    steps = Steps(["a"], None)
    foreign = encode_cursor(KEY, "referrals|cust-1")
    assert foreign is not None

    for cursor in ("not a cursor!", foreign):
        with pytest.raises(InvalidInput) as raised:
            listing(scope, cursor, steps.fetch, before=steps.before)
        assert raised.value.code == "invalid_cursor"
    assert steps.ran == []


def test_listing_existence_error_propagates_before_fetch(cursor_key: str) -> None:
    steps = Steps(["a"], KEY)

    def missing() -> None:
        raise NotFound("customer_not_found", customerId="cust-1")

    with pytest.raises(NotFound):
        listing(SCOPE, encode_cursor(KEY, SCOPE), steps.fetch, before=missing)
    assert steps.ran == []
