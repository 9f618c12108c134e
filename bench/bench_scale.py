"""The embedded store at scale: 10x the BBC corpus ingested by `kg ingest`, slice by slice.

Copy k of the corpus (k = 0..9) gives every article a new id and a suffix on its text
(harness.write_copies), so each is a new article with the same entities: the graph
grows by one corpus of articles, mentions and statements per slice while its entities
are merged. Every figure comes from the product as users run it, in one run:

- first-ingest throughput (docs/s, from the command's wall time) and peak memory of each
  slice, as the graph grows from 1x to 10x;
- the store's size on disk;
- time to the first answer (`kg stats`) after `kg stop`, and after `kill -9` of the store;
- nodes that a label match finds without the label, after each slice (none on a sound
  graph);
- a no-op re-ingest of all 10 slices;
- p50 and p95 latency of every saved question (schema/queries.cypher) on the 10x graph,
  each run with a time limit, so a question that does not scale says so and stops.

    .venv/bin/python bench/bench_scale.py [--copies 10] [--limit N] [--repeat 10]

Writes bench/results_scale.json. It takes about 22 minutes on 2 cores (2026-12-04): it is not part
of `make test` (`make bench-scale`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    CORPUS,
    KG,
    MB,
    expect,
    kg_env,
    kg_ingest,
    stop_store,
    write_copies,
    write_subset,
)
from flows.queries import labels_not_carried
from flows.settings import REPO_ROOT, load_settings
from flows.store.falkordb_store import FalkorStore
from flows.user_cypher import saved_queries

QUERY_TIMEOUT_MS = 10_000
RESULTS = REPO_ROOT / "bench" / "results_scale.json"


def disk_bytes(root: Path) -> dict[str, int]:
    """Bytes on disk under each top-level entry of the data dir."""
    sizes: dict[str, int] = {}
    for entry in sorted(root.iterdir()):
        files = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        sizes[entry.name] = sum(p.stat().st_size for p in files if not p.is_socket())
    return sizes


def timed_kg(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(KG), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: kg {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return seconds, done.stdout


def kill_store(data_dir: Path) -> None:
    """kill -9 the embedded server, and wait until it is gone."""
    pid = int((data_dir / "falkordb.pid").read_text().strip())
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid):
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return "zombie"


def labels_not_carried_in(data_dir: Path) -> dict[str, int]:
    """Nodes a label match finds without the label (flows/cypher.py, RETRACT_STATEMENTS)."""
    settings = load_settings(data_dir=data_dir)
    store = FalkorStore(settings)
    try:
        return labels_not_carried(store)
    finally:
        store.close()


def question_latency(data_dir: Path, repeat: int) -> dict[str, Any]:
    """p50/p95 milliseconds of each saved question, run `repeat` times each; a question
    over the time limit is run once and reported as such."""
    settings = load_settings(data_dir=data_dir)
    store = FalkorStore(settings)
    out: dict[str, Any] = {}
    try:
        for saved in saved_queries(settings.schema_dir / "queries.cypher"):
            times, rows = [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                try:
                    result = store.graph.ro_query(saved.cypher, timeout=QUERY_TIMEOUT_MS)
                except redis.ResponseError as exc:
                    out[saved.name] = {
                        "error": str(exc).splitlines()[0],
                        "limit_ms": QUERY_TIMEOUT_MS,
                    }
                    break
                times.append((time.perf_counter() - started) * 1000)
                rows = len(result.result_set)
            else:
                ordered = sorted(times)
                out[saved.name] = {
                    "rows": rows,
                    "p50_ms": round(statistics.median(ordered), 1),
                    "p95_ms": round(
                        ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1
                    ),
                    "runs": len(ordered),
                }
    finally:
        store.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--limit", type=int, default=0, help="articles per copy (0: all)")
    parser.add_argument("--repeat", type=int, default=10, help="runs of each saved question")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="kg-bench-scale-") as tmp:
        work = Path(tmp)
        base = CORPUS
        if args.limit:
            base = write_subset(CORPUS, work / "subset.jsonl", args.limit)
        docs = sum(1 for line in base.open(encoding="utf-8") if line.strip())
        everything = write_copies(base, work / "all.jsonl", args.copies)
        lines = everything.read_text(encoding="utf-8").splitlines(keepends=True)
        slices = []
        for k in range(args.copies):
            path = work / f"slice{k}.jsonl"
            path.write_text("".join(lines[k * docs : (k + 1) * docs]), encoding="utf-8")
            slices.append(path)
        data_dir = work / "data"
        env = kg_env(
            work / "prefect", settings.n_process, settings.batch_size, settings.spacy_model
        )
        result: dict[str, Any] = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "articles_per_slice": docs,
            "slices": [],
        }
        try:
            for k, path in enumerate(slices):
                run = kg_ingest(path, data_dir, env, work)
                expect(run, "new", docs)
                row = {
                    "slice": k + 1,
                    "articles_in_graph": (k + 1) * docs,
                    "seconds": round(run.wall_s, 2),
                    "docs_per_s": round(docs / run.wall_s, 2),
                    "memory": run.memory.as_mb(),
                    "graph": run.summary["graph"],
                    "labels_not_carried": labels_not_carried_in(data_dir),
                }
                result["slices"].append(row)
                peak = row["memory"]["total_rss_mb"]
                line = f"slice {k + 1}/{args.copies}: {row['docs_per_s']} docs/s, peak {peak} MB"
                print(line, file=sys.stderr, flush=True)
            first, last = result["slices"][0], result["slices"][-1]
            result["memory_growth"] = {
                key: round(last["memory"][key] / first["memory"][key], 3)
                for key in ("tree_rss_mb", "tree_pss_mb", "store_rss_mb", "total_rss_mb")
                if first["memory"][key]
            }
            result["throughput_last_over_first"] = round(
                last["docs_per_s"] / first["docs_per_s"], 3
            )
            noop = kg_ingest(everything, data_dir, env, work)
            expect(noop, "unchanged", docs * args.copies)
            result["noop_reingest_s"] = round(noop.wall_s, 2)
            result["noop_over_first_ingest"] = round(
                noop.wall_s / sum(s["seconds"] for s in result["slices"]), 4
            )
            result["latency"] = question_latency(data_dir, args.repeat)
            result["disk_bytes"] = disk_bytes(data_dir)
            stats = ["stats", "--data-dir", str(data_dir), "--json"]
            timed_kg(["stop", "--data-dir", str(data_dir)], env, work)
            result["first_answer_after_stop_s"] = round(timed_kg(stats, env, work)[0], 2)
            kill_store(data_dir)
            result["first_answer_after_kill_9_s"] = round(timed_kg(stats, env, work)[0], 2)
        finally:
            stop_store(data_dir)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "slices"}, indent=2))
    print(f"wrote {args.out} ({sum(result['disk_bytes'].values()) / MB:.1f} MB on disk)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
