"""Neo4j against the embedded store, side by side in one run on this machine.

(1) store write rate into a local Neo4j 5 (tools/neo4j_local.py): the load stage against a
    raw batched UNWIND ... MERGE of the same rows, as bench_store.py measures it for the
    embedded store (measured here too, in the same run), with the driver's Rust codec
    (neo4j-rust-ext) and without it (a subprocess that hides the extension);
(2) a full-corpus `kg ingest` into Neo4j against the same into the embedded store, each
    into an empty store; the two stable exports must be equal.

Writes bench/results_neo4j.json.

    .venv/bin/python bench/bench_neo4j.py [--limit N] [--load-articles 300] [--skip-ingest]
"""

from __future__ import annotations

import os
import sys

if os.environ.get("KG_BENCH_PURE_DRIVER") == "1":
    # The driver imports its Rust codec if it can: a None entry makes that import fail,
    # so this process measures the pure-Python driver, the extension still installed.
    sys.modules["neo4j._rust"] = None  # type: ignore[assignment]

import argparse
import importlib.metadata
import json
import secrets
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_store import article_graphs, store_write_rate
from bench.harness import CORPUS, kg_env, kg_ingest, read_articles, stop_store, write_subset
from flows.export import export_records
from flows.ontology import load_ontology
from flows.settings import REPO_ROOT, Settings, load_settings
from flows.store import open_store
from tools import neo4j_local

OUT = REPO_ROOT / "bench" / "results_neo4j.json"


def rust_codec_loaded() -> bool:
    from neo4j._codec.packstream import v1

    return v1._rust_pack is not None


def neo4j_settings(base: Settings, uri: str, password: str) -> Settings:
    return load_settings(
        data_dir=base.data_dir, neo4j_uri=uri, neo4j_password=password, graph_name="kg"
    )


def write_rates(args: argparse.Namespace, uri: str, password: str, work: Path) -> dict[str, Any]:
    """(1) in this process: the embedded store and Neo4j, on the same extracted rows."""
    settings = load_settings(data_dir=work / "write-rate")
    ontology = load_ontology(settings.schema_dir)
    corpus = write_subset(args.corpus, work / "load.jsonl", args.load_articles)
    graphs = article_graphs(read_articles(corpus, settings.max_bytes), settings, ontology, 1)
    result: dict[str, Any] = {"rust_codec": rust_codec_loaded()}
    neo4j = neo4j_settings(settings, uri, password)
    # Untimed: Neo4j compiles its query plans and the JVM its code on first use; one
    # whole pass of both arms first, so that neither driver arm measures a cold server.
    store_write_rate(graphs, neo4j, ontology, 2)
    result["neo4j"] = store_write_rate(graphs, neo4j, ontology, args.load_repeat)
    if not args.neo4j_only:
        try:
            result["embedded"] = store_write_rate(graphs, settings, ontology, args.load_repeat)
        finally:
            stop_store(settings.data_dir)
    return result


def full_ingest(args: argparse.Namespace, uri: str, password: str, work: Path) -> dict[str, Any]:
    """(2) `kg ingest` of the corpus into each store, both starting empty."""
    corpus = args.corpus
    if args.limit:
        corpus = write_subset(args.corpus, work / "corpus.jsonl", args.limit)
    n_process = len(os.sched_getaffinity(0))
    env = kg_env(work / "prefect-home", n_process, 32, load_settings().spacy_model)
    runs: dict[str, Any] = {}
    exports = {}
    for kind in ("embedded", "neo4j"):
        data_dir = work / f"ingest-{kind}"
        data_dir.mkdir()
        run_env = dict(env)
        settings = load_settings(data_dir=data_dir)
        if kind == "neo4j":
            run_env |= {"NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": password}
            settings = neo4j_settings(settings, uri, password)
            store = open_store(settings)
            store.reset()
            store.close()
        try:
            run = kg_ingest(corpus, data_dir, run_env, work)
            store = open_store(settings)
            try:
                exports[kind] = export_records(store, stable=True)
            finally:
                store.close()
        finally:
            stop_store(data_dir)
        docs = run.summary["articles"]["new"]
        runs[kind] = {
            "documents": docs,
            "seconds": round(run.wall_s, 2),
            "docs_per_s": round(docs / run.wall_s, 2),
            "max_process_rss_mb": round(run.memory.max_process_rss / 2**20, 1),
        }
    runs["neo4j_over_embedded"] = round(
        runs["neo4j"]["docs_per_s"] / runs["embedded"]["docs_per_s"], 3
    )
    runs["same_graph"] = exports["embedded"] == exports["neo4j"]
    runs["records"] = len(exports["embedded"])
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="Ingest the first N articles.")
    parser.add_argument("--load-articles", type=int, default=300)
    parser.add_argument("--load-repeat", type=int, default=3)
    parser.add_argument("--skip-ingest", action="store_true", help="Only the write rates.")
    parser.add_argument("--out", type=Path, default=OUT)
    # Internal: the pure-driver arm, run as a subprocess against the running server.
    parser.add_argument("--neo4j-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--uri", help=argparse.SUPPRESS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kg-bench-neo4j-") as tmp:
        work = Path(tmp)
        if args.neo4j_only:  # the subprocess: password from the environment only
            rates = write_rates(args, args.uri, os.environ["NEO4J_PASSWORD"], work)
            print(json.dumps(rates))
            return 0
        password = f"kg-bench-{secrets.token_hex(8)}"
        server_dir = work / "neo4j"
        server = neo4j_local.start(
            server_dir, neo4j_local.free_port(), neo4j_local.free_port(), password=password
        )
        try:
            print(f"bench: Neo4j at {server.bolt_uri}", file=sys.stderr)
            rates = write_rates(args, server.bolt_uri, password, work)
            pure_arm = [sys.executable, __file__, "--neo4j-only", "--uri", server.bolt_uri]
            pure_arm += ["--load-articles", str(args.load_articles), "--corpus", str(args.corpus)]
            pure_arm += ["--load-repeat", str(args.load_repeat)]
            pure = subprocess.run(
                pure_arm,
                env={**os.environ, "KG_BENCH_PURE_DRIVER": "1", "NEO4J_PASSWORD": password},
                capture_output=True,
                text=True,
                check=True,
            )
            rates["neo4j_pure_python_driver"] = json.loads(pure.stdout.splitlines()[-1])["neo4j"]
            result: dict[str, Any] = {"store_write_rate": rates}
            if not args.skip_ingest:
                result["full_ingest"] = full_ingest(args, server.bolt_uri, password, work)
        finally:
            neo4j_local.stop(server_dir)
    result["machine"] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "neo4j_harness": "5.26.16",
        "neo4j_driver": importlib.metadata.version("neo4j"),
        "neo4j_rust_ext": importlib.metadata.version("neo4j-rust-ext"),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rate = result["store_write_rate"]
    print(
        "load stage / raw MERGE: neo4j {:.1%} (rust codec), {:.1%} (pure driver); "
        "embedded {:.1%}".format(
            rate["neo4j"]["ratio"],
            rate["neo4j_pure_python_driver"]["ratio"],
            rate["embedded"]["ratio"],
        )
    )
    if "full_ingest" in result:
        full = result["full_ingest"]
        print(
            f"full ingest: neo4j {full['neo4j']['docs_per_s']} docs/s, embedded "
            f"{full['embedded']['docs_per_s']} docs/s ({full['neo4j_over_embedded']}x); "
            f"same graph: {full['same_graph']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
