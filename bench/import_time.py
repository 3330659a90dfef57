"""Cold-start import cost of every handler in template.yaml, as a ratio to `import boto3`, and the
part of it that is the project's own: the handler's import above its library floor.

Each sample is a fresh interpreter that times one import with perf_counter (interpreter start-up
excluded), runs are interleaved so that machine noise hits all candidates alike, and the figure is
the median. A handler's floor is the same interpreter importing exactly the library modules
(standard library and third-party) that importing the handler loaded, in the order it loaded them,
and nothing of ours: what the chosen libraries cost, however lean our code. Goals: the handler's
own cost (median handler - median floor) at most 0.15x `import boto3`; the whole import at most
1.35x. The environment is emptied of the function settings, which also proves that importing a
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
OWN_GOAL = 0.15

_PROBE = """
import importlib.util, json, sys, time
path, name = sys.argv[1], sys.argv[2]
before = set(sys.modules)
start = time.perf_counter()
if path == "-":
    for module in name.split(","):
        try:
            __import__(module)
        except Exception:
            pass
elif path:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
elapsed = time.perf_counter() - start
ours = ("customer_id", "handler_")
loaded = [m for m in sys.modules if m not in before and not m.startswith(ours)]
print(json.dumps([elapsed, loaded]))
"""


def _sample(path: str, name: str) -> tuple[float, list[str]]:
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
    elapsed, loaded = json.loads(output.stdout.strip().splitlines()[-1])
    return float(elapsed), list(loaded)


def main() -> int:
    functions = Template().functions()
    handlers = {
        function.logical_id: (str(function.module_path), f"handler_{function.logical_id}")
        for function in functions
    }
    floors = {name: ("-", ",".join(_sample(*where)[1])) for name, where in handlers.items()}
    candidates = (
        {"boto3": ("-", "boto3")} | handlers | {f"floor:{name}": where for name, where in floors.items()}
    )
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(RUNS):
        for name, (path, module) in candidates.items():
            samples[name].append(_sample(path, module)[0])
    baseline = statistics.median(samples["boto3"])
    print(f"import boto3: median {baseline * 1000:.1f} ms over {RUNS} fresh processes (the baseline)")
    print(f"{'function':40} {'median ms':>10} {'ratio':>7} {'floor ms':>9} {'own':>7}")
    ratios, own = {}, {}
    for name in handlers:
        median = statistics.median(samples[name])
        floor = statistics.median(samples[f"floor:{name}"])
        ratios[name] = median / baseline
        own[name] = (median - floor) / baseline
        flags = ("" if ratios[name] <= GOAL else f"  over the {GOAL}x goal") + (
            "" if own[name] <= OWN_GOAL else f"  own over the {OWN_GOAL}x goal"
        )
        print(
            f"{name:40} {median * 1000:10.1f} {ratios[name]:7.2f}x {floor * 1000:9.1f} "
            f"{own[name]:6.2f}x{flags}"
        )
    print(
        f"whole import: median {statistics.median(ratios.values()):.2f}x, "
        f"worst {max(ratios.values()):.2f}x, goal <= {GOAL}x"
    )
    print(
        f"own import above the library floor: median {statistics.median(own.values()):.2f}x, "
        f"worst {max(own.values()):.2f}x ({max(own, key=own.__getitem__)}), goal <= {OWN_GOAL}x"
    )
    out = ROOT / ".local" / "bench-import-time.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"baseline_seconds": baseline, "ratios": ratios, "own": own}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
