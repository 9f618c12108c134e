"""Shared fixtures: one real embedded store, one real Neo4j and one Prefect API per
session, one spaCy pipeline per session, and a fresh graph per test. `make test` runs two
sessions side by side (pytest-xdist, a module to a worker): each has its own servers, in
its own temporary directory, on free ports.

The `store` fixture is parametrized over both stores, the way dlt runs its load tests over
every destination: a test that takes `store` is a contract every store must keep."""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from flows.settings import REPO_ROOT, Settings, load_settings

SHARED = REPO_ROOT.parent / "shared"
SEEDS = REPO_ROOT / "seeds"
KG = Path(sys.executable).parent / "kg"
_graph_names = itertools.count()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The embedded store's data dir; the server is stopped when the session ends."""
    from flows.store.falkordb_store import EmbeddedServer

    path = tmp_path_factory.mktemp("kg-data")
    yield path
    EmbeddedServer(path).stop()


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    """Settings pointing at a graph no other test uses, in the session's store."""
    return load_settings(data_dir=data_dir, graph_name=f"test{next(_graph_names)}")


STORE_KINDS = ("embedded", "neo4j")


@dataclass(frozen=True)
class LocalNeo4j:
    """The session's Neo4j server (tools/neo4j_local.py) and how to reach it."""

    bolt_uri: str
    http_port: int
    password: str
    data_dir: Path

    def settings_of(self, settings: Settings) -> Settings:
        return settings.model_copy(
            update={"neo4j_uri": self.bolt_uri, "neo4j_password": SecretStr(self.password)}
        )

    def env(self) -> dict[str, str]:
        return {"NEO4J_URI": self.bolt_uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": self.password}

    def stop(self, kill: bool = False) -> None:
        """Stop the server: cleanly, or as a crash would (SIGKILL)."""
        from tools import neo4j_local

        neo4j_local.stop(self.data_dir, kill=kill)

    def start(self) -> None:
        """Start it again on the same data and ports (a no-op while it runs)."""
        from tools import neo4j_local

        port = int(self.bolt_uri.rsplit(":", 1)[1])
        neo4j_local.start(self.data_dir, port, self.http_port, password=self.password)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    """A real Neo4j 5 for the session, from Neo4j's test harness; stopped at the end.

    Without Java or Maven the Neo4j tests skip, saying which is missing. Anything else
    that stops it from starting fails them: on this project's machines they must run."""
    from tools import neo4j_local

    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"no local Neo4j: {' and '.join(missing)} not on the PATH")
    path = tmp_path_factory.mktemp("neo4j")
    password = f"kg-test-{secrets.token_hex(8)}"
    http_port = neo4j_local.free_port()
    server = neo4j_local.start(path, neo4j_local.free_port(), http_port, password=password)
    yield LocalNeo4j(server.bolt_uri, http_port, password, path)
    neo4j_local.stop(path)


@pytest.fixture(params=STORE_KINDS)
def store_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """Settings for a fresh, empty graph in each kind of store."""
    if request.param == "neo4j":
        return request.getfixturevalue("neo4j_server").settings_of(settings)
    return settings


@pytest.fixture
def store(store_settings: Settings):
    from flows.store import open_store

    store = open_store(store_settings)
    store.reset()  # Neo4j Community has one graph: earlier tests used it too
    store.ensure_schema()
    yield store
    store.close()
    # A new connection: the test may have restarted the server under the first one.
    cleanup = open_store(store_settings)
    cleanup.reset()
    cleanup.close()


@pytest.fixture(scope="session")
def ontology():
    from flows.ontology import load_ontology

    return load_ontology(REPO_ROOT / "schema")


@pytest.fixture(scope="session")
def extractor(ontology):
    """The product's extractor, as the default settings build it (the trained model and
    the hand-written extractors)."""
    from flows.pool import ExtractConfig, build_extractor

    extractor, _ = build_extractor(ExtractConfig.of(load_settings()))
    return extractor


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """One temporary Prefect API for the whole session, shared with CLI subprocesses."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield PREFECT_API_URL.value()


@pytest.fixture
def run_kg(prefect_api: str, data_dir: Path):
    """Run the real `kg` console script in a subprocess against the session's store."""

    def env_for(graph: str) -> dict[str, str]:
        return {
            **os.environ,
            "PREFECT_API_URL": prefect_api,
            "KG_DATA_DIR": str(data_dir),
            "KG_GRAPH": graph,
        }

    def run(*args: str, graph: str, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None):
        full_env = {**env_for(graph), **(env or {})}
        return subprocess.run(
            [str(KG), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300
        )

    run.env = env_for  # for a test that needs its own Popen
    return run


def store_env(settings: Settings) -> dict[str, str]:
    """The environment that points `kg` at the store of these settings."""
    env = {"KG_DATA_DIR": str(settings.data_dir), "KG_GRAPH": settings.graph_name}
    if settings.neo4j_uri:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        env |= {"NEO4J_URI": settings.neo4j_uri, "NEO4J_PASSWORD": password}
    return env


@pytest.fixture
def run_kg_on_store(run_kg, store_settings: Settings):
    """`kg` in a subprocess against the `store` fixture's store, whichever kind it is."""

    def run(*args: str, **kwargs):
        env = {**store_env(store_settings), **kwargs.pop("env", {})}
        return run_kg(*args, graph=store_settings.graph_name, env=env, **kwargs)

    return run


def unanswered_questions(store) -> list[str]:
    """The saved questions of schema/queries.cypher that return no rows on this store."""
    from flows.user_cypher import saved_queries

    questions = saved_queries(REPO_ROOT / "schema" / "queries.cypher")
    return [q.name for q in questions if not store.read(q.cypher)]


@contextlib.contextmanager
def environment(variables: dict[str, str], cwd: Path) -> Iterator[None]:
    """Run in `cwd` with these environment variables set, as a command would."""
    previous_cwd, saved = Path.cwd(), {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def ingest_seeds(settings: Settings, work: Path):
    """The seed articles (copied under `work`) ingested by the real flow into the store of
    these settings, run from `work`; the run's summary."""
    from flows.flow import ingest_flow

    if not (work / "seeds").exists():
        shutil.copytree(SEEDS, work / "seeds")
    # Article ids are paths relative to the working directory.
    with environment(store_env(settings), work):
        return ingest_flow(
            paths=["seeds"], data_dir=str(settings.data_dir), config=None, record_run=True
        )


@pytest.fixture(scope="session")
def seed_graph(prefect_api: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The two seed articles ingested once by the real flow, into a graph of their own.

    Yields (settings, summary of the first run, folder the ids are relative to)."""
    work = tmp_path_factory.mktemp("seed-run")
    settings = load_settings(data_dir=data_dir, graph_name="seeds")
    return settings, ingest_seeds(settings, work), work


# The fast lane (`make check`) runs what needs no server: a test is a system test if it
# uses a real store, a Prefect API or the `kg` command, or is in a module that starts
# servers or browsers itself.
SYSTEM_FIXTURES = frozenset({"data_dir", "prefect_api", "neo4j_server", "run_kg", "seed_graph"})
SYSTEM_MODULES = frozenset(
    {"test_prefect_server", "test_serve", "test_faults", "test_view", "test_store_falkordb"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if SYSTEM_FIXTURES & set(getattr(item, "fixturenames", ())) or module in SYSTEM_MODULES:
            item.add_marker(pytest.mark.system)
