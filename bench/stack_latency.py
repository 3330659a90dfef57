"""Local-stack latency over HTTP, by table size: `POST /customers/{id}/purchases` and
`GET /customers/{id}/loyalty/transactions`, p50 and p95, on DynamoDB Local (what `make serve` runs)
and on moto's DynamoDB (what it ran before), side by side in one run.

Each engine gets its own stack (`python -m local_stack serve`, as `make serve` starts it, in a
throw-away state folder). The tables a purchase writes (loyalty, analytics, segments) are filled
straight through the engine's DynamoDB endpoint with filler items of other customers, keyed like
the real ones (index attributes included), up to each size in turn; then one customer's purchases
and ledger reads are timed over one kept-alive HTTP connection, after a few unmeasured warm-up calls.
moto stops at 10,000 items a table: past that a purchase takes seconds.

`BENCH_SAMPLES` (default 30) sets the timed requests per figure; `BENCH_QUICK=1` stops DynamoDB
Local at 10,000 items.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from local_stack.template import ROOT, Template
from tests.e2e.conftest import Stack, start_stack, stop_stack

FILLED = ("LoyaltyTable", "AnalyticsTable", "SegmentsTable")
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))
WARM_UP = 3
SIZES = {
    "DynamoDB Local": (1_000, 10_000) if os.environ.get("BENCH_QUICK") else (1_000, 10_000, 100_000),
    "moto": (1_000, 10_000),
}
ENGINES = {"DynamoDB Local": "local", "moto": "moto"}
PAYLOAD = "f" * 160  # about the size of a ledger entry's attributes


def _filler(table: dict[str, Any], number: int) -> dict[str, Any]:
    """A filler item of `table`: its key and index attributes (typed as the table defines them), a
    payload; ten items to a partition, as a customer has several items."""
    item: dict[str, Any] = {"payload": {"S": PAYLOAD}}
    roles = {key["AttributeName"]: key["KeyType"] for key in table["KeySchema"]}
    for definition in table["AttributeDefinitions"]:
        name, kind = definition["AttributeName"], definition["AttributeType"]
        if roles.get(name) == "HASH":
            value = f"bench-filler#{number // 10}"
        elif roles.get(name) == "RANGE":
            value = f"filler#{number:08d}"
        else:  # an index key: spread over 1,000 values, sorting after every date the service writes
            value = f"filler-{number % 1000:04d}"
        item[name] = {"N": str(number)} if kind == "N" else {"S": value}
    return item


def _fill(stack: Stack, engine: str, tables: dict[str, dict[str, Any]], start: int, stop: int) -> float:
    """Items start..stop-1 into each filled table; the seconds it took.

    DynamoDB Local commits every item of a BatchWriteItem on its own, and an SQLite commit waits for
    the disk: a TransactWriteItems of 100 puts is one commit, several times faster. moto copies the
    whole table on a transaction, so it gets BatchWriteItem."""
    client = stack.aws("dynamodb")
    began = time.perf_counter()
    for logical_id in FILLED:
        table = tables[logical_id]
        step = 100 if engine == "local" else 25
        for first in range(start, stop, step):
            items = [_filler(table, number) for number in range(first, min(first + step, stop))]
            if engine == "local":
                client.transact_write_items(
                    TransactItems=[{"Put": {"TableName": table["TableName"], "Item": item}} for item in items]
                )
            else:
                pending: dict[str, Any] = {
                    table["TableName"]: [{"PutRequest": {"Item": item}} for item in items]
                }
                while pending:
                    pending = client.batch_write_item(RequestItems=pending)["UnprocessedItems"]
    return time.perf_counter() - began


def _timed(call: Callable[[], requests.Response], expected: int) -> float:
    began = time.perf_counter()
    reply = call()
    elapsed = time.perf_counter() - began
    if reply.status_code != expected:
        raise RuntimeError(f"{reply.request.method} {reply.url}: {reply.status_code} {reply.text[:300]}")
    return elapsed * 1000


def _figures(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[18]


class Customer:
    """One signed-up customer with a profile; its purchases are posted by an admin, as the order
    service does, each request on the same kept-alive connection."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.customer, self.token = stack.sign_up("bench@example.com")
        self.admin = stack.sign_up("bench-orders@example.com", group="admins")[1]
        self.http = requests.Session()
        self.orders = 0
        profile = {
            "displayName": "Bench Mark",
            "email": "bench@example.com",
            "language": "en",
            "timezone": "UTC",
        }
        _timed(lambda: self._call("PUT", "/profile", self.token, profile), 200)

    def _call(self, method: str, path: str, token: str, body: Any = None) -> requests.Response:
        return self.http.request(
            method,
            f"{self.stack.url}/customers/{self.customer}{path}",
            headers={"Authorization": f"Bearer {token}"},
            json=body,
            timeout=120,
        )

    def purchase(self) -> float:
        self.orders += 1
        body = {
            "orderId": f"bench-{self.orders}",
            "amount": "25.00",
            "currency": "SAR",
            "channel": "web",
            "category": ("books", "toys", "electronics")[self.orders % 3],
        }
        return _timed(lambda: self._call("POST", "/purchases", self.admin, body), 201)

    def transactions(self) -> float:
        return _timed(lambda: self._call("GET", "/loyalty/transactions", self.token), 200)


def _measure(customer: Customer) -> dict[str, float]:
    for _ in range(WARM_UP):
        customer.purchase()
        customer.transactions()
    purchases = [customer.purchase() for _ in range(SAMPLES)]
    reads = [customer.transactions() for _ in range(SAMPLES)]
    (purchase_p50, purchase_p95), (read_p50, read_p95) = _figures(purchases), _figures(reads)
    return {
        "purchase_p50": purchase_p50,
        "purchase_p95": purchase_p95,
        "read_p50": read_p50,
        "read_p95": read_p95,
    }


def _run(name: str, tables: dict[str, dict[str, Any]], results: list[dict[str, Any]]) -> None:
    engine = ENGINES[name]
    with tempfile.TemporaryDirectory(prefix="bench-local-stack-") as state:
        stack = start_stack(Path(state), None, "--dynamodb", engine)
        try:
            customer = Customer(stack)
            filled = 0
            for size in SIZES[name]:
                seconds = _fill(stack, engine, tables, filled, size)
                print(
                    f"  {name}: filled to {size:,} items a table in {seconds:.0f} s; timing...",
                    file=sys.stderr,
                    flush=True,
                )
                filled = size
                results.append({"engine": name, "items": size, **_measure(customer)})
        finally:
            with contextlib.suppress(subprocess.TimeoutExpired):  # moto's stack may still be scoring
                stop_stack(stack)  # its backlog of fraud signals: then it is killed


def _ratio(results: list[dict[str, Any]], engine: str, items: int) -> float | None:
    found = [row["purchase_p50"] for row in results if row["engine"] == engine and row["items"] == items]
    return found[0] if found else None


def main() -> int:
    tables = {
        logical_id: arguments for logical_id, arguments in Template().tables().items() if logical_id in FILLED
    }
    results: list[dict[str, Any]] = []
    print(f"local stack over HTTP: {SAMPLES} timed requests per figure, tables filled: {', '.join(FILLED)}")
    for name in SIZES:
        _run(name, tables, results)
    heading = ("engine", "items a table", "POST purchases p50 / p95", "GET transactions p50 / p95")
    print(f"{heading[0]:16} {heading[1]:>13}   {heading[2]:>26}   {heading[3]:>28}")
    for row in results:
        purchase = f"{row['purchase_p50']:8.1f} / {row['purchase_p95']:8.1f} ms"
        read = f"{row['read_p50']:8.1f} / {row['read_p95']:8.1f} ms"
        print(f"{row['engine']:16} {row['items']:13,}   {purchase:>26}   {read:>28}")
    local_small, local_large = (
        _ratio(results, "DynamoDB Local", 1_000),
        _ratio(results, "DynamoDB Local", 100_000),
    )
    local_10k, moto_10k = _ratio(results, "DynamoDB Local", 10_000), _ratio(results, "moto", 10_000)
    if local_small and local_large:
        growth = local_large / local_small
        verdict = "met" if growth <= 1.5 else "NOT met"
        print(
            f"DynamoDB Local purchase p50 at 100,000 / at 1,000 items: {growth:.2f}x "
            f"(goal <= 1.5x: {verdict})"
        )
    if local_10k and moto_10k:
        speedup = moto_10k / local_10k
        verdict = "met" if speedup >= 10 else "NOT met"
        print(f"moto / DynamoDB Local purchase p50 at 10,000 items: {speedup:.1f}x (goal >= 10x: {verdict})")
    out = ROOT / ".local" / "bench-stack-latency.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
