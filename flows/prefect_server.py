"""The Prefect API a command talks to when no PREFECT_API_URL is configured.

`kg ingest` uses a local API per data dir, kept running between commands like the
embedded store: the same app Prefect's own temporary server runs (no UI, no scheduler),
started as the command begins so that it boots while the pipeline imports, and without
the parent importing the whole server app first as Prefect's own start-up path does.
`kg serve` runs a full `prefect server` (scheduler and UI) that dies with it, even on
SIGKILL.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from flows.errors import ServiceStartError
from flows.locking import start_lock

SERVER_START_TIMEOUT_S = 90.0
PR_SET_PDEATHSIG = 1
# Its SQLite database is shared by the API and its services: on a busy machine the
# default 5-10 s waits for a lock end in "database is locked".
DATABASE_TIMEOUTS = {
    "PREFECT_SERVER_DATABASE_TIMEOUT": "60",
    "PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT": "60",
}


class LocalPrefectApi:
    """Prefect's API app (no UI, no scheduler) for one data dir, on Prefect's usual
    database (PREFECT_HOME, as Prefect's own temporary server uses: a new data dir does
    not pay for creating one). Like the embedded store, the first command that needs it
    starts it and it stays up for the next, so a re-run skips the ~4 s Prefect takes to
    boot; `kg stop` stops it. Two commands starting at once start one server."""

    APP = "prefect.server.api.server:create_app"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.home = self.data_dir / "prefect"
        self._state = self.home / "api.json"
        self._log = self.home / "api.log"

    def start(self) -> None:
        """Start the server unless it is running or starting; does not wait for it."""
        with start_lock(self.home, self.data_dir, ServiceStartError):
            if self._pid() is not None:
                return
            port = str(_free_port())
            url = f"http://127.0.0.1:{port}/api"
            env = {
                **os.environ,
                **DATABASE_TIMEOUTS,
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                # As Prefect's own temporary server: no UI, only its light services.
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
                # No block types registered at start: the flows use no blocks, and
                # checking whether to register them imports every Prefect collection
                # installed (prefect-dask, and with it dask and distributed). Measured:
                # the API answers in 3.4 s instead of 4.0 s of a first run's start-up.
                "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
                "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
                # Task and flow runs are still recorded (the task run recorder reads the
                # same events), but the events themselves are not stored, and no
                # automation is evaluated: nobody can see or set either on an API with no
                # UI that only kg talks to (`kg serve` runs a full server). Measured on the
                # BBC corpus's first ingest: the API's CPU time 10 s -> 6 s, taken from
                # the two cores the extraction workers share.
                "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
                "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
            }
            env.pop("PREFECT_API_URL", None)
            command = [
                sys.executable, "-m", "uvicorn", "--factory", self.APP,
                "--host", "127.0.0.1", "--port", port,
                "--log-level", "error", "--lifespan", "on",
            ]  # fmt: skip
            # Its own session and no death signal: it outlives this command on purpose.
            process = _spawn(command, env, log=self._log, die_with_parent=False)
            self._state.write_text(json.dumps({"pid": process.pid, "url": url}))

    def wait(self) -> str:
        """The server's API URL, once it answers."""
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        with httpx.Client(timeout=2) as client:
            while time.monotonic() < deadline:
                url = self._url()
                if self._pid() is None:
                    raise ServiceStartError(
                        f"the local Prefect API exited: {_last_line(self._log)} (see {self._log})"
                    )
                try:
                    if client.get(f"{url}/health").status_code == 200:
                        return url
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
        raise ServiceStartError(
            f"the local Prefect API did not answer within {SERVER_START_TIMEOUT_S:g}s; "
            f"see {self._log}"
        )

    def stop(self) -> bool:
        """Stop the server if it is running; whether it was."""
        pid = self._pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
        self._state.unlink(missing_ok=True)
        return pid is not None

    def _url(self) -> str:
        try:
            return str(json.loads(self._state.read_text())["url"])
        except (OSError, ValueError, KeyError, TypeError):
            return ""

    def _pid(self) -> int | None:
        """The server's pid while it is alive (a recycled pid is not mistaken for it)."""
        try:
            pid = int(json.loads(self._state.read_text())["pid"])
            proc = Path(f"/proc/{pid}")
            cmdline = (proc / "cmdline").read_bytes()
            state = (proc / "stat").read_text().rsplit(") ", 1)[1].split()[0]
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        if self.APP.encode() not in cmdline or state == "Z":
            return None
        return pid


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


def _alive(pid: int) -> bool:
    """Whether process `pid` exists and has not exited (a zombie has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


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


def _spawn(
    command: list[str], env: dict[str, str], log: Path, die_with_parent: bool = True
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_parent if die_with_parent else None,
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
