"""Extraction overhead, measured side by side in one process on the same texts.

(a) bare spaCy: nlp.pipe over the raw texts, the same model, batch size and process count;
(b) the pipeline's transform: clean -> nlp.pipe + entity repair + relation patterns -> resolve.

Both pipelines are loaded once, before timing, and each is run `--repeat` times; the best run
counts. Writes bench/results_extract.json and prints a table.

    .venv/bin/python bench/bench_extract.py [--limit N] [--repeat 2] [--n-process 1]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

import spacy
from rich.console import Console
from rich.table import Table

from flows.extract import Extractor, load_nlp
from flows.ontology import load_ontology
from flows.read import clean, make_article
from flows.resolve import resolve
from flows.settings import REPO_ROOT, load_settings

CORPUS = REPO_ROOT.parent / "shared" / "data" / "bbc" / "articles.jsonl"


def load_corpus(limit: int | None) -> list[dict]:
    records = []
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            records.append(json.loads(line))
            if limit and len(records) >= limit:
                break
    return records


def bare(nlp, texts: list[str], batch_size: int, n_process: int) -> tuple[float, int]:
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
    return time.perf_counter() - started, tokens


def pipeline(extractor, ontology, records, batch_size: int, n_process: int) -> tuple[float, int]:
    started = time.perf_counter()
    articles = (make_article(r["id"], r["id"], r["text"], r["title"]) for r in records)
    cleaned = (clean(a, ontology.drop_lines) for a in articles)
    statements = 0
    for extraction in extractor.run(cleaned, batch_size=batch_size, n_process=n_process):
        statements += len(resolve(extraction, ontology).statements)
    return time.perf_counter() - started, statements


def main() -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="Use the first N articles.")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=settings.batch_size)
    parser.add_argument("--n-process", type=int, default=settings.n_process)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "results_extract.json")
    args = parser.parse_args()

    records = load_corpus(args.limit)
    texts = [r["text"] for r in records]
    ontology = load_ontology(settings.schema_dir)
    extractor = Extractor(load_nlp(settings.spacy_model), ontology)
    nlp = spacy.load(settings.spacy_model)  # the reference: the model exactly as shipped

    bare_runs, ours_runs = [], []
    tokens = statements = 0
    for _ in range(args.repeat):  # interleaved, so drift hits both alike
        seconds, tokens = bare(nlp, texts, args.batch_size, args.n_process)
        bare_runs.append(seconds)
        seconds, statements = pipeline(
            extractor, ontology, records, args.batch_size, args.n_process
        )
        ours_runs.append(seconds)
    bare_s, ours_s = min(bare_runs), min(ours_runs)
    result = {
        "corpus": str(CORPUS.relative_to(REPO_ROOT.parent)),
        "documents": len(records),
        "tokens": tokens,
        "batch_size": args.batch_size,
        "n_process": args.n_process,
        "model": extractor.provenance.model,
        "bare_nlp_pipe": {
            "seconds": round(bare_s, 2),
            "docs_per_s": round(len(records) / bare_s, 1),
            "tokens_per_s": round(tokens / bare_s),
        },
        "pipeline_transform": {
            "seconds": round(ours_s, 2),
            "docs_per_s": round(len(records) / ours_s, 1),
            "tokens_per_s": round(tokens / ours_s),
            "statements": statements,
        },
        "overhead_ratio": round(ours_s / bare_s, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    table = Table(title=f"Extraction on {len(records)} BBC articles ({tokens:,} tokens)")
    for column in ("stage", "seconds", "docs/s", "tokens/s"):
        table.add_column(column, justify="right")
    for name, key in (
        ("bare nlp.pipe", "bare_nlp_pipe"),
        ("clean+extract+resolve", "pipeline_transform"),
    ):
        row = result[key]
        table.add_row(
            name, f"{row['seconds']:.2f}", f"{row['docs_per_s']:.1f}", f"{row['tokens_per_s']:,}"
        )
    console = Console()
    console.print(table)
    console.print(
        f"overhead ratio {result['overhead_ratio']:.3f} (target <= 1.25); "
        f"peak RSS {result['peak_rss_mb']} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
