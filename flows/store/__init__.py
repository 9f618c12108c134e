"""The graph store layer: one interface, two implementations sharing flows.cypher."""

from __future__ import annotations

from typing import Any, Protocol

from flows.settings import Settings

Step = tuple[str, dict[str, Any]]


class GraphStore(Protocol):
    name: str

    def ensure_schema(self) -> None:
        """Create the constraints and indexes in schema/*.cypher if missing."""

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only statement; rows as plain dicts."""

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one statement that may write."""

    def write_unit(self, steps: list[Step]) -> None:
        """Run the steps of one unit of work (a batch of articles), all or nothing where the
        store allows."""

    def describe(self) -> str:
        """Where the store is, fit for logs: never a password."""

    def reset(self) -> None:
        """Delete every node and relationship."""

    def close(self) -> None: ...


def open_store(settings: Settings) -> GraphStore:
    """Neo4j when NEO4J_URI is set, else the embedded FalkorDB store under data_dir."""
    if settings.uses_neo4j:
        from flows.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings)
    from flows.store.falkordb_store import FalkorStore

    return FalkorStore(settings)
