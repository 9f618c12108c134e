"""The project's own exceptions.

Two families: transient errors are worth retrying (the store is unreachable, a call timed
out); terminal errors are not (bad input, bad config, a bad query). The flow retries only
the transient ones, and the CLI turns each into one line and an exit code.
"""

from __future__ import annotations


class KgError(Exception):
    """Base of every error this project raises on purpose."""


class TransientError(KgError):
    """Worth retrying: the same call may succeed later."""


class StoreUnavailable(TransientError):
    """The graph store cannot be reached or stopped answering."""


class StoreBusy(TransientError):
    """The store refused a write for now (a deadlock with another run, a lock timeout)."""


class TerminalError(KgError):
    """Retrying will not help."""


class ConfigError(TerminalError):
    """The settings, the ontology or the environment are wrong."""


class StoreStartError(ConfigError):
    """The embedded store could not be started (data dir unwritable, binary missing)."""


class ServiceStartError(ConfigError):
    """A service `kg` starts for itself (the local Prefect server) did not come up."""


class WorkerDied(TerminalError):
    """A process extracting articles for the flow died under it."""


class QueryError(TerminalError):
    """A Cypher query was rejected by the store or by our read-only guard."""


class NotFound(TerminalError):
    """What was asked for is not in the graph."""


class RejectedDocument(TerminalError):
    """One input item cannot be ingested; the rest of the run goes on."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason
