"""Lambda SnapStart for the HTTP functions: what runs before the snapshot, and after each restore.

The API functions publish versions with SnapStart (template.yaml), so their init runs once per
version and every cold start is a restore of the snapshot taken after it. What a snapshot holds is
paid for once, so before it is taken each function primes itself (`prime`): the modules are
imported already (handlers import everything they use at module level), and priming adds what a
first call would otherwise do — Powertools' logger, tracer and metrics, the route's compiled rule
and validation models, the botocore clients of every service the route calls (endpoint rules,
service models, serializers, parsers), the response models — by sending one routed request of the
function's own route, with the sample body and required query parameters of its OpenAPI operation
(`priming.json`, written with openapi.json by `make openapi`), through the function's own `Resolver.handle`.

That request reaches no AWS service: while it runs, every botocore call made on the priming thread
is answered on the spot with an empty success (`_Stubbed`), so it reads nothing, writes nothing and
needs no network, and nothing it learnt (an empty item, say) is kept in a cache: the answer is
thrown away, and the only caches it can fill are keyed by what was read. Its logs and metrics are
not emitted (the observability wrapper is built, never called).

After a restore (`reseed`), what must differ between the environments restored from one snapshot is
made afresh: `random`'s state is re-seeded from the OS (ids and keys come from `secrets`/`uuid4`,
which read the OS each time), and cached parameter values (the cursor secret) are read again.

The hooks are registered with `snapshot_restore_py`, which the Lambda Python runtime provides (and
the dev environment installs from PyPI, so the bench and the tests run them as Lambda would).
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, NamedTuple

__all__ = ["PRIMING_CUSTOMER", "Primed", "prime", "priming", "priming_event", "register", "reseed"]

PRIMING_CUSTOMER = "00000000-0000-4000-8000-000000000000"
_log = logging.getLogger(__name__)
_priming = threading.local()


Handle = Callable[[dict[str, Any], Any], dict[str, Any]]


def register(handle: Handle, routes: list[tuple[str, str]]) -> None:
    """Prime the function that answers `routes` (method, OpenAPI path) with `handle` before the
    snapshot, and re-seed after each restore (cheap: two list appends)."""
    from snapshot_restore_py import register_after_restore, register_before_snapshot

    register_before_snapshot(prime, handle, routes)
    register_after_restore(reseed)


class Primed(NamedTuple):
    """What priming one route did: the answer's status (None: it raised) and the AWS calls it made
    (`service:Operation`), every one answered by the stub."""

    method: str
    path: str
    status: int | None
    calls: tuple[str, ...]


def prime(handle: Handle, routes: list[tuple[str, str]]) -> list[Primed]:
    """One request of each of the `routes` through `handle`, answered by stubbed AWS services (see
    the module)."""
    from customer_id import observability

    observability.logger()
    observability.tracer()
    observability.metrics()
    primed = []
    for method, path in routes:
        status = None
        with _stubbed_aws() as stub:
            try:
                status = int(handle(priming_event(method, path), _CONTEXT)["statusCode"])
            except Exception:  # priming must never fail a snapshot; the first call shows it
                _log.debug("priming %s %s raised", method, path, exc_info=True)
        primed.append(Primed(method, path, status, tuple(stub.calls)))
    import encodings.idna  # noqa: F401 - what a first real connection looks up, which the stub never makes

    return primed


def priming() -> bool:
    """Whether this thread is priming: its AWS calls are answered by the stub, never sent."""
    return bool(getattr(_priming, "active", False))


def reseed() -> None:
    """What must not be shared by environments restored from one snapshot."""
    from aws_lambda_powertools.utilities import parameters

    random.seed()
    parameters.clear_caches()


def priming_event(method: str, path: str) -> dict[str, Any]:
    """The API Gateway proxy event of a request to `path` (`/customers/{customerId}/...`) by a caller
    who is the customer named in it and staff, with the operation's sample body and required query
    parameters."""
    parameters = {name.strip("{}"): PRIMING_CUSTOMER for name in path.split("/") if name.startswith("{")}
    concrete = path
    for name, value in parameters.items():
        concrete = concrete.replace("{" + name + "}", value)
    sample = _samples().get(f"{method} {path}", {})
    body, query = sample.get("body"), sample.get("query")
    headers = {"Accept": "application/json", "Accept-Language": "en", "Content-Type": "application/json"}
    if method == "POST":
        headers["Idempotency-Key"] = "snapshot-priming"
    claims = {"sub": PRIMING_CUSTOMER, "cognito:groups": "admins,agents", "token_use": "id"}
    return {
        "resource": path,
        "path": concrete,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": None if query is None else {k: [v] for k, v in query.items()},
        "pathParameters": parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "path": concrete,
            "stage": "snapshot",
            "requestId": "snapshot-priming",
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "snapshot-priming"},
            "authorizer": {"claims": claims},
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


_CONTEXT = SimpleNamespace(
    function_name="snapshot-priming",
    memory_limit_in_mb=512,
    invoked_function_arn="arn:aws:lambda:us-east-1:000000000000:function:snapshot-priming",
    aws_request_id="snapshot-priming",
    get_remaining_time_in_millis=lambda: 30_000,
)


def _samples() -> dict[str, dict[str, Any]]:
    from importlib import resources

    loaded: dict[str, dict[str, Any]] = json.loads(
        resources.files("customer_id").joinpath("priming.json").read_text()
    )
    return loaded


# What an operation answers when there is nothing: most answer an empty document, these a few fields
_EMPTY: dict[str, dict[str, Any]] = {
    "Query": {"Items": [], "Count": 0, "ScannedCount": 0},
    "Scan": {"Items": [], "Count": 0, "ScannedCount": 0},
    "BatchGetItem": {"Responses": {}, "UnprocessedKeys": {}},
    "BatchWriteItem": {"UnprocessedItems": {}},
}


def _empty_answer(endpoint: Any, request: Any, operation_model: Any) -> tuple[Any, dict[str, Any]]:
    """An empty 200 answer to `request`, parsed by the client's own parser as a real one would be
    (what a first call does: the output shapes resolved, the parser warmed)."""
    from botocore.awsrequest import AWSResponse
    from botocore.endpoint import convert_to_response_dict

    body = json.dumps(_EMPTY.get(operation_model.name, {})).encode()
    raw = SimpleNamespace(stream=lambda **_: iter([body]))
    answer = AWSResponse(request.url, 200, {"content-type": "application/x-amz-json-1.0"}, raw)
    try:
        parser = endpoint._response_parser_factory.create_parser(operation_model.metadata["protocol"])
        parsed = parser.parse(convert_to_response_dict(answer, operation_model), operation_model.output_shape)
    except Exception:  # a protocol that answers XML: the empty fields, unparsed
        parsed = dict(_EMPTY.get(operation_model.name, {}))
    parsed.setdefault("ResponseMetadata", {})["HTTPStatusCode"] = 200
    return answer, parsed


class _Stubbed:
    """`botocore.endpoint.Endpoint._do_get_response` on the priming thread: an empty 200 success,
    after the request was built and signed as for real, before anything (moto included) sends it."""

    def __init__(self, original: Any) -> None:
        self.original = original
        self.calls: list[str] = []

    def __get__(self, endpoint: Any, owner: type) -> Any:
        def do_get_response(request: Any, operation_model: Any, context: Any) -> Any:
            if not priming():
                return self.original(endpoint, request, operation_model, context)
            self.calls.append(
                f"{operation_model.service_model.service_id.hyphenize()}:{operation_model.name}"
            )
            return (_empty_answer(endpoint, request, operation_model), None)

        return do_get_response


_stub_lock = threading.Lock()


@contextmanager
def _stubbed_aws() -> Iterator[_Stubbed]:
    """Every botocore call made on this thread meanwhile answered by `_Stubbed` (other threads, the
    local stack's among them, go on calling the real thing)."""
    from botocore.endpoint import Endpoint

    with _stub_lock:
        original = Endpoint.__dict__["_do_get_response"]
        stub = _Stubbed(original)
        Endpoint._do_get_response = stub
        _priming.active = True
        try:
            yield stub
        finally:
            _priming.active = False
            Endpoint._do_get_response = original
