"""The capacity model: a synthetic sale day replayed through the real services on moto, every
DynamoDB request recorded (`bench/capacity_recorder.py`), and per table and per index: the peak
read and write units a second, the hottest partition key and its writes a second; Lambda GB-s and
an estimated $ per million API requests. Goal: at 10,000 requests/s no partition key above 300
writes/s.

The day:
1. N customers (`--customers`). One customer is signed up for real (`PUT /profile`) and buys
   (`POST /purchases`) through the handlers; every item that left with its id in the key is then
   cloned for the N customers straight into moto's tables, the id replaced (a bulk path: seconds
   instead of N invocations; items shared by all customers, such as counters, are not cloned).
2. The peak window of the sale hour, replayed in full: `--rate` requests a second for `--seconds`
   simulated seconds, spread evenly over each second, each request one real handler invocation
   with the frozen clock at its instant, picked by `MIX` (purchases from the order service,
   signups, redemptions, offer applications, reads, security events) for a random customer. After
   each second the outbox relay and the queue consumers run on what that second queued (their
   writes count in that second).
3. The daily jobs the template schedules, once each, at their next scheduled instant, reported apart.

Lambda duration per invocation: the handler's own time (wall time minus the time spent inside moto)
plus `DYNAMODB_LATENCY_MS` per DynamoDB call (moto's time is not AWS's), billed per 1 ms.

`make capacity` prints the report, writes it as JSON to `.local/capacity.json` and, with
`--write-readme`, puts its markdown block in README.md between the capacity markers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import sys
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        "LOG_LEVEL": "ERROR",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)

import moto.sqs.models
import time_machine
from moto import mock_aws

from bench.capacity_assumptions import DYNAMODB_LATENCY_MS, MIX
from bench.capacity_recorder import ACCOUNT, Recorder, tables_of
from local_stack.queues import QueuePoller
from local_stack.schedules import Schedule
from local_stack.streams import StreamPoller
from local_stack.template import ROOT, Template
from tests.harness import handler as loaded_handler
from tests.moto_speed import quick_moto

REGION = "us-east-1"
GOAL_RATE = 10_000  # requests/s at which the goal is judged (bench/capacity_report.py judges it)
SALE_DAY = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # the sale hour's first second

# --- the stack and the invocations ------------------------------------------------------------------


@dataclass
class Invocation:
    function: str
    phase: str  # "peak" or "daily"
    seconds: float  # wall time of the handler
    in_dynamodb: float  # of which inside moto
    calls: Counter[str]  # DynamoDB calls by operation
    status: int | None

    def billed_ms(self) -> int:
        modeled = sum(
            count * DYNAMODB_LATENCY_MS.get(operation, DYNAMODB_LATENCY_MS["default"])
            for operation, count in self.calls.items()
        )
        return max(1, math.ceil((self.seconds - self.in_dynamodb) * 1000 + modeled))


class Model:
    """The provisioned stack on moto, its handlers wrapped so that each invocation is timed and its
    DynamoDB requests are recorded under the function's name."""

    def __init__(self) -> None:
        from customer_id.settings import settings
        from local_stack.resources import provision
        from local_stack.runtime import shared_environment

        self.template = Template(region=REGION)
        provision(self.template, REGION)
        os.environ.update(shared_environment(self.template.functions()))
        settings.cache_clear()
        self.recorder = Recorder(tables_of(self.template.tables()), REGION)
        self.functions = {function.logical_id: function for function in self.template.functions()}
        self.invocations: list[Invocation] = []
        self.phase = "seed"

    def handler(self, logical_id: str) -> Callable[[Any, Any], Any]:
        loaded = loaded_handler(logical_id)

        def timed(event: Any, context: Any) -> Any:
            recorder = self.recorder
            recorder.function = logical_id
            recorder.request += 1
            moto_before, mark = recorder.seconds_in_dynamodb, len(recorder.operations)
            began = time.perf_counter()
            answer = None
            try:
                answer = loaded(event, context)
            finally:
                elapsed = time.perf_counter() - began
                recorder.function = None
                if recorder.enabled:
                    self.invocations.append(
                        Invocation(
                            logical_id,
                            self.phase,
                            elapsed,
                            recorder.seconds_in_dynamodb - moto_before,
                            Counter(recorder.operations[mark:]),
                            answer.get("statusCode") if isinstance(answer, dict) else None,
                        )
                    )
            return answer

        return timed

    def invoke(self, logical_id: str, **given: Any) -> Any:
        """`tests.harness.invoke`, through the timed handler."""
        import tests.harness as harness

        original = harness.handler
        harness.handler = lambda _: self.handler(logical_id)  # type: ignore[assignment]
        try:
            return harness.invoke(logical_id, **given)
        finally:
            harness.handler = original

    def pollers(self) -> list[Any]:
        """The outbox relay and the queue consumers, as the local stack runs them (first the relay)."""
        found: list[Any] = []
        for function in self.functions.values():
            for stream in function.streams:
                found.insert(
                    0,
                    StreamPoller(
                        function,
                        self.handler(function.logical_id),
                        stream,
                        stream_arn=self.template.attributes[(stream.table, "StreamArn")],
                        region=REGION,
                        on_failure_url=self.template.names[stream.on_failure] if stream.on_failure else None,
                        retry_pause=0,
                    ),
                )
            for source in function.queues:
                found.append(
                    QueuePoller(
                        function,
                        self.handler(function.logical_id),
                        source,
                        queue_url=self.template.names[source.queue],
                        queue_arn=self.template.attributes[(source.queue, "Arn")],
                        region=REGION,
                    )
                )
        return found


def _drain(pollers: list[Any]) -> None:
    """Relay the outbox, then run each consumer until its queue is empty."""
    for poller in pollers:
        if isinstance(poller, StreamPoller):
            poller.drain()
        else:
            while poller.poll_once() > 0:
                pass


# --- the synthetic day ---------------------------------------------------------------------------------

ADMIN = {"sub": "capacity-order-service", "token_use": "id", "cognito:groups": "admins"}
TEMPLATE_CUSTOMER = "capacity-template-customer-000000"


def _customer(number: int) -> str:
    return f"capacity-customer-{number:06d}"


def _profile(customer: str) -> dict[str, Any]:
    return {
        "displayName": "Capacity Model",
        "email": f"{customer}@example.com",
        "language": "en",
        "timezone": "Asia/Riyadh",
        "country": "SA",
    }


def _seed(model: Model, customers: int) -> float:
    """One customer signed up and buying for real, then cloned for `customers` ids; the seconds."""
    from moto.dynamodb.models import dynamodb_backends

    from tests.harness import claims

    began = time.perf_counter()
    backend = dynamodb_backends[ACCOUNT][REGION]
    before = {name: _keys(table) for name, table in backend.tables.items()}
    reply = model.invoke(
        "PutProfileFunction",
        path={"customerId": TEMPLATE_CUSTOMER},
        caller=claims(TEMPLATE_CUSTOMER),
        body=_profile(TEMPLATE_CUSTOMER),
    )
    assert reply.status in (200, 201), reply
    for order in range(4):
        reply = model.invoke(
            "RecordPurchaseFunction",
            path={"customerId": TEMPLATE_CUSTOMER},
            caller=ADMIN,
            body={"orderId": f"seed-{order}", "amount": "500.00", "currency": "SAR", "channel": "web"},
        )
        assert reply.status == 201, reply
    for name, table in backend.tables.items():
        fresh = [
            item
            for key, item in _items(table)
            if key not in before[name] and TEMPLATE_CUSTOMER in json.dumps(item.to_json()["Attributes"])
        ]
        if not fresh or table.stream_shard is not None:  # a stream's items are messages in flight
            continue
        # global-index key attributes not derived from the id as text (a hash shard) cannot be
        # cloned: a clone stays out of that index until its first write puts it there
        derived = {key["AttributeName"] for index in table.global_indexes for key in index.schema}
        derived -= {table.hash_key_attr, table.range_key_attr}
        for item in fresh:
            if TEMPLATE_CUSTOMER not in json.dumps(
                [item.hash_key.to_json(), (item.range_key or item.hash_key).to_json()]
            ):
                continue  # an item shared by all customers: not cloned
            attributes = item.to_json()["Attributes"]
            for attribute in derived & set(attributes):
                if TEMPLATE_CUSTOMER not in json.dumps(attributes[attribute]):
                    del attributes[attribute]
            text = json.dumps(attributes)
            for number in range(customers):
                backend.put_item(name, json.loads(text.replace(TEMPLATE_CUSTOMER, _customer(number))))
    return time.perf_counter() - began


def _items(table: Any) -> list[tuple[tuple[str, str], Any]]:
    found = []
    for hash_key, value in table.items.items():
        if table.has_range_key:
            found += [((str(hash_key), str(range_key)), item) for range_key, item in value.items()]
        else:
            found.append(((str(hash_key), ""), value))
    return found


def _keys(table: Any) -> set[tuple[str, str]]:
    return {key for key, _ in _items(table)}


def _request(
    kind: str, customer: str, signup: str, limited_offer: str, rng: random.Random
) -> tuple[str, dict[str, Any]]:
    from tests.harness import claims

    path = {"customerId": customer}
    own = claims(customer)
    if kind == "purchase":
        body = {
            "orderId": f"sale-{uuid.uuid4().hex[:16]}",
            "amount": "149.90",
            "currency": "SAR",
            "category": "electronics",
            "channel": "web",
        }
        return "RecordPurchaseFunction", {"path": path, "caller": ADMIN, "body": body}
    if kind == "signup":
        return "PutProfileFunction", {
            "path": {"customerId": signup},
            "caller": claims(signup),
            "body": _profile(signup),
        }
    if kind == "redemption":
        return "CreateLoyaltyRedemptionFunction", {
            "path": path,
            "caller": own,
            "body": {"itemId": "coffee-voucher"},
        }
    if kind == "offer":
        offer = limited_offer if rng.random() < 0.5 else "demo-everyone"
        order: dict[str, Any] = {
            "orderId": f"sale-{uuid.uuid4().hex[:16]}",
            "orderAmount": {"amount": "249.00", "currency": "SAR"},
        }
        return "ApplyOfferFunction", {"path": {**path, "offerId": offer}, "caller": own, "body": order}
    if kind == "security-event":
        body = {"type": "login", "ipAddress": "203.0.113.10", "deviceId": "ios-7f3a", "country": "SA"}
        return "RecordSecurityEventFunction", {"path": path, "caller": ADMIN, "body": body}
    reads = {
        "account": "GetLoyaltyAccountFunction",
        "dashboard": "GetAnalyticsSummaryFunction",
        "offers": "ListOffersFunction",
        "notifications": "ListNotificationsFunction",
        "profile": "GetProfileFunction",
    }
    return reads[kind], {"path": path, "caller": own}


def _limited_offer(model: Model) -> str:
    """A sale offer open to everyone with a total limit, created through `POST /offers`."""
    now = datetime.now(UTC)
    body = {
        "title": {"en": "Sale: 20% off", "ar": "تخفيضات: خصم 20٪"},
        "description": {"en": "20% off during the sale.", "ar": "خصم 20٪ خلال التخفيضات."},
        "discountType": "percent",
        "discountValue": "20",
        "perCustomerLimit": 5,
        "totalLimit": 1_000_000,
        "validFrom": (now - timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
        "validUntil": (now + timedelta(days=2)).isoformat().replace("+00:00", "Z"),
    }
    reply = model.invoke("CreateOfferFunction", caller=ADMIN, body=body)
    assert reply.status == 201, (reply.status, reply.body)
    return str(reply.body.get("offerId") or reply.body.get("id"))


@dataclass
class Day:
    customers: int
    rate: int  # the modeled requests a second
    sample: int  # the requests replayed a simulated second, each standing for rate / sample
    seconds: int
    seed_seconds: float = 0.0
    replay_seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    peak_other_calls: Counter[str] = field(default_factory=Counter)  # non-DynamoDB AWS calls at the peak


def run(customers: int, rate: int, sample: int, seconds: int, seed: int) -> dict[str, Any]:
    warnings.filterwarnings("ignore")
    rng = random.Random(seed)  # noqa: S311 - a traffic model, not cryptography
    from local_stack import demo

    with (
        mock_aws(),
        quick_moto(),
        time_machine.travel(SALE_DAY - timedelta(hours=1), tick=False) as traveller,
    ):
        # moto's SQS keeps the wall clock (a long poll never ends on a frozen one), as in tests/clock.py
        moto.sqs.models.unix_time = _wall_clock  # type: ignore[assignment]
        moto.sqs.models.unix_time_millis = _wall_clock_millis  # type: ignore[assignment]
        model = Model()
        demo.load()
        day = Day(customers, rate, min(sample, rate), seconds)
        sample = day.sample
        with model.recorder.installed():
            with model.recorder.paused():
                day.seed_seconds = _seed(model, customers)
                limited = _limited_offer(model)
                pollers = model.pollers()
                _drain(pollers)
            model.phase = "peak"
            kinds, weights = list(MIX), list(MIX.values())
            began = time.perf_counter()
            signups = 0
            for second in range(seconds):
                for number in range(sample):
                    traveller.move_to(SALE_DAY + timedelta(seconds=second + number / sample), tick=False)
                    kind = rng.choices(kinds, weights)[0]
                    signups += kind == "signup"
                    logical_id, request = _request(
                        kind,
                        _customer(rng.randrange(customers)),
                        f"capacity-signup-{signups:06d}",
                        limited,
                        rng,
                    )
                    reply = model.invoke(logical_id, **request)
                    day.statuses[f"{kind} {reply.status}"] += 1
                    day.requests += 1
                traveller.move_to(
                    SALE_DAY + timedelta(seconds=second + 1) - timedelta(microseconds=1), tick=False
                )
                _drain(pollers)
                print(f"  simulated second {second + 1}/{seconds} replayed", file=sys.stderr, flush=True)
            day.replay_seconds = time.perf_counter() - began
            peak_end = len(model.recorder.accesses)
            day.peak_other_calls = Counter(model.recorder.other_calls)
            model.phase = "daily"
            daily_began = len(model.recorder.accesses)
            for function in model.functions.values():
                for source in function.schedules:
                    schedule = Schedule(function, model.handler(function.logical_id), source)
                    at = schedule.next_run(SALE_DAY + timedelta(seconds=seconds))
                    traveller.move_to(at, tick=False)
                    schedule.run(REGION, at)
            _drain(pollers)
        from bench.capacity_report import report

        return report(
            model,
            day,
            model.recorder.accesses[:peak_end],
            model.recorder.accesses[daily_began:],
            SALE_DAY.timestamp(),
        )


def _wall_clock() -> float:
    return float(time_machine.escape_hatch.time.time())


def _wall_clock_millis() -> float:
    return _wall_clock() * 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=5_000, help="customers seeded (default 5,000)")
    parser.add_argument("--rate", type=int, default=GOAL_RATE, help="requests a second at the peak (10,000)")
    parser.add_argument(
        "--sample",
        type=int,
        default=1_000,
        help="requests replayed a simulated second (1,000; at most --rate)",
    )
    parser.add_argument("--seconds", type=int, default=1, help="simulated seconds of the peak window (1)")
    parser.add_argument("--seed", type=int, default=14, help="random seed of the request mix")
    parser.add_argument("--json", default=str(ROOT / ".local" / "capacity.json"), help="where the JSON goes")
    parser.add_argument("--write-readme", action="store_true", help="put the markdown block in README.md")
    arguments = parser.parse_args(argv)
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # the functions' metrics (EMF)
        figures = run(
            arguments.customers, arguments.rate, arguments.sample, arguments.seconds, arguments.seed
        )
    from bench.capacity_report import markdown, write_readme

    text = markdown(figures)
    print(text)
    out = Path(arguments.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    if arguments.write_readme:
        write_readme(ROOT / "README.md", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
