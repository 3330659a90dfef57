"""End-to-end tests: `python -m local_stack serve` started as `make serve` would (DynamoDB Local,
moto for the rest), on free ports and its own state folder, and called over HTTP with tokens from
its local user pool."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
import requests

from local_stack.template import ROOT

PASSWORD = "E2e-Passw0rd-123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Stack:
    process: subprocess.Popen[str]
    outputs: dict[str, str]
    state_dir: Path

    @property
    def url(self) -> str:
        return self.outputs["ApiUrl"]

    def aws(self, service: str) -> Any:
        """A boto3 client of the stack's emulated service (DynamoDB Local for dynamodb, else moto)."""
        endpoint = self.outputs["DynamoDbEndpointUrl" if service == "dynamodb" else "AwsEndpointUrl"]
        return boto3.client(
            service,
            endpoint_url=endpoint,
            region_name=self.outputs["Region"],
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def cognito(self) -> Any:
        return self.aws("cognito-idp")

    def sign_up(self, email: str, group: str | None = None) -> tuple[str, str]:
        """A user in the local pool, signed in: (customerId, ID token)."""
        cognito, pool = self.cognito(), self.outputs["UserPoolId"]
        cognito.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
        if group:
            cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=group)
        return self.sign_in(email)

    def sign_in(self, email: str, password: str = PASSWORD) -> tuple[str, str]:
        """An existing user of the local pool signs in with its password: (customerId from the ID
        token's `sub`, ID token)."""
        tokens = self.cognito().initiate_auth(
            ClientId=self.outputs["UserPoolClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )["AuthenticationResult"]
        claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
        return str(claims["sub"]), tokens["IdToken"]

    def call(self, method: str, path: str, token: str | None = None, **options: Any) -> requests.Response:
        headers = dict(options.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.url + path, headers=headers, timeout=30, **options)


def start_stack(state_dir: Path, template: Path | None = None, *extra: str) -> Stack:
    """The stack on free ports, its outputs, logs and kept data in `state_dir` (a second start on the
    same folder finds the first one's data)."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    for key in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        environment.pop(key, None)
    state_dir.mkdir(parents=True, exist_ok=True)
    log = (state_dir / "stack.log").open("a")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "local_stack",
            "--state-dir",
            str(state_dir),
            "serve",
            "--port",
            str(_free_port()),
            "--aws-port",
            str(_free_port()),
            "--dynamodb-port",
            str(_free_port()),
            *(["--template", str(template)] if template else []),
            *extra,
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,  # a file, not a pipe nobody reads: a full pipe would stall the server
        stderr=subprocess.STDOUT,
        text=True,
    )
    outputs_file = state_dir / "outputs.json"
    deadline = time.monotonic() + 180  # a JVM and 60 handlers, on two cores shared with other work
    while not outputs_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the local stack did not start:\n{(state_dir / 'stack.log').read_text()}")
        time.sleep(0.1)
    stack = Stack(process=process, outputs={}, state_dir=state_dir)
    try:
        stack.outputs = json.loads(outputs_file.read_text())
    except (OSError, ValueError):
        stop_stack(stack)  # never leave a stack running behind a failed start
        raise
    return stack


def stop_stack(stack: Stack) -> int:
    stack.process.send_signal(signal.SIGINT)
    try:
        return stack.process.wait(timeout=60)  # it saves its tables first; slow on a loaded machine
    finally:
        if stack.process.poll() is None:
            stack.process.kill()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("stack"))
    yield running
    stop_stack(running)
