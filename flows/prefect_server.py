"""The Prefect API a run talks to when no PREFECT_API_URL is configured.

`kg ingest` gets a temporary API: the same app Prefect's own temporary server runs (no
UI, no scheduler), but started as the command begins, so it boots while the command
imports its own modules, and without the parent importing the whole server app first
(about 3 s of Prefect's own start-up path). `kg serve` gets a full `prefect server`
with its scheduler and UI. Either way the server dies with the command, even on SIGKILL.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from flows.errors import ServiceStartError

SERVER_START_TIMEOUT_S = 90.0
PR_SET_PDEATHSIG = 1
# Its SQLite database is shared by the API and its services: on a busy machine the
# default 5-10 s waits for a lock end in "database is locked".
DATABASE_TIMEOUTS = {
    "PREFECT_SERVER_DATABASE_TIMEOUT": "60",
    "PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT": "60",
}


class TemporaryPrefectApi:
    """Prefect's API app on a free port of 127.0.0.1, using Prefect's usual database
    (PREFECT_HOME). It starts on `with`, so that the caller can import while it boots;
    `url()` waits until it answers. It stops when the block ends."""

    def __init__(self) -> None:
        self._scratch = tempfile.TemporaryDirectory(prefix="kg-prefect-")
        self._log_path = Path(self._scratch.name) / "api.log"
        self._env = {
            **os.environ,
            **DATABASE_TIMEOUTS,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            # What Prefect sets for its own temporary server: no UI, no services.
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
        }
        self._env.pop("PREFECT_API_URL", None)
        self._process: subprocess.Popen[bytes] | None = None
        self._url = ""

    def __enter__(self) -> TemporaryPrefectApi:
        self._spawn()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            _stop(self._process)
        self._scratch.cleanup()

    def _spawn(self) -> None:
        port = _free_port()
        self._url = f"http://127.0.0.1:{port}/api"
        command = [
            sys.executable, "-m", "uvicorn",
            "--factory", "prefect.server.api.server:create_app",
            "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on",
        ]  # fmt: skip
        self._process = _spawn(command, self._env, log=self._log_path)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def url(self) -> str:
        """The API's URL, once it answers."""
        assert self._process is not None, "use TemporaryPrefectApi in a with block"
        for attempt in range(3):  # its port may be taken between looking and binding
            if attempt:
                self._spawn()
            if _wait_healthy(self._url, self._process, "the temporary Prefect API", poll_s=0.05):
                return self._url
        raise ServiceStartError(
            f"the temporary Prefect API exited with code {self._process.returncode}: "
            f"{_last_line(self._log_path)}"
        )


@contextmanager
def local_prefect_server(home: Path, port: int) -> Iterator[str]:
    """A Prefect server (API, scheduler and UI) on 127.0.0.1:`port` with its database
    under `home`; its API URL. The server stops when the block ends."""
    home.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        **DATABASE_TIMEOUTS,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # Let a new deployment's first runs be scheduled within seconds, not a minute.
        "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "2",
    }
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).parent / "prefect"
    log_path = home / "server.log"
    command = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    process = _spawn(command, env, log=log_path)
    try:
        if not _wait_healthy(url, process, what="the local Prefect server", log_path=log_path):
            raise ServiceStartError(
                f"the local Prefect server exited with code {process.returncode}; see {log_path}"
            )
        yield url
    finally:
        _stop(process)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _last_line(log_path: Path) -> str:
    try:
        lines = log_path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no output)"
    return lines[-1] if lines else "(no output)"


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def _die_with_parent() -> None:
    """In the server's process before exec: if the command is killed outright (SIGKILL),
    the kernel stops the server too instead of leaving it orphaned (Linux prctl)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait_healthy(
    url: str,
    process: subprocess.Popen[bytes],
    what: str,
    log_path: Path | None = None,
    poll_s: float = 0.5,
) -> bool:
    """True once the server answers; False if it exited first (e.g. its port was taken)."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                if client.get(f"{url}/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(poll_s)
    where = f"; see {log_path}" if log_path else ""
    raise ServiceStartError(f"{what} did not answer within {SERVER_START_TIMEOUT_S:g}s{where}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def flush_prefect_workers(timeout_s: float = 10.0) -> None:
    """Deliver and stop Prefect's background log and event workers: they must be done
    before the server they report to stops, or they retry against it at exit."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=timeout_s)
