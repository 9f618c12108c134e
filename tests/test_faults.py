"""Faults never lose or corrupt the graph: a store killed mid-ingest, an ingest killed
mid-run, two ingests at once, a store unreachable at start, a full disk.

Each test runs real `kg` processes against a real embedded store of its own (this module
kills servers, so it keeps them away from the session's store) and compares graphs with
the canonical export."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.export import export_records
from flows.settings import load_settings
from flows.store.falkordb_store import EmbeddedServer, FalkorStore
from tests.conftest import KG, SHARED

CORPUS_SIZE = 200
BBC = SHARED / "data" / "bbc" / "articles.jsonl"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 200 BBC articles as one JSON Lines file (ids come from the records)."""
    path = tmp_path_factory.mktemp("corpus") / "bbc200.jsonl"
    with BBC.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for _, line in zip(range(CORPUS_SIZE), source, strict=False):
            out.write(line)
    return path


@pytest.fixture(scope="module")
def fault_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("fault-store")
    yield path
    EmbeddedServer(path).stop()


def kg_env(prefect_api: str, data_dir: Path, graph: str) -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_API_URL": prefect_api,
        "KG_DATA_DIR": str(data_dir),
        "KG_GRAPH": graph,
        "KG_N_PROCESS": "1",
    }


def ingest(prefect_api: str, data_dir: Path, graph: str, *paths: Path, timeout: float = 600):
    return subprocess.run(
        [str(KG), "ingest", *map(str, paths)],
        env=kg_env(prefect_api, data_dir, graph),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_ingest(prefect_api: str, data_dir: Path, graph: str, *paths: Path):
    return subprocess.Popen(
        [str(KG), "ingest", *map(str, paths)],
        env=kg_env(prefect_api, data_dir, graph),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finished_articles(data_dir: Path, graph: str) -> int:
    store = FalkorStore(load_settings(data_dir=data_dir, graph_name=graph))
    try:
        rows = store.read("MATCH (a:Article) WHERE a.content_hash IS NOT NULL RETURN count(a) AS n")
        return rows[0]["n"]
    finally:
        store.close()


def wait_until_writing(data_dir: Path, graph: str, process: subprocess.Popen, count: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        if finished_articles(data_dir, graph) >= count:
            return
        time.sleep(0.3)
    pytest.fail(f"the ingest never wrote {count} articles")


def export(data_dir: Path, graph: str) -> list[dict]:
    store = FalkorStore(load_settings(data_dir=data_dir, graph_name=graph))
    try:
        return export_records(store, stable=True)
    finally:
        store.close()


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.fixture(scope="module")
def reference(prefect_api: str, fault_dir: Path, corpus: Path) -> list[dict]:
    """The stable export of an uninterrupted ingest of the corpus."""
    result = ingest(prefect_api, fault_dir, "reference", corpus)
    assert result.returncode == 0, result.stderr
    records = export(fault_dir, "reference")
    articles = [r for r in records if "Article" in r.get("labels", [])]
    assert len(articles) == CORPUS_SIZE
    return records


def test_store_killed_mid_ingest_fails_cleanly_then_a_rerun_completes(
    prefect_api: str, fault_dir: Path, corpus: Path, reference: list[dict]
) -> None:
    server = EmbeddedServer(fault_dir)
    process = start_ingest(prefect_api, fault_dir, "store-killed", corpus)
    wait_until_writing(fault_dir, "store-killed", process, 20)
    os.kill(server.pid(), signal.SIGKILL)
    _, stderr = process.communicate(timeout=300)
    # Store calls were retried with backoff, then the run gave up with one clear line.
    assert process.returncode == 1, stderr
    assert "is unreachable" in one_error_line(stderr)
    assert not server.is_running()
    # The next run starts the store from its append-only file and finishes the job.
    again = ingest(prefect_api, fault_dir, "store-killed", corpus)
    assert again.returncode == 0, again.stderr
    assert export(fault_dir, "store-killed") == reference


def test_ingest_killed_mid_run_leaves_nothing_half_written(
    prefect_api: str, fault_dir: Path, corpus: Path, reference: list[dict]
) -> None:
    server = EmbeddedServer(fault_dir)
    process = start_ingest(prefect_api, fault_dir, "ingest-killed", corpus)
    wait_until_writing(fault_dir, "ingest-killed", process, 20)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # The machine goes down with it: the store restarts from its append-only file.
    old_pid = server.pid()
    os.kill(old_pid, signal.SIGKILL)
    again = ingest(prefect_api, fault_dir, "ingest-killed", corpus)
    assert again.returncode == 0, again.stderr
    assert server.pid() != old_pid
    assert export(fault_dir, "ingest-killed") == reference


def test_two_overlapping_ingests_give_the_sequential_graph(
    prefect_api: str, fault_dir: Path, corpus: Path, tmp_path: Path
) -> None:
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    # Overlapping sources: both runs read the same 40-article file, at the same time.
    only_first, shared, only_second = (tmp_path / name for name in ("a", "shared", "b"))
    for folder, part in (
        (only_first, lines[:70]),
        (shared, lines[70:110]),
        (only_second, lines[110:150]),
    ):
        folder.mkdir()
        (folder / "articles.jsonl").write_text("".join(part), encoding="utf-8")

    runs = [
        start_ingest(prefect_api, fault_dir, "overlap", only_first, shared),
        start_ingest(prefect_api, fault_dir, "overlap", shared, only_second),
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
    assert ingest(prefect_api, fault_dir, "sequential", only_first, shared).returncode == 0
    assert ingest(prefect_api, fault_dir, "sequential", shared, only_second).returncode == 0

    overlapped = export(fault_dir, "overlap")
    keys = [
        r["properties"].get("id") or r["properties"].get("key")
        for r in overlapped
        if "labels" in r and ({"Article", "Entity"} & set(r["labels"]))
    ]
    assert len(keys) == len(set(keys)), "a duplicate Article or Entity"
    assert overlapped == export(fault_dir, "sequential")


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
    result = ingest(prefect_api, data_dir, "reference", corpus)
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
    again = ingest(prefect_api, data_dir, "reference", corpus)
    assert again.returncode == 0, again.stderr
    assert export(data_dir, "reference") == reference
