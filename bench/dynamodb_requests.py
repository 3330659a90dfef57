"""DynamoDB requests per call for every HTTP endpoint of template.yaml, on moto, for a customer with
10 and then 200 purchases: the figures must not grow with the purchase count.

Each endpoint is called once with its events/ sample (path and body adapted to the seeded customer)
and every DynamoDB API call the handler makes is counted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import botocore.client

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)

import warnings

from moto import mock_aws

from customer_id import clock
from customer_id.analytics.schemas.recording import PurchaseInput
from customer_id.settings import settings
from customer_id.workflows import purchases
from local_stack import demo
from local_stack.isolation import serialize_dynamodb
from local_stack.resources import provision
from local_stack.runtime import shared_environment
from local_stack.template import Template
from tests.harness import claims, invoke, sample_event, template

CUSTOMER = "bench-customer"
ADMIN = claims("bench-admin", "admins")


def _counting(made: list[str]) -> Callable[..., Any]:
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, parameters: Any) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            made.append(operation)
        return original(self, operation, parameters)

    return counting


def _buy(start: int, count: int) -> None:
    now = clock.now()
    for index in range(start, start + count):
        purchases.record_purchase(
            CUSTOMER,
            PurchaseInput(
                order_id=f"bench-{index}",
                amount="25.00",
                currency="SAR",
                category=("books", "toys", None)[index % 3],
                channel="web",
                occurred_at=now - timedelta(days=index % 400, minutes=index),
            ),
        )


def _measure(made: list[str], round_number: int) -> dict[str, int]:
    counts = {}
    for function in template().functions():
        if not function.routes:
            continue
        sample = sample_event(function)
        path = dict(sample.get("pathParameters") or {})
        if "customerId" in path:
            path["customerId"] = CUSTOMER
        admin_only = "admins" in str(sample["requestContext"].get("authorizer", {}).get("claims", {}))
        caller = ADMIN if admin_only else claims(CUSTOMER)
        body: Any = ...
        if function.logical_id == "RecordPurchaseFunction":
            body = {"orderId": f"call-{round_number}", "amount": "10.00", "currency": "SAR", "channel": "web"}
        made.clear()
        reply = invoke(function.logical_id, path=path or None, caller=caller, body=body)
        counts[function.logical_id] = len(made) if reply.status < 500 else -1
    return counts


def main() -> int:
    warnings.filterwarnings("ignore")
    serialize_dynamodb()
    made: list[str] = []
    with mock_aws():
        stack = Template(region="us-east-1")
        provision(stack, "us-east-1")
        os.environ.update(shared_environment(stack.functions()))
        settings.cache_clear()
        demo.load()
        invoke(
            "PutProfileFunction",
            path={"customerId": CUSTOMER},
            caller=claims(CUSTOMER),
            body={"displayName": "Bench Mark", "email": "b@example.com", "language": "en", "timezone": "UTC"},
        )
        botocore.client.BaseClient._make_api_call = _counting(made)
        _buy(0, 10)
        at_10 = _measure(made, 1)
        _buy(10, 190)
        at_200 = _measure(made, 2)
    print(f"{'function':36} {'requests @10':>13} {'@200':>6}")
    grew = []
    for name, count in at_10.items():
        mark = "" if at_200[name] == count else "  grows"
        if mark:
            grew.append(name)
        print(f"{name:36} {count:13d} {at_200[name]:6d}{mark}")
    print("no endpoint's DynamoDB requests grow with purchases" if not grew else f"grows: {', '.join(grew)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
