"""Memory: the peak of the `kg ingest` process tree and of the embedded store, on the
corpus and on four copies of it (new ids, so every copy is new work). Bounded memory
means the 4x run peaks about where the 1x run does.

    .venv/bin/python bench/bench_memory.py [--limit N] [--n-process K] [--out F]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from bench.harness import (
    IngestRun,
    Workspace,
    expect,
    rates,
    read_articles,
    run_alone,
    write_copies,
)

COLUMNS = ("tree_rss", "tree_pss", "store_rss", "total_rss", "max_process_rss")


def measure(
    ws: Workspace,
    corpus: Path,
    n_process: int,
    first: IngestRun | None = None,
    tokens: int | None = None,
) -> dict[str, Any]:
    """Peaks on 1x (`first`, when `make bench` has already run it) and on 4x `corpus`.
    `tokens`: of the corpus as bare spaCy counts them, for the 4x rate (else the flow's
    own count of the cleaned texts)."""
    docs = len(read_articles(corpus, ws.settings.max_bytes))
    if first is None:
        first = ws.ingest_once(corpus, "mem1x", n_process)
        expect(first, "new", docs)
    copies = write_copies(corpus, ws.work / "corpus4x.jsonl", 4)
    run4 = ws.ingest_once(copies, "mem4x", n_process)
    expect(run4, "new", 4 * docs)
    return {
        "1x": first.memory.as_mb(),
        "4x": {**run4.memory.as_mb(), "documents": 4 * docs},
        "4x_ingest": rates(run4.wall_s, 4 * docs, 4 * tokens if tokens else run4.summary["tokens"]),
        "growth_pct": {
            key: round(100 * (run4.memory_mb(key) / first.memory_mb(key) - 1), 1)
            for key in COLUMNS
            if first.memory_mb(key)
        },
    }


def print_memory(memory: dict[str, Any], console: Console) -> None:
    table = Table(title="Peak memory of kg ingest (MB)")
    for column in ("corpus", "tree RSS", "tree PSS", "store RSS", "tree+store", "max process"):
        table.add_column(column, justify="right")
    for label in ("1x", "4x"):
        if label in memory:
            m = memory[label]
            table.add_row(label, *(f"{m[f'{k}_mb']:,.0f}" for k in COLUMNS))
    if "growth_pct" in memory:
        g = memory["growth_pct"]
        table.add_row("growth %", *(f"{g[k]:+.1f}" if k in g else "-" for k in COLUMNS))
    console.print(table)


def main() -> int:
    def alone(ws: Workspace, corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
        ws.warm_up(corpus)
        return measure(ws, corpus, args.n_process)

    return run_alone(__doc__, alone, print_memory)


if __name__ == "__main__":
    sys.exit(main())
