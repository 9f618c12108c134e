"""`kg serve`: a real Prefect server, its scheduler and Prefect's runner, in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from flows.settings import REPO_ROOT, load_settings
from flows.store.falkordb_store import FalkorStore
from tests.conftest import KG


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ingest_runs(store: FalkorStore) -> list[dict]:
    return store.read(
        "MATCH (r:IngestRun) OPTIONAL MATCH (r)-[:INGESTED]->(a:Article) "
        "RETURN r.started_at AS started, r.status AS status, r.counts AS counts, "
        "count(a) AS articles ORDER BY started"
    )


def test_serve_runs_on_schedule_and_stops_cleanly(data_dir: Path, tmp_path: Path) -> None:
    settings = load_settings(data_dir=data_dir, graph_name="served")
    port = free_port()
    results = tmp_path / "prefect-results"
    env = {
        **{k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},
        "KG_GRAPH": settings.graph_name,
        "KG_PREFECT_PORT": str(port),
        "PREFECT_LOCAL_STORAGE_PATH": str(results),
    }
    serve = subprocess.Popen(
        [str(KG), "serve", "--interval", "3", "seeds/", "--data-dir", str(data_dir)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    store = FalkorStore(settings)
    try:
        deadline = time.monotonic() + 240
        runs: list[dict] = []
        while time.monotonic() < deadline and serve.poll() is None:
            runs = ingest_runs(store)
            if len(runs) >= 2:
                break
            time.sleep(1)
        if serve.poll() is not None:
            pytest.fail(f"kg serve exited with {serve.returncode}: {serve.communicate()[1]}")
        assert len(runs) >= 2, f"saw {len(runs)} scheduled runs in 240 s"
        # Prefect's runner is told to stop the way docker and systemd stop services.
        os.killpg(serve.pid, signal.SIGTERM)
        _, stderr = serve.communicate(timeout=60)
        assert serve.returncode == 0, stderr
        assert "kg serve: stopped" in stderr
        assert "Traceback" not in stderr
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
        first, second = ingest_runs(store)[:2]
        assert first["status"] == second["status"] == "completed"
        assert json.loads(first["counts"])["new"] == 2 and first["articles"] == 2
        assert json.loads(second["counts"]) == {
            "changed": 0,
            "new": 0,
            "rejected": 0,
            "removed": 0,
            "unchanged": 2,
        }
        # Flow and task results are not persisted: nothing accumulates run after run.
        assert not results.exists() or not any(results.iterdir())
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
        store.reset()
        store.close()


def test_serve_refuses_a_bad_schedule(run_kg) -> None:
    result = run_kg("serve", "--cron", "every tuesday", "seeds/", graph="badcron")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "kg: error: kg serve: not a valid cron expression: 'every tuesday'"
    )
    neither = run_kg("serve", "seeds/", graph="badcron")
    assert neither.returncode == 1
    assert "give exactly one of --cron and --interval" in neither.stderr
