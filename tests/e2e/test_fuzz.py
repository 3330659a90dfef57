"""Schema-driven fuzzing of every operation of the generated OpenAPI document, over HTTP on the
local stack, signed in as a customer (acting on their own id) and as an admin: no 5xx, no response
that breaks its declared schema, no 2xx for input the schema rejects. The examples per operation
are bounded to keep the run inside the CI budget."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance, unsupported_method

from local_stack.openapi import document
from tests.e2e.conftest import Stack, start_stack, stop_stack

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))

schema = schemathesis.openapi.from_dict(document())
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, dict[str, tuple[str, str]]]]:
    running = start_stack(tmp_path_factory.mktemp("fuzz"))
    customer, customer_token = running.sign_up("fuzz-customer@example.com")
    _, admin_token = running.sign_up("fuzz-admin@example.com", group="admins")
    profile = {"displayName": "Fuzz Tester", "email": "fuzz@example.com", "language": "en", "timezone": "UTC"}
    assert (
        running.call("PUT", f"/customers/{customer}/profile", customer_token, json=profile).status_code == 200
    )
    yield running, {"customer": (customer, customer_token), "admin": (customer, admin_token)}
    stop_stack(running)


@pytest.mark.parametrize("role", ["customer", "admin"])
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=EXAMPLES, derandomize=True)
def test_no_server_errors_and_responses_match_the_schema(
    case: Any, role: str, fuzzed: tuple[Stack, dict[str, tuple[str, str]]]
) -> None:
    stack, identities = fuzzed
    customer_id, token = identities[role]
    # the signed-in customer's own id, unless the case is one that breaks the path on purpose (an id
    # too long or empty must stay so, and be refused)
    path_broken = case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)
    if case.path_parameters and "customerId" in case.path_parameters and not path_broken:
        case.path_parameters["customerId"] = customer_id
    # Every check runs but "schema-valid data is accepted": JSON Schema cannot say that a cursor must
    # carry our signature, a time zone must exist, or an id must name something, so a 400 or 404
    # for such input is right. What the issue asks is checked: no 5xx, responses match the
    # document, and input the schema rejects is never answered 2xx.
    case.call_and_validate(
        base_url=stack.url,
        headers={"Authorization": f"Bearer {token}"},
        # a method the path lacks is 404 problem+json, as API Gateway answers it deployed (its
        # MISSING_AUTHENTICATION_TOKEN response, which the template maps to route-not-found), not 405
        excluded_checks=[positive_data_acceptance, unsupported_method],
    )
