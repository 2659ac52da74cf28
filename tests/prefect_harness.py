"""A Prefect server on a free loopback port, for the length of a ``with`` block: the test
session and the benchmarks share one (a flow run against it costs about a second; a
temporary server per run would cost ten)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.settings import PREFECT_API_URL, temporary_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def local_server(home: Path, **settings: str) -> Iterator[str]:
    """Start ``prefect server start``; inside the block it is this process's API (and its
    children's, through PREFECT_API_URL). ``settings`` go to the server's environment."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    log_path = home / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "prefect"), "server", "start",
             "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, "PREFECT_HOME": str(home), **settings},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            _wait_until_healthy(url, server, log_path)
            previous = os.environ.get("PREFECT_API_URL")
            os.environ["PREFECT_API_URL"] = url
            with temporary_settings({PREFECT_API_URL: url}):
                yield url
                # The last logs and events go while the server is still there to take them.
                APILogWorker.drain_all(timeout=30)
                EventsWorker.drain_all(timeout=30)
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/health", timeout=2).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Prefect server did not start: {log.read_text()}") from None
            time.sleep(0.25)
