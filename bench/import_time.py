"""Cold-start import cost of every handler in template.yaml, as a ratio to `import boto3`, and the
part of it that is the project's own: the handler's import above its library floor.

Each sample is a fresh interpreter that times one import with perf_counter (interpreter start-up
excluded); runs are interleaved so that machine noise hits all candidates alike, and each figure is
the median of its samples. Three figures per handler:

- whole: importing the handler into a fresh interpreter;
- floor: importing exactly the library modules (standard library and third-party) that importing
  the handler loaded, in the order it loaded them, and nothing of ours: what the chosen libraries
  cost, however lean our code;
- own: the floor imported first, untimed, then the handler timed in the same interpreter: what our
  modules add (their code, and the pydantic and pynamodb classes and dataclasses they build). It is
  measured directly rather than as whole - floor, a difference of two noisy medians.

Goals: own at most 0.15x `import boto3`; whole at most 1.35x. The environment is emptied of the
function settings, which also proves that importing a handler reads none of them; only the
libraries' own switches that the template sets (`PYDANTIC_DISABLE_PLUGINS`) are kept.

`BENCH_FUNCTIONS=GetProfileFunction,...` limits the run to some functions; `BENCH_RUNS` sets the
number of samples (7).
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

# argv: the handler's file ("" for none), its module name, library modules to import first
# (untimed, "" for none), library modules to import timed ("" for none)
_PROBE = """
import importlib.util, json, sys, time
path, name, before_timer, timed = sys.argv[1:5]

def load(modules):
    for module in filter(None, modules.split(",")):
        try:
            __import__(module)
        except Exception:
            pass

load(before_timer)
before = set(sys.modules)
start = time.perf_counter()
load(timed)
if path:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
elapsed = time.perf_counter() - start
ours = ("customer_id", "handler_")
loaded = [m for m in sys.modules if m not in before and not m.startswith(ours)]
print(json.dumps([elapsed, loaded]))
"""


_LIBRARY_SWITCHES = ("PYDANTIC_",)


def _library_switches() -> dict[str, str]:
    """The library settings that the template gives every function, as Lambda would."""
    return {
        key: value
        for function in Template().functions()
        for key, value in function.environment.items()
        if key.startswith(_LIBRARY_SWITCHES)
    }


def _sample(path: str, name: str, before_timer: str = "", timed: str = "") -> tuple[float, list[str]]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT / "layers" / "domain"),
        "AWS_DEFAULT_REGION": "us-east-1",
        **_SWITCHES,
    }
    output = subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, "-c", _PROBE, path, name, before_timer, timed],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed, loaded = json.loads(output.stdout.strip().splitlines()[-1])
    return float(elapsed), list(loaded)


_SWITCHES = _library_switches()


def main() -> int:
    wanted = [name for name in os.environ.get("BENCH_FUNCTIONS", "").split(",") if name]
    handlers = {
        function.logical_id: (str(function.module_path), f"handler_{function.logical_id}")
        for function in Template().functions()
        if not wanted or function.logical_id in wanted
    }
    floors = {name: ",".join(_sample(*where)[1]) for name, where in handlers.items()}
    # name -> (path, module name, modules imported untimed, modules imported timed)
    candidates: dict[str, tuple[str, str, str, str]] = {"boto3": ("", "", "", "boto3")}
    for name, (path, module) in handlers.items():
        candidates[name] = (path, module, "", "")
        candidates[f"floor:{name}"] = ("", "", "", floors[name])
        candidates[f"own:{name}"] = (path, module, floors[name], "")
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(RUNS):
        for name, where in candidates.items():
            samples[name].append(_sample(*where)[0])
    baseline = statistics.median(samples["boto3"])
    print(f"import boto3: median {baseline * 1000:.1f} ms over {RUNS} fresh processes (the baseline)")
    print(f"{'function':40} {'whole ms':>9} {'ratio':>7} {'floor ms':>9} {'own ms':>7} {'own':>6}")
    ratios, own = {}, {}
    for name in handlers:
        median = statistics.median(samples[name])
        floor = statistics.median(samples[f"floor:{name}"])
        own_ms = statistics.median(samples[f"own:{name}"])
        ratios[name] = median / baseline
        own[name] = own_ms / baseline
        flags = ("" if ratios[name] <= GOAL else f"  over the {GOAL}x goal") + (
            "" if own[name] <= OWN_GOAL else f"  own over the {OWN_GOAL}x goal"
        )
        print(
            f"{name:40} {median * 1000:9.1f} {ratios[name]:6.2f}x {floor * 1000:9.1f} "
            f"{own_ms * 1000:7.1f} {own[name]:5.2f}x{flags}"
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
