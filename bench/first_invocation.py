"""SnapStart: the first invocation after priming against a warm invocation, for every API function.

One local stack (DynamoDB Local and moto, as `make serve` runs them) answers every AWS call over
HTTP. For each API function, a fresh interpreter does what Lambda does for a version with SnapStart:
imports the handler and runs its before-snapshot hook (`customer_id.snapshot.prime`), then its
after-restore hook, then serves the function's `events/` sample once (the first invocation) and
five times more (warm). The figure is first / median(warm) of the CPU time the function's process
spends (`time.process_time`); goal <= 1.2x. CPU, not wall-clock time, because the wall-clock first
call also waits on the other end: DynamoDB Local answers a new connection's first request some 80 ms
late, which says nothing about the function (the wall-clock ratio is printed too). The same is
measured without priming, in another fresh interpreter, to show what priming buys.

`BENCH_FUNCTIONS=GetLoyaltyAccountFunction,...` limits the run to some functions.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.2
WARM = 5

_PROBE = """
import json, os, sys, time, uuid
sys.path[:0] = [{root!r}, {layer!r}]
from local_stack.runtime import context_for, load_module_hooked
from local_stack.template import Template
from tests.harness import sample_event

function = Template(parameters={{"Stage": "dev"}}, region=os.environ["AWS_REGION"]).function(sys.argv[1])
module = load_module_hooked(function, snapshot=sys.argv[2] == "primed")
handler = getattr(module, function.attribute)
event = sample_event(function)
times, cpu = [], []
for _ in range(1 + {warm}):
    if "Idempotency-Key" in (event.get("headers") or {{}}):  # each call a new operation, never a replay
        key = str(uuid.uuid4())
        event["headers"]["Idempotency-Key"] = key
        event["multiValueHeaders"]["Idempotency-Key"] = [key]
    start, started = time.perf_counter(), time.process_time()
    answer = handler(event, context_for(function))
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - started)
print(json.dumps({{"times": times, "cpu": cpu, "status": answer["statusCode"]}}))
"""


def _environment(outputs: dict[str, str]) -> dict[str, str]:
    sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "domain")]
    from local_stack.runtime import shared_environment
    from local_stack.template import Template

    template = Template(parameters={"Stage": "dev"}, region=outputs["Region"])
    return {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_REGION": outputs["Region"],
        "AWS_DEFAULT_REGION": outputs["Region"],
        "AWS_ENDPOINT_URL": outputs["AwsEndpointUrl"],
        "AWS_ENDPOINT_URL_DYNAMODB": outputs["DynamoDbEndpointUrl"],
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        **shared_environment(template.functions()),
    }


def _run(function: str, mode: str, environment: dict[str, str]) -> tuple[float, float, int]:
    """(first / median warm in CPU time, the same in wall-clock time, the answer's status)."""
    probe = _PROBE.format(root=str(ROOT), layer=str(ROOT / "layers" / "domain"), warm=WARM)
    output = subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, "-c", probe, function, mode],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(output.stdout.strip().splitlines()[-1])
    cpu, times = result["cpu"], result["times"]
    return (
        cpu[0] / statistics.median(cpu[1:]),
        times[0] / statistics.median(times[1:]),
        int(result["status"]),
    )


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from local_stack.template import Template
    from tests.e2e.conftest import start_stack, stop_stack

    wanted = [name for name in os.environ.get("BENCH_FUNCTIONS", "").split(",") if name]
    functions = [
        f.logical_id for f in Template().functions() if f.routes and (not wanted or f.logical_id in wanted)
    ]
    with tempfile.TemporaryDirectory() as state:
        stack = start_stack(Path(state))
        try:
            environment = _environment(stack.outputs)
            print(f"first invocation / median of {WARM} warm ones (CPU time), each in fresh interpreters")
            print(f"{'function':40} {'status':>6} {'unprimed':>9} {'primed':>7} {'(wall)':>8}")
            primed_ratios = {}
            for name in functions:
                unprimed, _, _ = _run(name, "unprimed", environment)
                primed, wall, status = _run(name, "primed", environment)
                primed_ratios[name] = primed
                flag = "" if primed <= GOAL else f"  over the {GOAL}x goal"
                print(f"{name:40} {status:6} {unprimed:8.2f}x {primed:6.2f}x {wall:7.2f}x{flag}")
        finally:
            stop_stack(stack)
    ordered = sorted(primed_ratios.values())
    print(
        f"primed: median {statistics.median(ordered):.2f}x, worst {ordered[-1]:.2f}x "
        f"({max(primed_ratios, key=primed_ratios.__getitem__)}), goal <= {GOAL}x"
    )
    out = ROOT / ".local" / "bench-first-invocation.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(primed_ratios, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
