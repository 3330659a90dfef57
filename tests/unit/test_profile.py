"""Profile input rules (API.md "Rules in detail") and the PUT workflow on an in-memory repository."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from customer_id import db
from customer_id.errors import NotFound
from customer_id.profile import api, repository
from customer_id.profile.models import Profile
from customer_id.profile.repository import ProfileExists, ProfileMissing
from customer_id.profile.schemas import COUNTRIES, ProfileInput
from customer_id.segments import service as segments
from customer_id.workflows import onboarding

VALID: dict[str, Any] = {
    "displayName": "Layla Hassan",
    "email": "layla@example.com",
    "phone": "+966501234567",
    "language": "ar",
    "timezone": "Asia/Riyadh",
    "country": "SA",
}


def with_(**changes: Any) -> dict[str, Any]:
    return {**VALID, **changes}


def error_fields(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        ProfileInput.model_validate(data)
    return [".".join(str(part) for part in error["loc"]) for error in raised.value.errors()]


# ---- input -------------------------------------------------------------------------------------


def test_valid_input() -> None:
    profile = ProfileInput.model_validate(VALID)

    assert profile.display_name == "Layla Hassan"
    assert profile.email == "layla@example.com"
    assert profile.phone == "+966501234567"
    assert (profile.language, profile.timezone, profile.country) == ("ar", "Asia/Riyadh", "SA")


def test_optional_fields_may_be_left_out() -> None:
    profile = ProfileInput.model_validate({k: v for k, v in VALID.items() if k not in ("phone", "country")})
    assert (profile.phone, profile.country) == (None, None)


def test_country_is_upper_cased() -> None:
    assert ProfileInput.model_validate(with_(country="sa")).country == "SA"
    assert ProfileInput.model_validate(with_(country="gB")).country == "GB"


def test_the_country_codes_are_iso_3166_1_alpha_2() -> None:
    import pycountry  # a dev dependency: the layer ships the list, not pycountry's database

    assert {country.alpha_2 for country in pycountry.countries} == COUNTRIES


def test_display_name_is_trimmed_and_100_characters_are_allowed() -> None:
    assert ProfileInput.model_validate(with_(displayName="  Layla  ")).display_name == "Layla"
    assert ProfileInput.model_validate(with_(displayName="ل" * 100)).display_name == "ل" * 100


@pytest.mark.parametrize(
    "phone",
    [
        "0501234567",
        "966501234567",
        "+0501234567",
        "+",
        "+1",
        "+9665012345678901",
        "+966 50 123 4567",
        "+96650123456a",
    ],
)
def test_bad_phone_is_rejected(phone: str) -> None:
    assert error_fields(with_(phone=phone)) == ["phone"]


def test_phone_with_trailing_newline_is_rejected() -> None:
    assert error_fields(with_(phone="+966501234567\n")) == ["phone"]


def test_phone_with_non_ascii_digits_is_rejected() -> None:
    assert error_fields(with_(phone="+9٦٦٥٠١٢٣٤٥٦٧")) == ["phone"]


@pytest.mark.parametrize("timezone", ["Mars/Olympus", "asia/riyadh", "GMT+3", "+03:00", "", "Asia/Riyadh "])
def test_bad_timezone_is_rejected(timezone: str) -> None:
    assert error_fields(with_(timezone=timezone)) == ["timezone"]


@pytest.mark.parametrize("country", ["XX", "SAU", "S", "12", "", "UK", "Saudi Arabia"])
def test_bad_country_is_rejected(country: str) -> None:
    assert error_fields(with_(country=country)) == ["country"]


@pytest.mark.parametrize(
    "email", ["layla", "layla@", "@example.com", "layla@@example.com", "a b@example.com"]
)
def test_bad_email_is_rejected(email: str) -> None:
    assert error_fields(with_(email=email)) == ["email"]


def test_unknown_field_is_rejected() -> None:
    assert error_fields(with_(nickname="Lulu")) == ["nickname"]


def test_snake_case_names_of_unknown_fields_are_not_confused_with_known_ones() -> None:
    # camelCase on the wire; the Python name is accepted too (populate_by_name), but nothing else
    assert error_fields(with_(display_name_2="x")) == ["display_name_2"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "ل" * 101])
def test_bad_display_name_is_rejected(name: str) -> None:
    assert error_fields(with_(displayName=name)) == ["displayName"]


@pytest.mark.parametrize("language", ["fr", "AR", "", "arabic"])
def test_language_is_ar_or_en(language: str) -> None:
    assert error_fields(with_(language=language)) == ["language"]


def test_required_fields() -> None:
    assert sorted(error_fields({})) == ["displayName", "email", "language", "timezone"]


# ---- PUT ---------------------------------------------------------------------------------------


class RecordingWork:
    """A unit of work that records the records added to it; its commit is the fake store's."""

    def __init__(self, commit: Callable[[list[Any]], None]) -> None:
        self.records: list[Any] = []
        self._commit = commit

    def __len__(self) -> int:
        return len(self.records)

    def put(self, record: Any, condition: Any = None, *, fails_with: Any = None) -> None:
        self.records.append(record)

    def update(self, record: Any, actions: Any, condition: Any = None, *, fails_with: Any = None) -> None:
        self.records.append(record)

    def commit(self) -> None:
        self._commit(self.records)


class FakeProfiles:
    def __init__(self) -> None:
        self.profiles: dict[str, Profile] = {}
        self.opened: list[Any] = []  # the loyalty records written with the first profile
        self.moved: list[Any] = []  # the records a later PUT wrote with the profile
        self.race_on_create: Callable[[Profile], None] | None = None

    def get(self, customer_id: str) -> Profile | None:
        return self.profiles.get(customer_id)

    def create(self, work: RecordingWork, profile: Profile) -> None:
        work.put(("profile", profile))

    def commit(self, records: list[Any]) -> None:
        """All or nothing, like the transaction: `ProfileExists` if the new profile exists already,
        `ProfileMissing` if a replaced one does not."""
        (kind, profile), *others = records
        if kind == "replace":
            if profile.customer_id not in self.profiles:
                raise ProfileMissing
            self.profiles[profile.customer_id] = profile
            self.moved += others
            return
        if self.race_on_create is not None:  # another PUT created it first
            self.race_on_create(profile)
            self.race_on_create = None
        if profile.customer_id in self.profiles:
            raise ProfileExists
        self.opened += others
        self.profiles[profile.customer_id] = profile

    def replace(self, work: RecordingWork, profile: Profile, updated_at: datetime) -> None:
        work.put(("replace", profile))


@pytest.fixture
def profiles(monkeypatch: pytest.MonkeyPatch) -> FakeProfiles:
    fake = FakeProfiles()
    for name in ("get", "create", "replace"):
        monkeypatch.setattr(repository, name, getattr(fake, name))
    monkeypatch.setattr(db, "UnitOfWork", lambda: RecordingWork(fake.commit))
    # the segment assignment opened with the profile is the segments feature's: record that it was asked
    monkeypatch.setattr(segments, "open_in", lambda work, profile: work.put(("segment", profile)))
    return fake


FIRST = datetime(2026, 1, 10, 8, 0, 0, 123456, tzinfo=UTC)
LATER = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_first_put_creates_the_profile_and_opens_the_loyalty_account(profiles: FakeProfiles) -> None:
    output = onboarding.put_profile("cust-1", ProfileInput.model_validate(VALID), now=FIRST)

    assert output.model_dump(mode="json", by_alias=True) == {
        "customerId": "cust-1",
        "displayName": "Layla Hassan",
        "email": "layla@example.com",
        "phone": "+966501234567",
        "language": "ar",
        "timezone": "Asia/Riyadh",
        "country": "SA",
        "joinedAt": "2026-01-10T08:00:00.123Z",
    }
    account, (kind, opened_for), anniversary = profiles.opened
    assert (kind, opened_for.customer_id, opened_for.joined_at) == ("segment", "cust-1", FIRST)
    assert (account.pk, account.sk) == ("CUSTOMER#cust-1", "ACCOUNT")
    assert (account.tier, account.balance, account.lifetime_points, account.seq) == ("bronze", 0, 0, 0)
    assert account.redemption_hold is False
    assert (anniversary.sk, anniversary.celebration_shard[:6], anniversary.since) == (
        "CELEBRANT#anniversary",
        "01-10#",
        "2026-01-10",
    )
    assert anniversary.celebration_zone == "Asia/Riyadh#cust-1"


def test_later_put_updates_but_keeps_joined_at(profiles: FakeProfiles) -> None:
    onboarding.put_profile("cust-1", ProfileInput.model_validate(VALID), now=FIRST)

    update = {k: v for k, v in with_(displayName="Layla H.", language="en").items() if k != "phone"}
    output = onboarding.put_profile("cust-1", ProfileInput.model_validate(update), now=LATER)

    assert output.joined_at == FIRST
    assert (output.display_name, output.language, output.phone) == ("Layla H.", "en", None)
    assert profiles.profiles["cust-1"].joined_at == FIRST
    assert len(profiles.opened) == 3  # the account, the segment and the anniversary are opened once
    assert profiles.moved == []  # the same time zone: the special dates stay where they are


def test_put_racing_another_first_put_updates_the_winner(profiles: FakeProfiles) -> None:
    def other_put_wins(profile: Profile) -> None:
        profiles.profiles[profile.customer_id] = Profile(**{**profile.__dict__, "joined_at": FIRST})

    profiles.race_on_create = other_put_wins

    output = onboarding.put_profile("cust-1", ProfileInput.model_validate(VALID), now=LATER)

    assert output.joined_at == FIRST
    assert profiles.opened == []


def test_get_profile_before_the_first_put_is_not_found(profiles: FakeProfiles) -> None:
    with pytest.raises(NotFound) as raised:
        api.get_profile("cust-1")
    assert raised.value.code == "profile_not_found"
    assert raised.value.params == {"customerId": "cust-1"}
