"""Unit tests: no AWS, no network. Services run on the in-memory fakes of `tests/unit/fakes.py`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import pytest_socket

from customer_id import request
from tests.unit.fakes import FakeLoyaltyStore, FakeUnitOfWork, emit_to_fake

CURSOR_KEY = "unit-test-cursor-signing-key-0123456789"


@pytest.fixture(autouse=True)
def no_network() -> Iterator[None]:
    pytest_socket.disable_socket()
    yield
    pytest_socket.enable_socket()


@pytest.fixture(autouse=True)
def anonymous_request() -> Iterator[None]:
    """Every test starts (and leaves) with no caller and no Accept-Language, so nothing reads a profile."""
    request.begin(request.Request(caller=None, accept_language=None))
    yield
    request.begin(request.Request(caller=None, accept_language=None))


CURSOR_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:CursorSigningSecret-unit01"


@pytest.fixture
def cursor_secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Secrets Manager as Powertools Parameters reads it (`get_secret`), holding the secrets the test
    puts in (ARN -> value); the cipher cache is cleared around the test."""
    from aws_lambda_powertools.utilities import parameters

    from customer_id import pagination
    from customer_id.settings import settings

    held: dict[str, str] = {}
    monkeypatch.setattr(parameters, "get_secret", lambda name, **_: held[name])
    pagination._cipher.cache_clear()
    settings.cache_clear()
    yield held
    pagination._cipher.cache_clear()
    settings.cache_clear()


@pytest.fixture
def cursor_key(monkeypatch: pytest.MonkeyPatch, cursor_secrets: dict[str, str]) -> str:
    """The cursor secret as the stack gives it: its ARN in the environment, its value in the secret."""
    cursor_secrets[CURSOR_SECRET_ARN] = CURSOR_KEY
    monkeypatch.setenv("CURSOR_SECRET_ARN", CURSOR_SECRET_ARN)
    return CURSOR_KEY


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> FakeLoyaltyStore:
    fake = FakeLoyaltyStore()
    fake.install(monkeypatch)
    return fake


@pytest.fixture(autouse=True)
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Outbox messages the code under test queued (queue, message): each joins its (fake) unit of
    work and is listed once that commits, in commit order."""
    from customer_id import outbox

    sent: list[tuple[str, object]] = []
    monkeypatch.setattr(outbox, "emit", emit_to_fake)
    monkeypatch.setattr(FakeUnitOfWork, "published", sent)
    return sent
