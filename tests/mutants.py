"""`make mutants`: remove each guard in turn and show that a test catches it.

For every guard that tests/guards.py finds in the code, the tests marked `@pytest.mark.guard(id)`
run with that condition removed (`--remove-guard`), in a pytest of their own. The guard is:

- caught: the mutated write ran and a test failed;
- NOT CAUGHT: the mutated write ran and every test passed;
- NOT RUN: the tests never reached the write (they claim a guard they do not exercise);
- NO TEST: no test claims it.

The marked tests first run once unmutated and must pass, or a failure would prove nothing. A guard
that decides no race (a fresh random id, a write that only follows another guard's) is listed in
NO_RACE with the reason, shown in the report, and not mutated. Exit status 1 unless every other
guard is caught.

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
from pathlib import Path

import pytest

from tests.guards import guards

ROOT = Path(__file__).resolve().parents[1]
SUITES = ["tests/unit", "tests/integration"]

NO_RACE: dict[str, str] = {}


class _Claims:
    """Collects which tests claim which guards."""

    def __init__(self) -> None:
        self.tests: dict[str, list[str]] = defaultdict(list)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            for marker in item.iter_markers("guard"):
                for guard_id in marker.args:
                    self.tests[guard_id].append(item.nodeid)


def claims() -> dict[str, list[str]]:
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


def mutate(guard_id: str, tests: list[str]) -> str:
    with tempfile.NamedTemporaryFile("r", suffix=".hits") as hits:
        code = _pytest(tests, f"--remove-guard={guard_id}", env={**os.environ, "GUARD_HITS": hits.name})
        ran = sum(int(line.split()[-1]) for line in Path(hits.name).read_text().splitlines())
    if ran == 0:
        return "NOT RUN"
    return "caught" if code == 1 else "NOT CAUGHT" if code == 0 else f"ERROR (pytest exit {code})"


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
    unknown = sorted(set(claimed) - known)
    stale = sorted(set(NO_RACE) - known)
    if unknown or stale:
        print(f"marked guards that do not exist: {unknown}; NO_RACE entries that do not: {stale}")
        return 1
    selected = [guard for guard in guards() if not arguments.guards or guard.id in arguments.guards]
    marked = sorted({test for guard in selected for test in claimed.get(guard.id, [])})
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
    caught = sum(result == "caught" for result in verdicts)
    print(
        f"\n{len(selected)} guards: {caught} caught, {len(selected) - caught - len(failed)} decide no race, "
        f"{len(failed)} not caught ({time.monotonic() - started:.0f} s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
