"""Shared fixtures: one real embedded store and one Prefect API per session, one spaCy
pipeline per session, and a fresh graph (by name) per test."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def store(settings: Settings):
    from flows.store.falkordb_store import FalkorStore

    store = FalkorStore(settings)
    store.ensure_schema()
    yield store
    store.reset()
    store.close()


@pytest.fixture(scope="session")
def ontology():
    from flows.ontology import load_ontology

    return load_ontology(REPO_ROOT / "schema")


@pytest.fixture(scope="session")
def extractor(ontology):
    """The product's extractor, as the default settings build it (trained model and
    patterns)."""
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

    def run(*args: str, graph: str, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None):
        full_env = {
            **os.environ,
            "PREFECT_API_URL": prefect_api,
            "KG_DATA_DIR": str(data_dir),
            "KG_GRAPH": graph,
            **(env or {}),
        }
        return subprocess.run(
            [str(KG), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300
        )

    return run


@pytest.fixture(scope="session")
def seed_graph(prefect_api: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The two seed articles ingested once by the real flow, into a graph of their own.

    Yields (settings, summary of the first run, folder the ids are relative to)."""
    import shutil

    from flows.flow import ingest_flow

    work = tmp_path_factory.mktemp("seed-run")
    shutil.copytree(SEEDS, work / "seeds")
    settings = load_settings(data_dir=data_dir, graph_name="seeds")
    previous = Path.cwd()
    saved_graph = os.environ.get("KG_GRAPH")
    os.chdir(work)  # article ids are paths relative to the working directory
    os.environ["KG_GRAPH"] = settings.graph_name
    try:
        summary = ingest_flow(paths=["seeds"], data_dir=str(data_dir), config=None, record_run=True)
    finally:
        os.chdir(previous)
        if saved_graph is None:
            os.environ.pop("KG_GRAPH", None)
        else:
            os.environ["KG_GRAPH"] = saved_graph
    return settings, summary, work
