"""Extraction overhead, measured side by side in one process on the same texts.

(a) bare spaCy: nlp.pipe over the raw texts, the model as shipped, one process;
(b) the pipeline's transform without relation extractors: clean -> nlp.pipe (with the
    fine-tuned recognizer and the place gazetteer) + entity repair -> resolve;
(c) the same with the configured relation extractors (trained model, patterns): (c) - (b)
    is what relation extraction costs.

Both pipelines are loaded once, before timing, and each is run `--repeat` times; the best run
counts. Writes bench/results_extract.json and prints a table.

    .venv/bin/python bench/bench_extract.py [--limit N] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import spacy
from rich.console import Console
from rich.table import Table

from flows.clean import clean
from flows.pool import ExtractConfig, build_extractor
from flows.read import make_article
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


def bare(nlp, texts: list[str], batch_size: int) -> tuple[float, int]:
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    return time.perf_counter() - started, tokens


def pipeline(extractor, ontology, records, batch_size: int) -> tuple[float, int]:
    started = time.perf_counter()
    articles = (make_article(r["id"], r["id"], r["text"], r["title"]) for r in records)
    cleaned = (clean(a, ontology.drop_lines) for a in articles)
    statements = 0
    for extraction in extractor.run(cleaned, batch_size=batch_size):
        statements += len(resolve(extraction, ontology).statements)
    return time.perf_counter() - started, statements


def main() -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="Use the first N articles.")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=settings.batch_size)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "results_extract.json")
    args = parser.parse_args()

    records = load_corpus(args.limit)
    texts = [r["text"] for r in records]
    config = ExtractConfig.of(settings)
    without, ontology = build_extractor(replace(config, relation_extractors=()))
    extractor, _ = build_extractor(config)
    nlp = spacy.load(settings.spacy_model)  # the reference: the model exactly as shipped

    runs: dict[str, list[float]] = {"bare": [], "entities": [], "relations": []}
    tokens = statements = 0
    for _ in range(args.repeat):  # interleaved, so drift hits all alike
        seconds, tokens = bare(nlp, texts, args.batch_size)
        runs["bare"].append(seconds)
        seconds, _ = pipeline(without, ontology, records, args.batch_size)
        runs["entities"].append(seconds)
        seconds, statements = pipeline(extractor, ontology, records, args.batch_size)
        runs["relations"].append(seconds)
    bare_s, entities_s, ours_s = (min(runs[k]) for k in ("bare", "entities", "relations"))

    def rates(seconds: float) -> dict[str, float]:
        return {
            "seconds": round(seconds, 2),
            "docs_per_s": round(len(records) / seconds, 1),
            "tokens_per_s": round(tokens / seconds),
        }

    result = {
        "corpus": str(CORPUS.relative_to(REPO_ROOT.parent)),
        "documents": len(records),
        "tokens": tokens,
        "batch_size": args.batch_size,
        "n_process": 1,
        "model": f"{extractor.provenance.model} {extractor.provenance.model_version}",
        "extractors": extractor.provenance.extractors,
        "bare_nlp_pipe": rates(bare_s),
        "transform_without_relations": rates(entities_s),
        "pipeline_transform": {**rates(ours_s), "statements": statements},
        "relations_add_seconds": round(ours_s - entities_s, 2),
        "relations_add_ratio": round((ours_s - entities_s) / bare_s, 3),
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
        ("transform, no relations", "transform_without_relations"),
        ("transform, with relations", "pipeline_transform"),
    ):
        row = result[key]
        table.add_row(
            name, f"{row['seconds']:.2f}", f"{row['docs_per_s']:.1f}", f"{row['tokens_per_s']:,}"
        )
    console = Console()
    console.print(table)
    console.print(
        f"overhead ratio {result['overhead_ratio']:.3f}; relation extraction adds "
        f"{result['relations_add_seconds']:.2f} s ({result['relations_add_ratio']:.1%} of bare); "
        f"{statements} statements; peak RSS {result['peak_rss_mb']} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
