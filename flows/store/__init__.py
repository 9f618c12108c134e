"""The graph store layer: one interface, two implementations sharing flows.cypher.

Where the stores differ, the store hides it: node and relationship values come back in one
plain shape (labels sorted, ids opaque), errors are the project's own, and what a store can
and cannot do is declared in its `capabilities`, never guessed from its name."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from flows.settings import Settings

Step = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Capabilities:
    """What a store supports, as dlt's destinations declare theirs."""

    # A unit of work is one transaction: all of it is written, or none of it. Without
    # transactions each statement is atomic, and the content hash written last marks a
    # batch as done.
    transactions: bool
    # Several named graphs in one server (the embedded store); Neo4j Community has one.
    named_graphs: bool


class GraphStore(Protocol):
    name: str
    capabilities: ClassVar[Capabilities]

    def ensure_schema(self) -> None:
        """Create the constraints and indexes in schema/*.cypher if missing."""

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only statement; rows as plain dicts."""

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one statement that may write."""

    def exclusive(self) -> AbstractContextManager[None]:
        """Hold off other processes' units of work on this graph for the block, so that
        what a unit reads before it writes is still true when it writes."""

    def write_unit(self, steps: list[Step]) -> None:
        """Run the steps of one unit of work (a batch of articles), all or nothing where the
        store allows."""

    def describe(self) -> str:
        """Where the store is, fit for logs: never a password."""

    def reset(self) -> None:
        """Delete every node and relationship."""

    def compact(self) -> None:
        """Keep the on-disk state quick to reopen after a run that wrote (the embedded
        store rewrites its append-only file as a snapshot, in the background)."""

    def close(self) -> None: ...


def open_store(settings: Settings) -> GraphStore:
    """Neo4j when NEO4J_URI is set, else the embedded FalkorDB store under data_dir."""
    if settings.uses_neo4j:
        from flows.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings)
    from flows.store.falkordb_store import FalkorStore

    return FalkorStore(settings)
