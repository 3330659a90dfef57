"""`make mutants`: remove each guard in turn and show that a test catches it.

For every guard that tests/guards.py finds in the code, the tests marked `@pytest.mark.guard(id)`
run with that condition removed (`--remove-guard`), in a pytest of their own. The guard is:

- caught: the mutated write ran and a test failed;
- NOT CAUGHT: the mutated write ran and every test passed;
- NOT RUN: the tests never reached the write (they claim a guard they do not exercise);
- NO TEST: no test claims it.

A guard that backs up another (`@pytest.mark.guard(id, backs_up=(other,))`: a condition in the
same transaction that fails first) is removed together with the one it backs up: the test must fail
then, and pass with only the other removed, which shows that this guard alone then decides.

The marked tests first run once unmutated and must pass, or a failure would prove nothing. A guard
that decides no race is listed in NO_RACE with the reason, shown in the report, and not mutated.
Exit status 1 unless every other guard is caught.

    python -m tests.mutants [-j 2] [GUARD ...]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.guards import guards

ROOT = Path(__file__).resolve().parents[1]
SUITES = ["tests/unit", "tests/integration"]

SEQ = "its key follows from the account's seq, read under stage#1's condition, which fails first"
NO_RACE: dict[str, str] = {
    "analytics.repository:record_purchase#1": "keyed by the customer's purchase count, read under the "
    "account's seq (loyalty stage#1), which fails first",
    "loyalty.repository:open_account": "opened only with the profile, in its unit of work: "
    "profile.repository:create decides",
    "loyalty.repository:stage#3": SEQ,
    "loyalty.repository:stage#4": "lots are read and changed only under stage#1's seq condition",
    "loyalty.repository:stage#5": "lots are read and changed only under stage#1's seq condition",
    "loyalty.repository:stage#6": SEQ,
    "notifications.repository:record_sent": "updates an inbox item committed before its id reaches a "
    "sender (this attempt's write_inbox, or the delivery record and held message written after it); "
    "inbox items are never deleted",
    "notifications.repository:write_inbox#1": "a new inbox item's id (its time in microseconds and 40 "
    "random bits); a second attempt is decided by write_inbox#2 in the same transaction",
    "offers.repository:create_offer#1": "a fresh random offer id",
    "offers.repository:create_offer#2": "a fresh random offer id",
    "profile.repository:replace": "no profile is ever deleted, so one read exists at commit",
    "referrals.repository:apply#2": "a fresh referral id (random, or derived from an operation whose "
    "outcome is checked first); apply#1, one referral per referee, is in the same transaction first",
    "security.alerts.repository:raise_alert#2": "the alert's key holds its id, whose reference "
    "(raise_alert#1) is put in the same transaction and fails first (alone it names no error: a bug, not "
    "a race)",
    "support.faq.repository:create_faq#1": "its key holds the creation time as well as the id: a drawn id "
    "that is taken is caught by the lookup (create_faq#2), which holds the id alone",
    "support.faq.repository:record_vote#2": "the item its lookup (read first) names: both are written in "
    "one transaction, and FAQ items are never deleted",
}


@dataclass(frozen=True)
class Claim:
    """A test that catches the guard's removal; with `backs_up`, only once those guards are removed
    too (the guard is their backup: with them gone, it alone decides the race)."""

    test: str
    backs_up: tuple[str, ...] = ()


class _Claims:
    """Collects which tests claim which guards."""

    def __init__(self) -> None:
        self.tests: dict[str, list[Claim]] = defaultdict(list)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            for marker in item.iter_markers("guard"):
                backs_up = marker.kwargs.get("backs_up", ())
                for guard_id in marker.args:
                    self.tests[guard_id].append(Claim(item.nodeid, tuple(backs_up)))


def claims() -> dict[str, list[Claim]]:
    collector = _Claims()
    with contextlib.redirect_stdout(io.StringIO()):
        code = pytest.main(["--collect-only", "-q", *SUITES], plugins=[collector])
    if code != 0:
        raise SystemExit(f"collecting the tests failed ({code})")
    return collector.tests


def _pytest(tests: list[str], *options: str, env: dict[str, str] | None = None) -> int:
    command = [sys.executable, "-m", "pytest", "-q", "-x", "--no-header", "-p", "no:xdist", *options, *tests]
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    return completed.returncode


def _without(guard_ids: list[str], tests: list[str]) -> tuple[int, list[str]]:
    """pytest's exit code with the guards removed, and the guards whose mutated writes ran."""
    with tempfile.NamedTemporaryFile("r", suffix=".hits") as hits:
        code = _pytest(
            tests, f"--remove-guard={','.join(guard_ids)}", env={**os.environ, "GUARD_HITS": hits.name}
        )
        return code, Path(hits.name).read_text().split()


def mutate(guard_id: str, claims: list[Claim]) -> str:
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for claim in claims:
        groups[claim.backs_up].append(claim.test)
    found = []
    for backs_up, tests in sorted(groups.items()):
        code, ran = _without([guard_id, *backs_up], tests)
        if guard_id not in ran:
            return "NOT RUN"
        if code != 1:
            return "NOT CAUGHT" if code == 0 else f"ERROR (pytest exit {code})"
        if backs_up:
            alone, _ = _without(list(backs_up), tests)
            if alone != 0:  # the test must pass while this guard stands in for the removed ones
                return f"NOT CAUGHT (fails with only {', '.join(backs_up)} removed)"
            found.append(f"backs up {', '.join(backs_up)}")
    return "caught" + (f" ({'; '.join(found)})" if found else "")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("guards", nargs="*", help="only these guards (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    arguments = parser.parse_args()

    started = time.monotonic()
    known = {guard.id for guard in guards()}
    claimed = claims()
    backed = {guard_id for found in claimed.values() for claim in found for guard_id in claim.backs_up}
    unknown = sorted((set(claimed) | backed) - known)
    stale = sorted((set(NO_RACE) - known) | (set(NO_RACE) & set(claimed)))
    if unknown or stale:
        print(f"marked guards that do not exist: {unknown}; NO_RACE entries unknown or claimed: {stale}")
        return 1
    selected = [guard for guard in guards() if not arguments.guards or guard.id in arguments.guards]
    marked = sorted({claim.test for guard in selected for claim in claimed.get(guard.id, [])})
    if marked and _pytest(marked) != 0:
        print("the guard tests fail without any mutation: fix them first")
        return 1

    def verdict(guard_id: str) -> str:
        if guard_id in NO_RACE:
            return f"no race: {NO_RACE[guard_id]}"
        if not claimed.get(guard_id):
            return "NO TEST"
        return mutate(guard_id, claimed[guard_id])

    with ThreadPoolExecutor(arguments.jobs) as pool:
        verdicts = list(pool.map(verdict, [guard.id for guard in selected]))

    width = max(len(guard.id) for guard in selected)
    for guard, result in zip(selected, verdicts, strict=True):
        print(f"{guard.id:<{width}}  {result:<12}  {len(claimed.get(guard.id, []))} tests  {guard.text[:70]}")
    failed = [result for result in verdicts if not result.startswith(("caught", "no race"))]
    caught = sum(result.startswith("caught") for result in verdicts)
    print(
        f"\n{len(selected)} guards: {caught} caught, {len(selected) - caught - len(failed)} decide no race, "
        f"{len(failed)} not caught ({time.monotonic() - started:.0f} s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
