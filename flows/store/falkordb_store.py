"""The embedded default store: FalkorDB, spoken to over its Redis protocol; its server
process is flows/store/falkordb_server.py.

FalkorDB has no multi-statement transactions. Each statement is atomic, and the
article's content hash is written last, by the final step: a write cut short leaves the
old hash, so the next run sees the article as changed and rewrites it whole.
"""

from __future__ import annotations

import contextlib
import time
from contextlib import AbstractContextManager
from typing import Any

import redis
from falkordb import Edge, FalkorDB, Node
from falkordb import Path as GraphPath
from redis.backoff import NoBackoff
from redis.retry import Retry

from flows.cypher import GRAPH_LABELS, drop_label_not_carried
from flows.errors import QueryError, StoreUnavailable
from flows.locking import held
from flows.settings import Settings
from flows.store import Capabilities, Step
from flows.store.falkordb_server import EmbeddedServer
from flows.store.messages import falkordb_error
from flows.store.schema import load_graph_schema

# A unique constraint is built in the background, over the nodes the label already has.
CONSTRAINT_BUILD_TIMEOUT_S = 60.0


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
        exact-match index on it plus a unique constraint. What exists is left alone.
        Two first runs of one data dir get here at once: under the unit lock, one creates
        and the other finds ("Attribute 'id' is already indexed" otherwise)."""
        with self.exclusive():
            self._create_schema()
            self._drop_labels_not_carried()

    def _create_schema(self) -> None:
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

    def _drop_labels_not_carried(self) -> None:
        """Graphs written before deletes took labels off first (flows/cypher.py,
        RETRACT_STATEMENTS) can hold nodes that match a label they do not carry. Setting
        and removing it clears the match; on a sound graph each label costs one scan."""
        for row in self.read(GRAPH_LABELS):
            self.write(drop_label_not_carried(row["label"]))

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
