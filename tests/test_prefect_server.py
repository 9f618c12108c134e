"""The Prefect API `kg ingest` starts for itself when no PREFECT_API_URL is set: it
answers, it serves a real flow run, and it never outlives the command."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from flows.prefect_server import TemporaryPrefectApi
from flows.settings import REPO_ROOT
from tests.conftest import KG, SHARED


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not alive(pid)


def api_children(parent: int) -> list[int]:
    """Temporary Prefect APIs started by process `parent`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            ppid = int((proc / "stat").read_text().split(") ")[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"prefect.server.api.server:create_app" in cmdline:
            found.append(int(proc.name))
    return found


def own_env(tmp_path: Path, data_dir: Path, graph: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {
        **env,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "KG_DATA_DIR": str(data_dir),
        "KG_GRAPH": graph,
        "CI": "true",
    }


def test_temporary_api_answers_then_stops_with_the_block() -> None:
    with TemporaryPrefectApi() as api:
        url = api.url()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/health", timeout=5).json() is True
        pid = api.pid
        assert pid is not None and alive(pid)
    assert wait_gone(pid, 10), "the temporary API outlived its block"


def test_kg_ingest_runs_on_its_own_api_and_leaves_none_behind(
    data_dir: Path, tmp_path: Path
) -> None:
    env = own_env(tmp_path, data_dir, "own-api")
    done = subprocess.run(
        [str(KG), "ingest", "seeds/"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "new articles" in done.stdout
    assert "Traceback" not in done.stderr
    # Its database is Prefect's usual one, under PREFECT_HOME: the run is recorded there.
    assert (tmp_path / "prefect-home" / "prefect.db").exists()
    assert api_children(os.getpid()) == []


def test_a_killed_kg_ingest_takes_its_api_with_it(data_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "articles.jsonl"
    with (SHARED / "data" / "bbc" / "articles.jsonl").open(encoding="utf-8") as source:
        corpus.write_text("".join(line for _, line in zip(range(200), source, strict=False)))
    env = own_env(tmp_path, data_dir, "killed-api")
    ingest = subprocess.Popen(
        [str(KG), "ingest", str(corpus)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        children: list[int] = []
        while not children and time.monotonic() < deadline and ingest.poll() is None:
            children = api_children(ingest.pid)
            time.sleep(0.1)
        assert children, "kg ingest started no temporary API"
        os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait()
        assert wait_gone(children[0], 15), "the temporary API outlived a killed kg ingest"
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait()
