"""Neo4j 5 through the official driver. A unit of work (a batch of articles) is one real
transaction: a batch that fails leaves nothing of itself behind."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DatabaseUnavailable,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from flows.cypher import DELETE_ALL
from flows.errors import ConfigError, QueryError, StoreBusy, StoreUnavailable
from flows.settings import Settings
from flows.store import Capabilities, Step
from flows.store.messages import neo4j_error
from flows.store.schema import load_graph_schema, neo4j_ddl

_UNREACHABLE = (ServiceUnavailable, SessionExpired, DatabaseUnavailable, OSError)


def redact(uri: str) -> str:
    """A URI fit for logs: any user:password@ part removed."""
    return re.sub(r"//[^/@]*@", "//", uri)


def plain(value: Any) -> Any:
    """Neo4j result values as JSON-ready Python values, in the shape the embedded store
    gives them."""
    if isinstance(value, neo4j.graph.Node):
        return {"id": value.element_id, "labels": sorted(value.labels), "properties": dict(value)}
    if isinstance(value, neo4j.graph.Relationship):
        return {
            "id": value.element_id,
            "type": value.type,
            "start": value.start_node.element_id if value.start_node else None,
            "end": value.end_node.element_id if value.end_node else None,
            "properties": dict(value),
        }
    if isinstance(value, neo4j.graph.Path):
        return {
            "nodes": [plain(n) for n in value.nodes],
            "edges": [plain(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j temporal types
        return value.iso_format()
    return value


# The lock units of work take (`Neo4jStore.exclusive`): a MERGE on a unique key waits for
# any other transaction holding that key. The node is never committed.
# Neo4j lists its label among the graph's (`CALL db.labels()`), though no node has it.
LOCK_LABEL = "KgUnitLock"
UNIT_LOCK_CONSTRAINT = (
    f"CREATE CONSTRAINT kg_unit_lock IF NOT EXISTS FOR (l:{LOCK_LABEL}) REQUIRE l.graph IS UNIQUE"
)
UNIT_LOCK = f"MERGE (:{LOCK_LABEL} {{graph: $graph}})"


class Neo4jStore:
    name = "neo4j"
    capabilities = Capabilities(transactions=True, named_graphs=False)

    def __init__(self, settings: Settings) -> None:
        assert settings.neo4j_uri is not None
        self.uri = redact(settings.neo4j_uri)
        self.database = settings.neo4j_database
        self.schema_dir = settings.schema_dir
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        try:
            self.driver = GraphDatabase.driver(
                settings.neo4j_uri,
                auth=(settings.neo4j_user, password),
                connection_timeout=10,
                # The driver's own retries of a unit of work; the flow retries on top of
                # them, with backoff, so a dead server fails the run in seconds, not minutes.
                max_transaction_retry_time=5.0,
                # Query notifications ("this label does not exist yet" on an empty graph)
                # are hints for people writing Cypher; the driver would log each one.
                notifications_min_severity="OFF",
            )
        except (ConfigurationError, ValueError) as exc:
            raise ConfigError(
                f"Neo4j URI {self.uri} is not usable ({type(exc).__name__})"
            ) from None
        try:
            self.driver.verify_connectivity()
        except AuthError:
            self.driver.close()
            raise ConfigError(
                f"Neo4j at {self.uri} refused the credentials in NEO4J_USER/NEO4J_PASSWORD"
            ) from None
        except _UNREACHABLE as exc:
            self.driver.close()
            raise StoreUnavailable(
                f"Neo4j at {self.uri} is unreachable ({type(exc).__name__})"
            ) from None

    def describe(self) -> str:
        return f"Neo4j at {self.uri}"

    def _session(self) -> neo4j.Session:
        return self.driver.session(database=self.database)

    def _guard(self, work):
        try:
            return work()
        except _UNREACHABLE as exc:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} is unreachable ({type(exc).__name__})"
            ) from None
        except TransientError as exc:
            # A deadlock between two runs, or a lock wait timed out: retried by the flow.
            raise StoreBusy(f"Neo4j at {self.uri} is busy: {exc.message}") from None
        except ClientError as exc:
            if exc.code and "AccessMode" in exc.code:
                raise QueryError(
                    "the query writes to the graph; pass --write to allow it"
                ) from None
            if exc.code and exc.code.endswith("ConstraintValidationFailed"):
                raise QueryError(
                    f"the store rejected the query: unique constraint violation ({exc.message})"
                ) from None
            raise QueryError(neo4j_error(exc.message or str(exc))) from None

    @staticmethod
    def _rows(tx: neo4j.ManagedTransaction, cypher: str, params: dict[str, Any]) -> list[dict]:
        result = tx.run(cypher, params)
        return [{k: plain(v) for k, v in record.items()} for record in result]

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        def work():
            with self._session() as session:
                return session.execute_read(self._rows, cypher, params or {})

        return self._guard(work)

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        def work():
            with self._session() as session:
                return session.execute_write(self._rows, cypher, params or {})

        return self._guard(work)

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        # A unit decides from what it reads (the articles it replaces, how every article
        # reads the names it touches: flows/load_readings.py) and then writes, so two runs'
        # units must not interleave, on whatever host they run. The server is the lock: a
        # transaction MERGEs a node on a unique key and holds the key's lock until it ends;
        # another run's MERGE waits there. It never commits, so the graph never holds the
        # node, and a run that dies lets go with its connection.
        def hold():
            session = self._session()
            tx = session.begin_transaction()
            try:
                tx.run(UNIT_LOCK, {"graph": self.database or "default"}).consume()
            except BaseException:
                tx.close()
                session.close()
                raise
            return session, tx

        session, tx = self._guard(hold)
        try:
            yield
        finally:
            # On a connection the store dropped, the server has ended the transaction and
            # let the lock go already; the driver's error in saying so again must not hide
            # why the unit stopped (a StoreUnavailable, retried or told in one line).
            with suppress(*_UNREACHABLE):
                tx.rollback()
            with suppress(*_UNREACHABLE):
                session.close()

    def write_unit(self, steps: list[Step]) -> None:
        def all_steps(tx: neo4j.ManagedTransaction) -> None:
            for cypher, params in steps:
                tx.run(cypher, params).consume()

        def work():
            with self._session() as session:
                session.execute_write(all_steps)

        self._guard(work)

    def ensure_schema(self) -> None:
        for statement in [*neo4j_ddl(load_graph_schema(self.schema_dir)), UNIT_LOCK_CONSTRAINT]:
            self._guard(lambda statement=statement: self._create(statement))

    def _create(self, statement: str) -> None:
        """Run one `... IF NOT EXISTS` statement. Two runs starting at once may both find
        the index missing, and the second to commit is told it already exists: it does."""
        try:
            with self._session() as session:
                session.execute_write(self._rows, statement, {})
        except ClientError as exc:
            if not (exc.code or "").endswith("AlreadyExists"):  # EquivalentSchemaRule…
                raise

    def reset(self) -> None:
        self.write(DELETE_ALL)

    def compact(self) -> None:
        """Neo4j checkpoints its own transaction log."""

    def close(self) -> None:
        self.driver.close()
