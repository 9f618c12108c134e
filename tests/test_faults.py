"""Faults never lose or corrupt the graph: a store killed mid-ingest, an ingest killed
mid-run, two ingests at once, a store unreachable at start, a full disk.

Each test runs real `kg` processes against a real store and compares graphs with the
canonical export. The embedded store here is one of this module's own (it kills servers,
so it keeps them away from the session's store). The store-killed and overlap tests run
on Neo4j too, and its graphs must equal the embedded store's, export for export."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.errors import StoreUnavailable
from flows.export import export_records
from flows.settings import Settings, load_settings
from flows.store import open_store
from flows.store.falkordb_server import EmbeddedServer
from tests.conftest import KG, SHARED, STORE_KINDS, store_env

# Long enough that a kill after 20 written articles lands mid-run with 130 to go, and all
# the overlap test's three folders need; each of this module's full ingests reads it.
CORPUS_SIZE = 150
BBC = SHARED / "data" / "bbc" / "articles.jsonl"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 150 BBC articles as one JSON Lines file (ids come from the records)."""
    path = tmp_path_factory.mktemp("corpus") / "bbc150.jsonl"
    with BBC.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for _, line in zip(range(CORPUS_SIZE), source, strict=False):
            out.write(line)
    return path


@pytest.fixture(scope="module")
def fault_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("fault-store")
    yield path
    EmbeddedServer(path).stop()


def settings_of(data_dir: Path, graph: str) -> Settings:
    return load_settings(data_dir=data_dir, graph_name=graph)


def kg_env(prefect_api: str, settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_API_URL": prefect_api,
        **store_env(settings),
        "KG_N_PROCESS": "1",
    }


def ingest(prefect_api: str, settings: Settings, *paths: Path, timeout: float = 600):
    return subprocess.run(
        [str(KG), "ingest", *map(str, paths)],
        env=kg_env(prefect_api, settings),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_ingest(prefect_api: str, settings: Settings, *paths: Path):
    return subprocess.Popen(
        [str(KG), "ingest", *map(str, paths)],
        env=kg_env(prefect_api, settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finished_articles(settings: Settings) -> int:
    store = open_store(settings)
    try:
        rows = store.read("MATCH (a:Article) WHERE a.content_hash IS NOT NULL RETURN count(a) AS n")
        return rows[0]["n"]
    finally:
        store.close()


def wait_until_writing(settings: Settings, process: subprocess.Popen, count: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        if finished_articles(settings) >= count:
            return
        time.sleep(0.3)
    pytest.fail(f"the ingest never wrote {count} articles")


def export(settings: Settings) -> list[dict]:
    store = open_store(settings)
    try:
        return export_records(store, stable=True)
    finally:
        store.close()


@dataclass(frozen=True)
class Target:
    """A store to put under faults: a fresh graph in it, and how to crash and revive it."""

    kind: str
    graph: Callable[[str], Settings]  # settings for a fresh, empty graph of this name
    kill: Callable[[], None]  # SIGKILL the server
    revive: Callable[[], None]  # bring it back after a kill (the embedded store: on use)


@pytest.fixture(params=STORE_KINDS)
def target(request: pytest.FixtureRequest, fault_dir: Path) -> Target:
    if request.param == "embedded":
        server = EmbeddedServer(fault_dir)
        return Target(
            "embedded",
            lambda graph: settings_of(fault_dir, graph),
            lambda: os.kill(server.pid(), signal.SIGKILL),
            lambda: None,
        )
    neo4j = request.getfixturevalue("neo4j_server")

    def fresh(graph: str) -> Settings:
        settings = neo4j.settings_of(settings_of(fault_dir, graph))
        store = open_store(settings)
        store.reset()  # one graph per Neo4j server: start from empty
        store.close()
        return settings

    return Target("neo4j", fresh, lambda: neo4j.stop(kill=True), neo4j.start)


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.fixture(scope="module")
def reference(prefect_api: str, fault_dir: Path, corpus: Path) -> list[dict]:
    """The stable export of an uninterrupted ingest of the corpus into the embedded store:
    what every store must hold after any of the faults below."""
    settings = settings_of(fault_dir, "reference")
    result = ingest(prefect_api, settings, corpus)
    assert result.returncode == 0, result.stderr
    records = export(settings)
    articles = [r for r in records if "Article" in r.get("labels", [])]
    assert len(articles) == CORPUS_SIZE
    return records


def test_store_killed_mid_ingest_fails_cleanly_then_a_rerun_completes(
    prefect_api: str, target: Target, corpus: Path, reference: list[dict]
) -> None:
    settings = target.graph("store-killed")
    process = start_ingest(prefect_api, settings, corpus)
    wait_until_writing(settings, process, 20)
    target.kill()
    try:
        _, stderr = process.communicate(timeout=300)
        # Store calls were retried with backoff, then the run gave up with one clear line.
        assert process.returncode == 1, stderr
        assert "is unreachable" in one_error_line(stderr)
    finally:
        # The server comes back whatever was asserted: other tests share it.
        target.revive()
    # The next run finds the store recovered from its log and finishes the job, and the
    # graph is the uninterrupted run's, whichever store holds it.
    again = ingest(prefect_api, settings, corpus)
    assert again.returncode == 0, again.stderr
    assert export(settings) == reference


def test_a_unit_whose_neo4j_dies_under_it_stops_with_the_store_unavailable(
    neo4j_server, fault_dir: Path
) -> None:
    """The lock's transaction cannot be rolled back on a connection the server dropped:
    the unit still ends with the error that says why, never the driver's."""
    store = open_store(neo4j_server.settings_of(settings_of(fault_dir, "dies")))
    try:
        # Dropped between the unit's steps: leaving the unit says nothing of it.
        with store.exclusive():
            neo4j_server.stop(kill=True)
        neo4j_server.start()
        # Dropped during a step: the step's error is the one that leaves the unit.
        with pytest.raises(StoreUnavailable), store.exclusive():
            neo4j_server.stop(kill=True)
            store.write("CREATE (:Probe)")
    finally:
        neo4j_server.start()
        store.close()


def test_ingest_killed_mid_run_leaves_nothing_half_written(
    prefect_api: str, fault_dir: Path, corpus: Path, reference: list[dict]
) -> None:
    server = EmbeddedServer(fault_dir)
    settings = settings_of(fault_dir, "ingest-killed")
    process = start_ingest(prefect_api, settings, corpus)
    wait_until_writing(settings, process, 20)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # The machine goes down with it: the store restarts from its append-only file.
    old_pid = server.pid()
    os.kill(old_pid, signal.SIGKILL)
    again = ingest(prefect_api, settings, corpus)
    assert again.returncode == 0, again.stderr
    assert server.pid() != old_pid
    assert export(settings) == reference


@pytest.fixture(scope="module")
def overlapping_sources(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three folders; the middle one is read by both of two runs."""
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    folders = []
    for name, part in (("a", lines[:70]), ("shared", lines[70:110]), ("b", lines[110:150])):
        folder = tmp_path_factory.mktemp(name)
        (folder / "articles.jsonl").write_text("".join(part), encoding="utf-8")
        folders.append(folder)
    return folders


@pytest.fixture(scope="module")
def sequential(prefect_api: str, fault_dir: Path, overlapping_sources: list[Path]) -> list[dict]:
    """The overlapping sources ingested one run after the other, into the embedded store."""
    only_first, shared, only_second = overlapping_sources
    settings = settings_of(fault_dir, "sequential")
    assert ingest(prefect_api, settings, only_first, shared).returncode == 0
    assert ingest(prefect_api, settings, shared, only_second).returncode == 0
    return export(settings)


def test_two_overlapping_ingests_give_the_sequential_graph(
    prefect_api: str, target: Target, overlapping_sources: list[Path], sequential: list[dict]
) -> None:
    only_first, shared, only_second = overlapping_sources
    settings = target.graph("overlap")
    # Overlapping sources: both runs read the same 40-article file, at the same time.
    runs = [
        start_ingest(prefect_api, settings, only_first, shared),
        start_ingest(prefect_api, settings, shared, only_second),
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr

    overlapped = export(settings)
    keys = [
        r["properties"].get("id") or r["properties"].get("key")
        for r in overlapped
        if "labels" in r and ({"Article", "Entity"} & set(r["labels"]))
    ]
    assert len(keys) == len(set(keys)), "a duplicate Article or Entity"
    assert overlapped == sequential


def test_store_unreachable_at_start_is_one_line_and_writes_nothing(
    run_kg, corpus: Path, fault_dir: Path
) -> None:
    result = run_kg(
        "ingest",
        str(corpus),
        graph="unreachable",
        env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "not-a-real-secret"},
    )
    assert result.returncode == 1
    line = one_error_line(result.stderr)
    assert "127.0.0.1:9" in line and "not-a-real-secret" not in result.stderr + result.stdout
    assert "unreachable" in line or "cannot connect" in line


def test_unwritable_data_dir_is_a_clear_error(run_kg, corpus: Path, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file where the data dir should be\n")
    result = run_kg("ingest", str(corpus), graph="unwritable", env={"KG_DATA_DIR": str(not_a_dir)})
    assert result.returncode == 1
    assert f"data dir {not_a_dir}" in one_error_line(result.stderr)
    assert not_a_dir.read_text() == "a file where the data dir should be\n"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 400 KB filesystem (tmpfs) to fill up; grown afterwards as an operator would."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        EmbeddedServer(mount / "kg").stop()
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_fails_cleanly_and_the_data_dir_survives(
    prefect_api: str, small_disk: Path, corpus: Path, reference: list[dict]
) -> None:
    data_dir = small_disk / "kg"
    settings = settings_of(data_dir, "reference")
    result = ingest(prefect_api, settings, corpus)
    assert result.returncode == 1, result.stdout
    line = one_error_line(result.stderr)
    assert f"embedded FalkorDB at {data_dir} cannot write" in line
    assert "No space left on device" in line
    # The full store still stops on request; with room again it restarts from its
    # append-only file (cut short mid-write) and the re-run completes.
    server = EmbeddedServer(data_dir)
    server.stop()
    assert not server.is_running()
    subprocess.run(["mount", "-o", "remount,size=256m", str(small_disk)], check=True)
    again = ingest(prefect_api, settings, corpus)
    assert again.returncode == 0, again.stderr
    assert export(settings) == reference


HOLD_THE_LOCK = """
import sys, time
from flows.settings import load_settings
from flows.store import open_store
store = open_store(load_settings())
store.ensure_schema()
with store.exclusive():
    print("held", flush=True)
    time.sleep(600)
"""


def blocked_transactions(settings: Settings) -> int:
    store = open_store(settings)
    try:
        rows = store.read(
            "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n"
        )
        return rows[0]["n"]
    finally:
        store.close()


def wait_until_blocked(settings: Settings, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        if blocked_transactions(settings):
            return
        time.sleep(0.3)
    pytest.fail("the ingest never waited for the lock")


@pytest.fixture
def few_articles(corpus: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two files of three articles each: a run of unchanged articles writes nothing, so
    each run that must wait for the lock gets articles of its own."""
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(lines[:3]), encoding="utf-8")
    second.write_text("".join(lines[3:6]), encoding="utf-8")
    return first, second


def test_a_run_on_neo4j_waits_for_another_clients_unit_and_a_dead_holder_lets_go(
    prefect_api: str, neo4j_server, fault_dir: Path, few_articles: tuple[Path, Path]
) -> None:
    # The lock is the server's (Neo4jStore.exclusive), so another client here stands for a
    # run on another host: nothing of it lives in this machine's files or processes.
    settings = neo4j_server.settings_of(settings_of(fault_dir, "lock"))
    holder = open_store(settings)
    holder.reset()
    holder.ensure_schema()
    with holder.exclusive():
        run = start_ingest(prefect_api, settings, few_articles[0])
        wait_until_blocked(settings, run)
        assert finished_articles(settings) == 0
    _, stderr = run.communicate(timeout=300)
    holder.close()
    assert run.returncode == 0, stderr
    assert finished_articles(settings) == 3

    # A holder killed outright (a host gone down) lets go with its connection.
    holder_process = subprocess.Popen(
        [str(KG.parent / "python"), "-c", HOLD_THE_LOCK],
        env=kg_env(prefect_api, settings),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert holder_process.stdout is not None
    assert holder_process.stdout.readline().strip() == "held"
    again = start_ingest(prefect_api, settings, few_articles[1])
    wait_until_blocked(settings, again)
    os.killpg(holder_process.pid, signal.SIGKILL)
    holder_process.wait()
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert finished_articles(settings) == 6
