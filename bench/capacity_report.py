"""The capacity model's figures from the recorded accesses (`bench/capacity_recorder.py`): per table
and per index, Lambda, cost; as a dict (the JSON) and as the markdown block of README.md."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.capacity_assumptions import DYNAMODB_LATENCY_MS, MIX, PRICES
from bench.capacity_recorder import Access

GOAL_RATE = 10_000
GOAL_WRITES = 300
BEGIN_MARK = "<!-- capacity:begin -->"
END_MARK = "<!-- capacity:end -->"


def per_second(accesses: Iterable[Access], start: float, scale: float = 1.0) -> dict[str, Any]:
    """Per table and index (`Table` or `Table/index`): peak read and write units a second, and the
    hottest partition key by writes in one second (writes: item mutations, failed conditional
    writes included). Each access stands for `scale` of them (a sampled replay): the per-second
    figures are multiplied by it; the totals are what was recorded. The hottest key's recorded
    writes and the distinct requests that made them say how far the scaled figure can be trusted:
    a key written by a few requests of the sample (a customer's own) is an upper bound."""
    reads: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    writes: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    key_writes: dict[str, Counter[tuple[int, str]]] = defaultdict(Counter)
    key_units: dict[str, dict[tuple[int, str], float]] = defaultdict(lambda: defaultdict(float))
    key_requests: dict[str, dict[tuple[int, str], set[int]]] = defaultdict(lambda: defaultdict(set))
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for access in accesses:
        name = access.table + (f"/{access.index}" if access.index else "")
        second = int(access.at - start)
        if access.kind == "read":
            reads[name][second] += access.units
            totals[name]["read_units"] += access.units
        else:
            writes[name][second] += access.units
            totals[name]["write_units"] += access.units
            if access.kind == "write":
                key_writes[name][(second, access.key)] += 1
                key_units[name][(second, access.key)] += access.units
                key_requests[name][(second, access.key)].add(access.request)
                totals[name]["writes"] += 1
    rows = {}
    for name in sorted(set(reads) | set(writes)):
        row: dict[str, Any] = {
            "peak_read_units_per_second": max(reads[name].values(), default=0) * scale,
            "peak_write_units_per_second": max(writes[name].values(), default=0) * scale,
            "read_units": totals[name]["read_units"],
            "write_units": totals[name]["write_units"],
            "writes": totals[name]["writes"],
            "hottest_key": None,
            "hottest_key_writes_per_second": 0,
            "hottest_key_write_units_per_second": 0,
        }
        if key_writes[name]:
            (_, key), count = max(key_writes[name].items(), key=lambda entry: (entry[1], entry[0][1]))
            hottest = max(
                (entry for entry in key_writes[name].items() if entry[0][1] == key),
                key=lambda entry: entry[1],
            )
            row["hottest_key"] = key
            row["hottest_key_writes_recorded"] = count
            row["hottest_key_writes_per_second"] = count * scale
            row["hottest_key_write_units_per_second"] = key_units[name][hottest[0]] * scale
            row["hottest_key_requests_recorded"] = len(key_requests[name][hottest[0]])
        rows[name] = row
    return rows


def report(model: Any, day: Any, peak: list[Access], daily: list[Access], start: float) -> dict[str, Any]:
    scale = day.rate / day.sample
    tables = per_second(peak, start, scale)
    hottest_name, hottest = max(tables.items(), key=lambda entry: entry[1]["hottest_key_writes_per_second"])
    projected = hottest["hottest_key_writes_per_second"] * GOAL_RATE / day.rate
    functions: dict[str, dict[str, Any]] = {}
    for invocation in model.invocations:
        if invocation.phase not in ("peak", "daily"):
            continue
        memory = model.functions[invocation.function].memory
        entry = functions.setdefault(
            f"{invocation.phase}:{invocation.function}",
            {
                "phase": invocation.phase,
                "function": invocation.function,
                "memory_mb": memory,
                "invocations": 0,
                "billed_ms": 0,
                "gb_seconds": 0.0,
                "errors": 0,
            },
        )
        billed = invocation.billed_ms()
        entry["invocations"] += 1
        entry["billed_ms"] += billed
        entry["gb_seconds"] += memory / 1024 * billed / 1000
        entry["errors"] += invocation.status is not None and invocation.status >= 500

    peak_functions = [entry for entry in functions.values() if entry["phase"] == "peak"]
    api_requests = day.requests  # the costs are of the replayed requests, per million of them
    sqs_requests = sum(count for call, count in day.peak_other_calls.items() if call.startswith("sqs."))
    costs = {
        "lambda_compute": sum(entry["gb_seconds"] for entry in peak_functions) * PRICES["lambda_gb_second"],
        "lambda_requests": sum(entry["invocations"] for entry in peak_functions) * PRICES["lambda_request"],
        "api_gateway": api_requests * PRICES["api_gateway_request"],
        "dynamodb_writes": sum(row["write_units"] for row in tables.values()) * PRICES["dynamodb_write_unit"],
        "dynamodb_reads": sum(row["read_units"] for row in tables.values()) * PRICES["dynamodb_read_unit"],
        "sqs": sqs_requests * PRICES["sqs_request"],
    }
    per_million = {name: cost / api_requests * 1e6 for name, cost in costs.items()}
    per_million["total"] = sum(per_million.values())
    return {
        "parameters": {
            "customers": day.customers,
            "rate": day.rate,
            "sample": day.sample,
            "seconds": day.seconds,
            "requests": day.requests,
            "mix": MIX,
            "dynamodb_latency_ms": DYNAMODB_LATENCY_MS,
            "prices": PRICES,
            "seed_wall_seconds": round(day.seed_seconds, 1),
            "replay_wall_seconds": round(day.replay_seconds, 1),
        },
        "statuses": dict(sorted(day.statuses.items())),
        "server_errors": sum(count for status, count in day.statuses.items() if status.endswith(" 500")),
        "peak": tables,
        "daily_jobs": per_second(daily, start),
        "lambda": dict(sorted(functions.items())),
        "cost_per_million_requests": per_million,
        "goal": {
            "hottest": hottest_name,
            "key": hottest["hottest_key"],
            "writes_per_second": hottest["hottest_key_writes_per_second"],
            "requests_recorded": hottest.get("hottest_key_requests_recorded", 0),
            "projected_at_goal_rate": projected,
            "limit": GOAL_WRITES,
            "met": projected <= GOAL_WRITES,
        },
    }


def _short(key: str | None, width: int = 44) -> str:
    if key is None:
        return "-"
    return key if len(key) <= width else key[: width - 1] + "…"


def markdown(figures: dict[str, Any]) -> str:
    parameters, goal = figures["parameters"], figures["goal"]
    lines = [
        f"Peak window: {parameters['rate']:,} requests/s for {parameters['seconds']} simulated s, "
        f"{parameters['sample']:,} requests replayed a second (each standing for "
        f"{parameters['rate'] / parameters['sample']:,.0f}), {parameters['customers']:,} customers; "
        f"{figures['server_errors']} of {parameters['requests']:,} answers were 500.",
        "",
        "| table / index | peak RCU/s | peak WCU/s | hottest partition key (writes) | writes/s | WCU/s "
        "| requests recorded |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for name, row in figures["peak"].items():
        lines.append(
            f"| {name} | {row['peak_read_units_per_second']:,.1f} "
            f"| {row['peak_write_units_per_second']:,.0f} | "
            f"`{_short(row['hottest_key'])}` | {row['hottest_key_writes_per_second']:,.0f} | "
            f"{row['hottest_key_write_units_per_second']:,.0f} | "
            f"{row.get('hottest_key_requests_recorded', 0)} |"
        )
    verdict = "PASS" if goal["met"] else "FAIL"
    lines += [
        "",
        f"**Hottest partition key: `{_short(goal['key'], 80)}` in {goal['hottest']}, "
        f"{goal['writes_per_second']:,.0f} writes/s** (from {goal['requests_recorded']:,} requests of the "
        f"sample; at {GOAL_RATE:,} requests/s: "
        f"{goal['projected_at_goal_rate']:,.0f}; goal at most {goal['limit']}: {verdict}).",
        "",
        "Daily jobs (each run once, on the seeded customers):",
        "",
        "| table / index | RCU | WCU | hottest partition key (writes) | writes |",
        "|---|---:|---:|---|---:|",
    ]
    for name, row in figures["daily_jobs"].items():
        lines.append(
            f"| {name} | {row['read_units']:,.1f} | {row['write_units']:,.0f} | "
            f"`{_short(row['hottest_key'])}` | {row['writes']:,.0f} |"
        )
    lines += ["", "| Lambda function (phase) | invocations | mean billed ms | GB-s |", "|---|---:|---:|---:|"]
    for entry in figures["lambda"].values():
        lines.append(
            f"| {entry['function']} ({entry['phase']}) | {entry['invocations']:,} | "
            f"{entry['billed_ms'] / entry['invocations']:,.1f} | {entry['gb_seconds']:,.2f} |"
        )
    cost = figures["cost_per_million_requests"]
    lines += [
        "",
        "Estimated $ per million API requests (peak mix): "
        + ", ".join(
            f"{name.replace('_', ' ')} {value:,.2f}" for name, value in cost.items() if name != "total"
        )
        + f"; **total {cost['total']:,.2f}**.",
    ]
    return "\n".join(lines)


def write_readme(path: Path, block: str) -> None:
    """Put `block` between the capacity markers of the README (they must be there)."""
    text = path.read_text()
    pattern = re.compile(re.escape(BEGIN_MARK) + ".*?" + re.escape(END_MARK), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path} has no {BEGIN_MARK} ... {END_MARK} block")
    path.write_text(pattern.sub(lambda _: f"{BEGIN_MARK}\n{block}\n{END_MARK}", text))
