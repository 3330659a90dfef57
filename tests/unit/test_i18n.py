"""Language negotiation (Accept-Language, then profile language, then en) and the text catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from customer_id import i18n, request
from customer_id.auth import Caller
from customer_id.profile import repository as profile_repository

LAYER = Path(i18n.__file__).parents[1]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar-SA", "ar"),
        ("ar", "ar"),
        ("AR-sa", "ar"),
        ("en-GB", "en"),
        ("fr, ar;q=0.5, en;q=0.8", "en"),
        ("en;q=0, ar", "ar"),
        ("ar;q=0.4, en;q=0.9", "en"),
        ("en;q=0.7, ar;q=0.7", "en"),  # equal q: header order
        ("ar;q=0.7, en;q=0.7", "ar"),
        ("  ar-SA ; q=0.9 ,  en ; q=0.2 ", "ar"),
        ("fr-CA, de;q=0.9, ar;q=0.1", "ar"),
        ("*", "en"),
        ("fr, *;q=0.5", "en"),
        ("ar;q=bogus, en;q=0.1", "en"),  # an unreadable q-value counts as 0
    ],
)
def test_from_accept_language_picks_the_best_supported_language(header: str, expected: str) -> None:
    assert i18n.from_accept_language(header) == expected


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "   ",
        "fr",
        "fr-FR, de;q=0.5",
        "ar;q=0, en;q=0",
        ",,,",
        ";q=1",
        "%%%garbage%%%",
        "arabic",
        "english",
    ],
)
def test_from_accept_language_without_a_supported_language_is_none(header: str | None) -> None:
    assert i18n.from_accept_language(header) is None


def test_text_fills_parameters_in_each_language() -> None:
    assert i18n.text("insufficient_points", "en", needed=100, available=40) == (
        "Not enough points: 100 needed, 40 available."
    )
    assert i18n.text("insufficient_points", "ar", needed=100, available=40) == (
        "النقاط غير كافية: المطلوب 100 والمتاح 40."
    )
    assert i18n.text("title.404", "ar") == "غير موجود"


def test_text_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._catalog(), "only.english", {"en": "Hello {name}"})

    assert i18n.text("only.english", "ar", name="Layla") == "Hello Layla"


# ---- the message files beside each feature's code ----------------------------------------------

FEATURES = (
    "profile",
    "loyalty",
    "analytics",
    "security",
    "segments",
    "offers",
    "referrals",
    "rewards",
    "notifications",
    "support",
)


def test_every_message_file_is_found() -> None:
    workflows = {"workflows/rights/messages.toml"}
    expected = {"messages.toml"} | {f"{feature}/messages.toml" for feature in FEATURES} | workflows
    assert set(i18n._sources()) == expected


def test_every_catalogue_entry_has_both_languages() -> None:
    missing = [
        f"{name}: {key}"
        for name, entries in i18n._sources().items()
        for key, entry in entries.items()
        if set(entry) != {"ar", "en"} or not all(entry.values())
    ]
    assert missing == []


def test_no_key_is_defined_in_two_files() -> None:
    files_by_key: dict[str, list[str]] = {}
    for name, entries in i18n._sources().items():
        for key in entries:
            files_by_key.setdefault(key, []).append(name)

    assert {key: names for key, names in files_by_key.items() if len(names) > 1} == {}
    assert set(i18n._catalog()) == set(files_by_key)


def test_a_key_in_two_files_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    twice = {"a/messages.toml": {"x": {"en": "A"}}, "b/messages.toml": {"x": {"en": "B"}}}
    monkeypatch.setattr(i18n, "_sources", lambda: twice)

    with pytest.raises(ValueError, match=r"'x' is defined in both a/messages.toml and b/messages.toml"):
        i18n._catalog.__wrapped__()


@pytest.mark.parametrize("entry", [{"en": "A", "fr": "B"}, {"en": 1}, "A", {}])
def test_an_entry_must_be_texts_by_language(entry: object) -> None:
    with pytest.raises(ValueError, match=r"x/messages.toml: \[k\]"):
        i18n._entry("x/messages.toml", "k", entry)


def test_importing_the_edge_reads_no_message_file() -> None:
    probe = (
        "import customer_id.http, customer_id.i18n as i18n; assert i18n._catalog.cache_info().currsize == 0"
    )
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(LAYER),
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    subprocess.run([sys.executable, "-c", probe], env=environment, check=True)  # noqa: S603 - our own code


def test_has_text() -> None:
    assert i18n.has_text("tier_too_low")
    assert not i18n.has_text("no_such_code")


# ---- the request's language --------------------------------------------------------------------


def test_accept_language_wins_and_the_profile_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_read(customer_id: str) -> str:
        raise AssertionError("profile read although Accept-Language named a language")

    monkeypatch.setattr(profile_repository, "find_language", must_not_read)
    current = request.Request(caller=Caller("c1", frozenset()), accept_language="ar-SA, en;q=0.5")

    assert current.language() == "ar"


def test_without_a_usable_header_the_profile_language_is_used_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []

    def find_language(customer_id: str) -> str:
        reads.append(customer_id)
        return "ar"

    monkeypatch.setattr(profile_repository, "find_language", find_language)
    request.begin(request.Request(caller=Caller("c1", frozenset()), accept_language="fr"))

    assert request.language() == "ar"
    assert request.language() == "ar"
    assert reads == ["c1"]


def test_without_header_or_profile_language_it_is_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(profile_repository, "find_language", lambda customer_id: None)

    assert request.Request(caller=Caller("c1", frozenset()), accept_language=None).language() == "en"


def test_an_anonymous_request_is_english_without_reading_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_read(customer_id: str) -> str:
        raise AssertionError("no caller, nothing to read")

    monkeypatch.setattr(profile_repository, "find_language", must_not_read)

    assert request.Request(caller=None, accept_language=None).language() == "en"


def test_request_caller_is_unauthorized_when_anonymous() -> None:
    from customer_id.errors import Unauthorized

    with pytest.raises(Unauthorized, match="unauthenticated"):
        request.caller()
    request.begin(request.Request(caller=Caller("c9", frozenset()), accept_language="en"))
    assert request.caller().customer_id == "c9"
