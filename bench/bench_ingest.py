"""Extraction against bare spaCy, end to end: `kg ingest` as a user runs it against bare
`nlp.pipe` over the same texts, side by side in one run.

(a) bare spaCy: nlp.pipe over the article texts, the shipped model, the pipeline's batch
    size and process count;
(b) first ingest: `kg ingest <jsonl>` as a whole subprocess into a fresh data dir (the
    start of its local Prefect API, of the embedded store and of the worker processes
    included);
(c) unchanged re-ingest of the same corpus into the same data dir (whose store and
    Prefect API the first run left running, as for any user);
(d) bare spaCy again, after each (b).

This machine's speed drifts by a tenth or more over minutes (the same code's first ingest
took 103 s and 113 s in two sittings; one bare run took 73 s and, in another sitting, 86 s),
so one pair does not decide a ratio near its line. (b) is run `--pairs` times, each into a
new data dir, each between two bare runs: a, b1, d1, b2, d2, ... Each first ingest is
compared with the mean of the bare runs either side of it, and the ratio reported is the
median of those; the bare runs' spread says how far the machine drifted.

    .venv/bin/python bench/bench_ingest.py [--limit N] [--pairs 3] [--n-process K]
        [--batch-size B] [--out F]
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
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
    machine,
    rates,
    read_articles,
    run_alone,
    shown_path,
    stop_store,
    write_subset,
)
from flows.model import Article


@dataclass
class IngestFigures:
    """(a)-(c), and what the other parts of `make bench` reuse from them."""

    result: dict[str, Any]
    corpus: Path  # the corpus as measured (a subset with --limit)
    articles: list[Article]
    nlp: Any  # the reference pipeline, loaded once
    bare_seconds: float
    tokens: int
    first: IngestRun
    warmup_seconds: float


PAIRS = 3  # first ingests, each between two bare runs; the median ratio is reported


def measure(
    ws: Workspace, corpus: Path, limit: int | None, n_process: int, pairs: int = PAIRS
) -> IngestFigures:
    settings = ws.settings
    measured = write_subset(corpus, ws.work / "corpus.jsonl", limit) if limit else corpus
    articles = read_articles(measured, settings.max_bytes)
    texts = [a.text for a in articles]
    docs = len(articles)

    nlp = spacy.load(settings.spacy_model)  # the reference: the model exactly as shipped
    nlp("Warm-up.")  # lazy initialisation out of the timing
    ws.console.log(f"(a) bare nlp.pipe over {docs} texts")
    bare_s, tokens = bare_pipe(nlp, texts, ws.batch_size, n_process)
    bares = [bare_s]

    warmup_s = ws.warm_up(corpus)
    firsts: list[tuple[float, IngestRun, Path]] = []
    for pair in range(1, pairs + 1):
        data_dir = ws.data_dir(f"data{pair}")
        first = ws.ingest(measured, data_dir, n_process)
        expect(first, "new", docs)
        if pair < pairs:
            stop_store(data_dir)
        ws.console.log(f"(d) bare nlp.pipe over {docs} texts, after ingest {pair} of {pairs}")
        bares.append(bare_pipe(nlp, texts, ws.batch_size, n_process)[0])
        bracket_s = (bares[-2] + bares[-1]) / 2
        firsts.append((bracket_s / first.wall_s, first, data_dir))
    try:
        again = ws.ingest(measured, firsts[-1][2], n_process)
        expect(again, "unchanged", docs)
    finally:
        stop_store(firsts[-1][2])

    # The median pair stands for the code (of an even count, the lower of the middle two):
    # its run is (b), and its bare runs (a) and (d).
    order = sorted(range(pairs), key=lambda i: firsts[i][0])
    median = order[(pairs - 1) // 2]
    ratio, first, _ = firsts[median]
    before, after = bares[median], bares[median + 1]
    result: dict[str, Any] = {
        "corpus": shown_path(corpus),
        "limit": limit,
        "documents": docs,
        "tokens": tokens,
        "tokens_note": "spaCy tokens of the raw article texts, shipped model (as in (a))",
        "n_process": n_process,
        "batch_size": ws.batch_size,
        "pairs": pairs,
        "bare_nlp_pipe": rates(before, docs, tokens),
        "bare_nlp_pipe_after": rates(after, docs, tokens),
        "bare_drift": round(after / before - 1, 3),
        "bare_runs_seconds": [round(s, 2) for s in bares],
        "first_ingest": ingest_result(first, docs, tokens),
        "first_ingest_runs": [
            {"seconds": round(run.wall_s, 2), "ratio_to_bracketing_bare": round(r, 3)}
            for r, run, _ in firsts
        ],
        "reingest_unchanged": ingest_result(again, docs, tokens),
    }
    result["first_ingest"]["ratio_to_bare"] = round(before / first.wall_s, 3)
    result["first_ingest"]["ratio_to_bracketing_bare"] = round(ratio, 3)
    result["first_ingest"]["ratio_median_of_pairs"] = round(ratio, 3)
    result["reingest_unchanged"]["ratio_to_first"] = round(again.wall_s / first.wall_s, 4)
    return IngestFigures(result, measured, articles, nlp, before, tokens, first, warmup_s)


def print_ingest(result: dict[str, Any], console: Console) -> None:
    docs, tokens = result["documents"], result["tokens"]
    table = Table(
        title=f"Ingest on {docs:,} BBC articles ({tokens:,} tokens), "
        f"n_process {result['n_process']}, batch {result['batch_size']}"
    )
    for column in ("stage", "seconds", "docs/s", "tokens/s", "ratio", "peak RSS MB"):
        table.add_column(column, justify="right")
    bare, first, again = (
        result["bare_nlp_pipe"],
        result["first_ingest"],
        result["reingest_unchanged"],
    )
    table.add_row(
        "(a) bare nlp.pipe",
        f"{bare['seconds']:.2f}",
        f"{bare['docs_per_s']:.2f}",
        f"{bare['tokens_per_s']:,}",
        "",
        "",
    )
    after = result["bare_nlp_pipe_after"]
    for name, row, ratio in (
        (
            "(b) kg ingest, first",
            first,
            f"{first['ratio_to_bare']:.3f} of (a), "
            f"{first['ratio_to_bracketing_bare']:.3f} of (a)+(d)"
            + (f", the median of {result['pairs']}" if result.get("pairs", 1) > 1 else ""),
        ),
        ("(c) kg ingest, unchanged", again, f"{again['ratio_to_first']:.2%} of (b)"),
    ):
        mem = row["memory"]
        table.add_row(
            name,
            f"{row['seconds']:.2f}",
            f"{row['docs_per_s']:.2f}",
            f"{row['tokens_per_s']:,}",
            ratio,
            f"{mem['tree_rss_mb']:,.0f} + store {mem['store_rss_mb']:,.0f}",
        )
    table.add_row(
        "(d) bare nlp.pipe, after",
        f"{after['seconds']:.2f}",
        f"{after['docs_per_s']:.2f}",
        f"{after['tokens_per_s']:,}",
        f"{result['bare_drift']:+.1%} time against (a)",
        "",
    )
    console.print(table)
    runs = result.get("first_ingest_runs", [])
    if len(runs) > 1:
        console.print(
            "(b) each first ingest against the bare runs either side of it: "
            + ", ".join(
                f"{run['seconds']:.1f} s ({run['ratio_to_bracketing_bare']:.3f})" for run in runs
            )
            + f"; bare runs: {', '.join(f'{s:.1f}' for s in result['bare_runs_seconds'])} s"
        )
    console.print(
        f"(b) start-up (wall - pipeline): {first['startup_seconds']:.2f} s; "
        f"(c) start-up: {again['startup_seconds']:.2f} s (target (c) <= 5% of (b))"
    )


def main() -> int:
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()

    def alone(ws: Workspace, corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
        # The whole corpus and --limit, so that the result records the limit.
        figures = measure(ws, args.corpus, args.limit, args.n_process, args.pairs)
        return {**figures.result, "machine": machine(ws.settings, load_before, started_at)}

    def pairs_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--pairs", type=int, default=PAIRS, help="First ingests, each between bare runs."
        )

    return run_alone(__doc__, alone, print_ingest, pairs_option)


if __name__ == "__main__":
    sys.exit(main())
