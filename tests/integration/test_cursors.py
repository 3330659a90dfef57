"""Every list that pages seals its cursors with the stack's secret: a cursor sealed under another key
is 400 `invalid-cursor` on each of them, for a caller who may read the list. (The functions that
page are those granted the secret in template.yaml; the least-privilege check holds each to it.)"""

from __future__ import annotations

import base64
import os

import pytest

from tests.harness import claims, invoke, template
from tests.integration.helpers import ADMIN, create_profile

ME = "customer-paging"
PAGING = sorted(
    logical_id
    for logical_id, properties in template().of_type("AWS::Serverless::Function").items()
    if "AWSSecretsManagerGetSecretValuePolicy" in str(properties.get("Policies", ""))
    # takes no cursor: it follows every list's own to the end (tests/integration/test_data_rights.py)
    and logical_id != "ExportCustomerDataFunction"
)


def test_the_lists_that_page_are_the_ones_granted_the_secret() -> None:
    assert len(PAGING) >= 11
    for logical_id in PAGING:
        [route] = template().function(logical_id).routes
        assert route.method == "GET", logical_id


@pytest.mark.parametrize("logical_id", PAGING)
def test_a_cursor_sealed_under_another_key_is_refused(logical_id: str) -> None:
    create_profile(ME)
    [route] = template().function(logical_id).routes
    path = {"customerId": ME} if "{customerId}" in route.path else {}
    caller = claims(ME) if path else ADMIN
    foreign = base64.urlsafe_b64encode(os.urandom(48)).decode().rstrip("=")
    reply = invoke(logical_id, path=path, caller=caller, query={"cursor": foreign})
    assert reply.status == 400, (logical_id, reply.status, reply.body)
    assert reply.body["type"] == "/problems/invalid-cursor"
