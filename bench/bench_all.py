"""`make bench`: every part of bench/ side by side in one run on this machine, written
to bench/results.json.

- bench_ingest.py: (a) bare nlp.pipe, (b) first `kg ingest` (the median of --pairs, each
  between two bare runs), (c) unchanged re-ingest;
- bench_store.py: (d) the load stage against raw UNWIND ... MERGE;
- bench_memory.py: peak memory on 1x (from (b)) and 4x the corpus;
- bench_scaling.py (with --scaling): 1 vs 2 processes, and Prefect's process pool.

Each part can also run alone; here they share what they measure ((b) is the 1x memory
run and one of the scaling runs).

    .venv/bin/python bench/bench_all.py [--limit N] [--pairs 3] [--n-process K] [--batch-size B]
        [--skip-4x] [--scaling [--scaling-limit N]] [--load-articles 300] [--load-repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_ingest, bench_memory, bench_scaling, bench_store
from bench.harness import CORPUS, machine, stop_store, workspace, write_subset
from flows.ontology import load_ontology
from flows.settings import REPO_ROOT, load_settings

TARGETS = {
    "reingest_over_first_max": 0.05,
    "load_over_raw_min": 0.5,
    "two_processes_speedup_min": 1.6,
}


def main() -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="Use the first N articles.")
    parser.add_argument("--n-process", type=int, default=settings.n_process)
    parser.add_argument(
        "--pairs",
        type=int,
        default=bench_ingest.PAIRS,
        help="First ingests, each between bare runs.",
    )
    parser.add_argument("--batch-size", type=int, default=settings.batch_size)
    parser.add_argument("--skip-4x", action="store_true", help="Skip the 4x-corpus memory run.")
    parser.add_argument("--scaling", action="store_true", help="Also compare 1 and 2 processes.")
    parser.add_argument(
        "--scaling-limit", type=int, default=None, help="Scale on the first N articles only."
    )
    parser.add_argument(
        "--load-articles", type=int, default=300, help="Articles for the store write rate (d)."
    )
    parser.add_argument("--load-repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "results.json")
    args = parser.parse_args()

    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    with workspace(settings, args.batch_size) as ws:
        ingest = bench_ingest.measure(ws, args.corpus, args.limit, args.n_process, args.pairs)
        result: dict[str, Any] = dict(ingest.result)

        subset = ingest.articles[: args.load_articles]
        ws.console.log(f"(d) extracting {len(subset)} articles for the load stage")
        ontology = load_ontology(settings.schema_dir)
        graphs = bench_store.article_graphs(subset, settings, ontology, args.n_process)
        ws.console.log("(d) load stage vs raw MERGE")
        data_dir = ws.data_dir("store")
        try:
            store_settings = settings.model_copy(update={"data_dir": data_dir})
            result["store_write_rate"] = bench_store.store_write_rate(
                graphs, store_settings, ontology, args.load_repeat
            )
        finally:
            stop_store(data_dir)

        if args.skip_4x:
            result["memory"] = {"1x": ingest.first.memory.as_mb()}
        else:
            result["memory"] = bench_memory.measure(
                ws, ingest.corpus, args.n_process, first=ingest.first, tokens=ingest.tokens
            )

        if args.scaling:
            corpus, measured = (
                ingest.corpus,
                {args.n_process: (ingest.bare_seconds, ingest.tokens, ingest.first)},
            )
            if args.scaling_limit:
                corpus = write_subset(corpus, ws.work / "scaling.jsonl", args.scaling_limit)
                measured = {}
            result["scaling"] = bench_scaling.measure(ws, corpus, ingest.nlp, measured)

        result["targets"] = TARGETS
        result["machine"] = {
            **machine(settings, load_before, started_at),
            "model_version": ingest.nlp.meta.get("version"),
            "warmup_ingest_seconds": round(ingest.warmup_seconds, 2),
        }
        args.out.write_text(json.dumps(result, indent=2) + "\n")
        bench_ingest.print_ingest(result, ws.console)
        bench_store.print_store(result["store_write_rate"], ws.console)
        bench_memory.print_memory(result["memory"], ws.console)
        if "scaling" in result:
            bench_scaling.print_scaling(result["scaling"], ws.console)
        busy = result["machine"]["loadavg_before"][0]
        if busy > 0.5:
            # Other jobs share the cores: every rate above, and scaling most, is understated.
            ws.console.print(f"note: load average {busy} before the run; the machine was busy")
        ws.console.print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
