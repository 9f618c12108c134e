"""Scaling: 1 against 2 processes, for bare `nlp.pipe` and for `kg ingest`, and the
other way to use both cores: extraction chunks as Prefect tasks on a process pool
(KG_TASK_RUNNER=processes). Target: 2 processes >= 1.6x of 1.

    .venv/bin/python bench/bench_scaling.py [--limit N] [--out F]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spacy
from rich.console import Console
from rich.table import Table

from bench.harness import (
    IngestRun,
    Workspace,
    bare_pipe,
    expect,
    ingest_result,
    rates,
    read_articles,
    run_alone,
)


def measure(
    ws: Workspace,
    corpus: Path,
    nlp: Any,
    measured: dict[int, tuple[float, int, IngestRun]] | None = None,
) -> dict[str, Any]:
    """`measured`: (a) seconds, tokens and (b) run already taken on this corpus, by
    process count (`make bench` has one of them); they are reused."""
    measured = measured or {}
    texts = [a.text for a in read_articles(corpus, ws.settings.max_bytes)]
    result: dict[str, Any] = {"documents": len(texts)}
    for n in (1, 2):
        if n in measured:
            seconds, tokens, run = measured[n]
        else:
            ws.console.log(f"scaling: nlp.pipe, n_process={n}")
            seconds, tokens = bare_pipe(nlp, texts, ws.batch_size, n)
            run = ws.ingest_once(corpus, f"scale{n}", n)
        expect(run, "new", len(texts))
        result[f"n_process_{n}"] = {
            "bare_nlp_pipe": rates(seconds, len(texts), tokens),
            "kg_ingest": ingest_result(run, len(texts), tokens),
        }
    # Extraction chunks as Prefect tasks on a process pool, each worker extracting and
    # resolving (not just parsing).
    pooled = ws.ingest_once(corpus, "scale2pool", 2, task_runner="processes")
    expect(pooled, "new", len(texts))
    result["n_process_2_process_pool"] = {"kg_ingest": ingest_result(pooled, len(texts), tokens)}
    one, two = result["n_process_1"], result["n_process_2"]
    pool_rate = result["n_process_2_process_pool"]["kg_ingest"]["docs_per_s"]
    result["speedup_ingest_process_pool"] = round(pool_rate / one["kg_ingest"]["docs_per_s"], 3)
    result["tokens"] = tokens
    result["speedup_bare"] = round(
        two["bare_nlp_pipe"]["docs_per_s"] / one["bare_nlp_pipe"]["docs_per_s"], 3
    )
    result["speedup_ingest_wall"] = round(
        two["kg_ingest"]["docs_per_s"] / one["kg_ingest"]["docs_per_s"], 3
    )
    # Without start-up, which does not shrink with more processes.
    result["speedup_ingest_flow"] = round(
        one["kg_ingest"]["flow_seconds"]["pipeline"] / two["kg_ingest"]["flow_seconds"]["pipeline"],
        3,
    )
    return result


def print_scaling(scaling: dict[str, Any], console: Console) -> None:
    table = Table(title=f"Scaling on {scaling['documents']} articles (docs/s)")
    for column in ("n_process", "bare nlp.pipe", "kg ingest (wall)", "kg ingest flow s"):
        table.add_column(column, justify="right")
    for n in (1, 2):
        row = scaling[f"n_process_{n}"]
        table.add_row(
            str(n),
            f"{row['bare_nlp_pipe']['docs_per_s']:.2f}",
            f"{row['kg_ingest']['docs_per_s']:.2f}",
            f"{row['kg_ingest']['flow_seconds']['pipeline']:.2f}",
        )
    pool = scaling["n_process_2_process_pool"]["kg_ingest"]
    table.add_row(
        "2, Prefect ProcessPoolTaskRunner",
        "",
        f"{pool['docs_per_s']:.2f}",
        f"{pool['flow_seconds']['pipeline']:.2f}",
    )
    table.add_row(
        "2 vs 1",
        f"{scaling['speedup_bare']:.2f}x",
        f"{scaling['speedup_ingest_wall']:.2f}x",
        f"{scaling['speedup_ingest_flow']:.2f}x",
    )
    console.print(table)
    console.print(
        f"Prefect ProcessPoolTaskRunner vs 1 process (wall): "
        f"{scaling['speedup_ingest_process_pool']:.2f}x; "
        "target: 2 processes >= 1.6x of 1 process"
    )


def main() -> int:
    def alone(ws: Workspace, corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
        nlp = spacy.load(ws.settings.spacy_model)
        nlp("Warm-up.")
        ws.warm_up(corpus)
        return measure(ws, corpus, nlp)

    return run_alone(__doc__, alone, print_scaling)


if __name__ == "__main__":
    sys.exit(main())
