"""Environment every test shares: fake AWS credentials, never a real account; and settings read
afresh by each test, from the environment that test (or its fixtures) set."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from customer_id import pagination
from customer_id.settings import settings
from tests.iam import (  # noqa: F401  least privilege: calls recorded per function, checked at the end
    pytest_collection_finish,
    pytest_configure,
    pytest_deselected,
    pytest_runtest_logreport,
    pytest_sessionfinish,
)

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_DEV": "false",
    }
)
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--aws-per-test",
        action="store_true",
        help="integration tests: provision the emulated AWS for every test (slow) instead of once per "
        "process with the demo state restored before each test",
    )
    parser.addoption(
        "--remove-guard",
        metavar="GUARD",
        help="run with these guards' conditions removed (comma-separated ids, tests/guards.py; "
        "`make mutants` runs them all)",
    )


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Nothing reads settings at import, so a test's first read is of its own environment; what a
    test read is forgotten when it ends (its environment is undone then too). The cursor secret,
    read once per container, is read again by each test, as by each function's own container."""
    settings.cache_clear()
    _forget_the_secret()
    yield
    settings.cache_clear()
    _forget_the_secret()


def _forget_the_secret() -> None:
    from aws_lambda_powertools.utilities import parameters  # Powertools keeps a value 5 s

    pagination._cipher.cache_clear()
    parameters.clear_caches()


@pytest.fixture(autouse=True)
def remove_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """With `--remove-guard`, the named condition is left out of its write (a mutant). How often
    the mutated write ran goes to $GUARD_HITS, so `make mutants` tells "caught" from "never run"."""
    guard_id = request.config.getoption("--remove-guard")
    if not guard_id:
        yield
        return
    from tests.guards import removed

    with removed(guard_id.split(","), monkeypatch) as hits:
        yield
    if report := os.environ.get("GUARD_HITS"):
        with open(report, "a") as file:
            file.write("".join(f"{hit}\n" for hit in hits))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The fault matrix (tests/integration/test_fault_matrix.py): operation x fault -> effects, one
    row per case that ran (rows travel from xdist workers as the reports' user properties)."""
    rows = [
        value
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        for name, value in getattr(report, "user_properties", [])
        if name == "fault_matrix"
    ]
    if rows:
        terminalreporter.write_sep(
            "=", f"fault matrix: {len(rows)} cases (operation, fault, runs -> effects)"
        )
        for row in sorted(rows):
            terminalreporter.write_line(str(row))
