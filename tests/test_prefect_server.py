"""The local Prefect API `kg ingest` starts for its data dir when no PREFECT_API_URL is
set: it answers, serves real flow runs, is shared by later commands and by commands
starting at once, and `kg stop` stops it."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from flows.prefect_server import LocalPrefectApi, _alive
from flows.settings import REPO_ROOT
from tests.conftest import KG


def own_env(data_dir: Path, graph: str, prefect_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {
        **env,
        "KG_DATA_DIR": str(data_dir),
        "KG_GRAPH": graph,
        "PREFECT_HOME": str(prefect_home),
        "CI": "true",
    }


def test_one_api_per_data_dir_shared_by_commands_starting_at_once(tmp_path: Path) -> None:
    api = LocalPrefectApi(tmp_path / "kg")
    try:

        def start_and_wait(_: int) -> str:
            LocalPrefectApi(tmp_path / "kg").start()
            return LocalPrefectApi(tmp_path / "kg").wait()

        with ThreadPoolExecutor(3) as pool:
            urls = set(pool.map(start_and_wait, range(3)))
        assert len(urls) == 1
        url = urls.pop()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/health", timeout=5).json() is True
        pid = api._pid()
        assert pid is not None
        api.start()  # already running: nothing new
        assert (api._pid(), api.wait()) == (pid, url)
    finally:
        assert api.stop()
    assert api._pid() is None and not api.stop()
    assert not _alive(pid)


def test_kg_ingest_starts_the_local_api_the_next_run_reuses_it_and_kg_stop_stops_it(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "kg"
    env = own_env(data_dir, "own-api", tmp_path / "prefect-home")
    api = LocalPrefectApi(data_dir)
    try:
        first = subprocess.run(
            [str(KG), "ingest", "seeds/"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
        )
        assert first.returncode == 0, first.stderr
        assert "Traceback" not in first.stderr
        pid = api._pid()
        assert pid is not None, "no local Prefect API left running for the next command"
        # Its database is Prefect's usual one, under PREFECT_HOME: the run is recorded there.
        assert (tmp_path / "prefect-home" / "prefect.db").exists()
        runs = httpx.post(f"{api.wait()}/flow_runs/filter", json={}, timeout=10).json()
        assert [run["state_type"] for run in runs] == ["COMPLETED"]

        # A run that records itself always runs the flow, on the API left running.
        again = subprocess.run(
            [str(KG), "ingest", "seeds/", "--record-run"],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr
        assert api._pid() == pid
        runs = httpx.post(f"{api.wait()}/flow_runs/filter", json={}, timeout=10).json()
        assert len(runs) == 2
        # An unchanged rerun is hash, compare and report: no flow run at all.
        noop = subprocess.run(
            [str(KG), "ingest", "seeds/"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
        )
        assert noop.returncode == 0, noop.stderr
        runs = httpx.post(f"{api.wait()}/flow_runs/filter", json={}, timeout=10).json()
        assert len(runs) == 2

        stopped = subprocess.run(
            [str(KG), "stop"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
        )
        assert stopped.returncode == 0, stopped.stderr
        assert "local Prefect API stopped" in stopped.stdout
        assert api._pid() is None
    finally:
        api.stop()
        subprocess.run([str(KG), "stop"], cwd=REPO_ROOT, env=env, capture_output=True)


def test_a_stale_record_of_a_dead_api_starts_a_new_one(tmp_path: Path) -> None:
    api = LocalPrefectApi(tmp_path / "kg")
    api.home.mkdir(parents=True)
    # The pid of a process that is not the API (this test's own).
    (api.home / "api.json").write_text(f'{{"pid": {os.getpid()}, "url": "http://127.0.0.1:9/api"}}')
    try:
        api.start()
        url = api.wait()
        assert url != "http://127.0.0.1:9/api"
        assert httpx.get(f"{url}/health", timeout=5).json() is True
    finally:
        api.stop()
