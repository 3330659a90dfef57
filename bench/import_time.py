"""Cold-start import cost of every handler in template.yaml, as a ratio to `import boto3`.

Each sample is a fresh interpreter that times one import with perf_counter (interpreter start-up
excluded), runs are interleaved so that machine noise hits all candidates alike, and the figure is
the median. The environment is emptied of the function settings, which also proves that importing a
handler reads none of them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from local_stack.template import ROOT, Template

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
GOAL = 1.35

_PROBE = """
import importlib.util, sys, time
path, name = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if path == "-":
    __import__(name)
else:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
print(time.perf_counter() - start)
"""


def _sample(path: str, name: str) -> float:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT / "layers" / "domain"),
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    output = subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, "-c", _PROBE, path, name],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(output.stdout.strip())


def main() -> int:
    functions = Template().functions()
    candidates = {"boto3": ("-", "boto3")} | {
        function.logical_id: (str(function.module_path), f"handler_{function.logical_id}")
        for function in functions
    }
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(RUNS):
        for name, (path, module) in candidates.items():
            samples[name].append(_sample(path, module))
    baseline = statistics.median(samples["boto3"])
    print(f"import boto3: median {baseline * 1000:.1f} ms over {RUNS} fresh processes (the baseline)")
    print(f"{'function':40} {'median ms':>10} {'ratio':>7}")
    ratios = {}
    for name in candidates:
        if name == "boto3":
            continue
        median = statistics.median(samples[name])
        ratios[name] = median / baseline
        flag = "" if ratios[name] <= GOAL else f"  over the {GOAL}x goal"
        print(f"{name:40} {median * 1000:10.1f} {ratios[name]:7.2f}x{flag}")
    print(f"worst ratio {max(ratios.values()):.2f}x, goal <= {GOAL}x")
    out = ROOT / ".local" / "bench-import-time.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"baseline_seconds": baseline, "ratios": ratios}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
