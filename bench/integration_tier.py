"""Wall time of the integration tier, both ways in one run: the emulated AWS provisioned once per
test process and restored between tests (the default), and provisioned for every test
(`--aws-per-test`, as the tier did before). Same pytest, same worker count; the goal is 2x.

BENCH_WORKERS sets the xdist workers (default 2, as `make test`; 0 runs in one process);
BENCH_TESTS the selection (default tests/integration).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

from local_stack.template import ROOT

GOAL = 2.0
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
TESTS = os.environ.get("BENCH_TESTS", "tests/integration").split()
MODES = {"shared stack (default)": [], "provisioned per test (--aws-per-test)": ["--aws-per-test"]}


def _run(extra: list[str]) -> tuple[float, str]:
    command = [sys.executable, "-m", "pytest", *TESTS, "-q", "-p", "no:randomly", *extra]
    if WORKERS:
        command += ["-n", str(WORKERS), "--dist", "loadfile"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    elapsed = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    summary = lines[-1] if lines else done.stderr.strip()[-500:]
    if done.returncode != 0:
        print(done.stdout[-4000:], file=sys.stderr)
        raise SystemExit(f"pytest {' '.join(extra)} failed ({done.returncode}): {summary}")
    return elapsed, re.sub(r"=+", "", summary).strip()


def main() -> int:
    workers = f"-n {WORKERS} --dist loadfile" if WORKERS else "one process"
    print(f"integration tier ({' '.join(TESTS)}), {workers}, wall time of each whole pytest run:")
    seconds = {}
    for name, extra in MODES.items():
        seconds[name], summary = _run(extra)
        print(f"{name:40} {seconds[name]:8.1f} s   {summary}")
    shared, per_test = seconds.values()
    ratio = per_test / shared
    verdict = "" if ratio >= GOAL else f"  under the {GOAL}x goal"
    print(f"speed-up {ratio:.2f}x, goal >= {GOAL}x{verdict}")
    out = ROOT / ".local" / "bench-integration-tier.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"workers": WORKERS, "seconds": seconds, "ratio": ratio}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
