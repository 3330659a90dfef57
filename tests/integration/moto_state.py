"""The emulated AWS of the integration tests: provisioned once per test process and put back, before
every test, as it was right after `demo.load()`.

Provisioning the template's tables, queues and user pool on moto and loading the demo content took
about 0.4 s, and the tier did it for each of its tests. Now a process (an xdist worker) does it once,
and before each test moto's in-memory state is restored:

- DynamoDB: the backend's tables, copied (items, secondary indexes, TTL and stream settings). moto
  keeps a table's items only in `Table.items` and derives its indexes from them on every read, so
  the tables are all the state there is. A failed TransactWriteItems replaces a table object with the
  copy moto took before it, so the tables are put back in the backend's dict, not changed in place;
  a table a test created is dropped and one it deleted comes back.
- SQS: every queue emptied (waiting, in-flight and delayed messages, the deleted-receipt log and the
  purge time); a queue created or deleted since counts as a changed stack (below).
- Cognito (users, group members, tokens), SES (sent mail, counters), SNS (texts, topics): the
  backends' whole state, copied.

Nothing else is restored (DynamoDB backups or exports, queue attributes, other services): a test
that changes those is marked `fresh_aws` and gets a stack of its own, reset before and after it.

If the stack changed in a way that is not restored (a queue created or deleted) or moto's backends
were reset meanwhile (a `mock_aws` started elsewhere, a test that asked for a fresh stack), the
backends no longer are the ones provisioned: moto is reset and the stack provisioned again.

moto's mock stays active while an integration module runs and is paused between modules (its data
kept), so the unit and end-to-end tests that an xdist worker may run in between meet real botocore.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from moto import mock_aws
from moto.cognitoidp.models import cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.custom_responses_mock import reset_responses_mock
from moto.core.models import MockAWS, responses_mock
from moto.dynamodb.models import dynamodb_backends
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends

from local_stack import demo
from local_stack.resources import provision
from local_stack.runtime import shared_environment
from local_stack.template import Template
from tests.clock import DEFAULT_INSTANT

# services whose backend state is copied whole (no locks in it, unlike SQS queues)
_COPIED: dict[str, Any] = {"cognito-idp": cognitoidp_backends, "ses": ses_backends, "sns": sns_backends}


def provision_demo(region: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Template, dict[str, str]]:
    """The template's resources made on the active moto, the functions' environment set, the demo
    content loaded: what every integration test starts from. Made at `DEFAULT_INSTANT` whatever
    the test's clock (the demo's offers run from a day before it), so that the shared state is the
    same whichever test happens to provision it."""
    stack = Template(region=region)
    with time_machine.travel(DEFAULT_INSTANT, tick=False):
        provision(stack, region)
        environment = shared_environment(stack.functions())
        for key, value in environment.items():
            monkeypatch.setenv(key, value)
        demo.load()
    # what the demo queued is not a test's: each test's relay reads the outbox stream from its start
    for table in dynamodb_backends[DEFAULT_ACCOUNT_ID][region].tables.values():
        if table.stream_shard is not None:
            table.stream_shard.items = []
    return stack, environment


def _backends(region: str) -> dict[str, Any]:
    found = {name: backends[DEFAULT_ACCOUNT_ID][region] for name, backends in _COPIED.items()}
    found["dynamodb"] = dynamodb_backends[DEFAULT_ACCOUNT_ID][region]
    found["sqs"] = sqs_backends[DEFAULT_ACCOUNT_ID][region]
    return found


@dataclass
class Snapshot:
    """moto's state right after provisioning and the demo content."""

    region: str
    backends: dict[str, Any]
    tables: dict[str, Any]
    states: dict[str, dict[str, Any]]
    queues: dict[str, Any]

    @classmethod
    def take(cls, region: str) -> Snapshot:
        backends = _backends(region)
        return cls(
            region=region,
            backends=backends,
            tables={name: copy.deepcopy(table) for name, table in backends["dynamodb"].tables.items()},
            states={name: copy.deepcopy(backends[name].__dict__) for name in _COPIED},
            queues=dict(backends["sqs"].queues),
        )

    def intact(self) -> bool:
        """The backends are still those provisioned, with the same queues."""
        current = _backends(self.region)
        if any(current[name] is not backend for name, backend in self.backends.items()):
            return False
        queues = current["sqs"].queues
        return queues.keys() == self.queues.keys() and all(
            queues[name] is queue for name, queue in self.queues.items()
        )

    def restore(self) -> None:
        tables = self.backends["dynamodb"].tables
        tables.clear()
        tables.update((name, copy.deepcopy(table)) for name, table in self.tables.items())
        for name, state in self.states.items():
            self.backends[name].__dict__ = copy.deepcopy(state)
        for queue in self.queues.values():
            with queue._messages_lock:
                queue._messages = []
                queue._pending_messages = set()
                queue.deleted_messages = set()
                queue.last_purged_at = None


@dataclass
class SharedStack:
    """One provisioned stack per process, reset to the demo state for each test."""

    region: str
    mock: MockAWS = field(default_factory=mock_aws)
    stack: Template | None = None
    environment: dict[str, str] = field(default_factory=dict)
    snapshot: Snapshot | None = None
    provisioned: int = 0  # how many times this process provisioned (1 unless something reset moto)
    active: bool = False

    def start(self) -> None:
        """Activate moto with the data it had (the stack of an earlier module)."""
        self.mock.start(reset=False)
        self.active = True

    def stop(self) -> None:
        """Pause moto, keeping its data; forget the request mocks that each start registers again."""
        self.mock.stop(remove_data=False)
        reset_responses_mock(responses_mock)
        self.active = False

    @contextmanager
    def separate(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[Template]:
        """A stack provisioned for one test alone, on a moto reset when it starts and when it ends
        (as every test had it before the shared stack); the shared stack is provisioned again after."""
        paused = self.active
        if paused:
            self.stop()
        try:
            with mock_aws():
                yield provision_demo(self.region, monkeypatch)[0]
        finally:
            if paused:
                self.start()

    def fresh_test(self, monkeypatch: pytest.MonkeyPatch) -> Template:
        """The stack as the test should find it: the demo state, with the functions' environment."""
        if self.snapshot is None or self.stack is None or not self.snapshot.intact():
            # start over from an empty moto, as a test's own `mock_aws()` would
            self.mock.stop(remove_data=True)
            self.mock.start(reset=True)
            self.stack, self.environment = provision_demo(self.region, monkeypatch)
            self.snapshot = Snapshot.take(self.region)
            self.provisioned += 1
            return self.stack
        self.snapshot.restore()
        for key, value in self.environment.items():
            monkeypatch.setenv(key, value)
        return self.stack
