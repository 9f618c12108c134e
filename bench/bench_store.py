"""Store writes: the load stage against a raw batched UNWIND ... MERGE of the same rows
(bench/raw_cypher.py), on fresh graphs of one embedded server, interleaved, best of N.

    .venv/bin/python bench/bench_store.py [--load-articles 300] [--load-repeat 3] [--out F]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from bench import raw_cypher
from bench.harness import Workspace, read_articles, run_alone, stop_store, write_subset
from flows import cypher
from flows.across_articles import across
from flows.backends import local_backend
from flows.clean import clean
from flows.flow import LOAD_BATCH
from flows.load import entity_rows_of, load_articles, statement_rows_of
from flows.model import Article, ArticleGraph
from flows.ontology import Ontology, load_ontology
from flows.pool import CHUNK, ExtractConfig, batched
from flows.settings import Settings
from flows.store import GraphStore, open_store

# Rows per UNWIND in the raw reference: a typical bulk-loader batch.
RAW_BATCH = 1000
ROWS_DEFINITION = (
    "per article: 1 Article row + 1 row per resolved entity (the Entity MERGE and its "
    "MENTIONED_IN edge) + 1 row per Statement (the node, its SUBJECT, OBJECT and "
    "EXTRACTED_FROM edges and the typed relationship it supports)"
)
GRAPH_COUNTS = {
    "articles": "MATCH (a:Article) RETURN count(a) AS n",
    "entities": "MATCH (e:Entity) RETURN count(e) AS n",
    "statements": "MATCH (s:Statement) RETURN count(s) AS n",
    "relationships": "MATCH ()-[r]->() RETURN count(r) AS n",
}


def article_graphs(
    articles: list[Article], settings: Settings, ontology: Ontology, n_process: int
) -> list[ArticleGraph]:
    """What the load stage receives, produced once and untimed."""
    cleaned = [clean(a, ontology.drop_lines) for a in articles]
    with local_backend(ExtractConfig.of(settings), n_process) as backend:
        return [g for chunk in backend.map_ordered(batched(cleaned, CHUNK)) for g in chunk]


def count_rows(graphs: list[ArticleGraph]) -> int:
    return sum(1 + len(g.entities) + len(g.statements) for g in graphs)


def chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def raw_steps(graphs: list[ArticleGraph], ingested_at: str) -> list[tuple[str, dict[str, Any]]]:
    """The raw reference's statements: rows grouped by kind (and by the label or type,
    which cannot be parameters), then batched; entities before the statements using them."""
    articles = [
        {
            "id": g.article.id,
            "title": g.article.title,
            "source": g.article.source,
            "content_hash": g.article.content_hash,
            "ingested_at": ingested_at,
        }
        for g in graphs
    ]
    # The very rows the load stage writes, grouped by the label or type they need.
    entities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in entity_rows_of(graphs):
        entities[row["type"]].append(row)
    statements: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in statement_rows_of(graphs):
        statements[row["predicate"]].append(row)
    steps = [(raw_cypher.RAW_ARTICLES, {"rows": batch}) for batch in chunks(articles, RAW_BATCH)]
    for etype, rows in sorted(entities.items()):
        steps += [
            (raw_cypher.raw_entities(etype), {"rows": batch}) for batch in chunks(rows, RAW_BATCH)
        ]
    for predicate, rows in sorted(statements.items()):
        query = raw_cypher.raw_statements(predicate)
        steps += [(query, {"rows": batch}) for batch in chunks(rows, RAW_BATCH)]
    return steps


def fresh_store(settings: Settings, graph: str) -> GraphStore:
    """An empty graph of this name (Neo4j, which has one graph, is emptied)."""
    settings = settings.model_copy(update={"graph_name": graph})
    store = open_store(settings)
    store.reset()  # a leftover of an interrupted run would make MERGEs cheaper
    store.close()
    store = open_store(settings)
    store.ensure_schema()  # both arms get the same indexes and constraints, untimed
    return store


def graph_counts(store: GraphStore) -> dict[str, int]:
    return {name: store.read(query)[0]["n"] for name, query in GRAPH_COUNTS.items()}


class StepTimer:
    """A store whose write_unit times each statement, by name, to show where the load
    stage's time goes. Used in an extra pass only: its own overhead stays out of the rate."""

    def __init__(self, store: GraphStore, ontology: Ontology) -> None:
        self.store = store
        # Statement text -> its name in flows.cypher (builders by the function's name).
        self.names = {v: k for k, v in vars(cypher).items() if k.isupper() and isinstance(v, str)}
        for entity_type in (*ontology.types, None):
            self.names[cypher.upsert_entities(entity_type)] = "upsert_entities"
        for predicate in ontology.relation_types:
            self.names[cypher.upsert_relationships(predicate)] = "upsert_relationships"
        self.seconds: dict[str, float] = defaultdict(float)

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.store.read(query, params)

    def exclusive(self) -> AbstractContextManager[None]:
        return self.store.exclusive()

    def write_unit(self, steps: list[tuple[str, dict[str, Any]]]) -> None:
        for query, params in steps:
            started = time.perf_counter()
            self.store.write(query, params)
            self.seconds[self.names.get(query, "other")] += time.perf_counter() - started


def store_write_rate(
    graphs: list[ArticleGraph], settings: Settings, ontology: Ontology, repeat: int
) -> dict[str, Any]:
    """Load stage vs raw MERGE on fresh graphs of one server (the store the settings name);
    best of `repeat`, interleaved so that drift (other jobs on the machine) hits both
    alike."""
    ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
    # The raw reference writes the graph the load stage leaves: with names typed across
    # articles (flows/across_articles.py), which the load stage does as part of its work.
    steps = raw_steps(across(graphs, ontology), ingested_at)
    seconds: dict[str, list[float]] = {"pipeline": [], "raw": []}
    counts: dict[str, dict[str, int]] = {}
    for i in range(repeat):
        for arm in ("pipeline", "raw"):
            store = fresh_store(settings, f"bench_load_{arm}_{i}")
            try:
                started = time.perf_counter()
                if arm == "pipeline":
                    for batch in batched(graphs, LOAD_BATCH):
                        load_articles(store, batch, ontology, ingested_at)
                else:
                    for query, params in steps:
                        store.write(query, params)
                seconds[arm].append(time.perf_counter() - started)
                counts[arm] = graph_counts(store)
            finally:
                store.reset()
                store.close()
    store = fresh_store(settings, "bench_load_steps")
    try:
        timer = StepTimer(store, ontology)
        for batch in batched(graphs, LOAD_BATCH):
            load_articles(timer, batch, ontology, ingested_at)  # type: ignore[arg-type]
    finally:
        store.reset()
        store.close()
    rows = count_rows(graphs)
    result: dict[str, Any] = {
        "articles": len(graphs),
        "rows": rows,
        "rows_definition": ROWS_DEFINITION,
        "entity_rows": sum(len(g.entities) for g in graphs),
        "statement_rows": sum(len(g.statements) for g in graphs),
        "repeat": repeat,
        "raw_batch_rows": RAW_BATCH,
        # The raw reference must have written the same graph, or the ratio means nothing.
        "same_graph": counts["pipeline"] == counts["raw"],
        "graph_counts": counts,
    }
    for arm, runs in seconds.items():
        best = min(runs)
        result[arm] = {
            "seconds": round(best, 3),
            "rows_per_s": round(rows / best),
            "runs_s": [round(s, 3) for s in runs],
        }
    result["ratio"] = round(result["pipeline"]["rows_per_s"] / result["raw"]["rows_per_s"], 3)
    # One more, separate pass: the load stage's seconds by statement, largest first.
    result["pipeline_seconds_by_statement"] = {
        name: round(sec, 4) for name, sec in sorted(timer.seconds.items(), key=lambda kv: -kv[1])
    }
    return result


def print_store(load: dict[str, Any], console: Console) -> None:
    table = Table(
        title=f"(d) store writes: {load['articles']} articles, {load['rows']:,} rows "
        f"(best of {load['repeat']})"
    )
    for column in ("writer", "seconds", "rows/s"):
        table.add_column(column, justify="right")
    for name, key in (("load_articles", "pipeline"), ("raw UNWIND ... MERGE", "raw")):
        table.add_row(name, f"{load[key]['seconds']:.3f}", f"{load[key]['rows_per_s']:,}")
    console.print(table)
    console.print(
        f"load stage at {load['ratio']:.1%} of raw (target >= 50%); "
        f"same graph written: {load['same_graph']}"
    )
    by_statement = load["pipeline_seconds_by_statement"]
    total = sum(by_statement.values()) or 1.0
    console.print(
        "load stage time by statement: "
        + ", ".join(f"{name} {sec / total:.0%}" for name, sec in by_statement.items())
    )


def main() -> int:
    def alone(ws: Workspace, corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
        subset = write_subset(corpus, ws.work / "subset.jsonl", args.load_articles)
        articles = read_articles(subset, ws.settings.max_bytes)
        ontology = load_ontology(ws.settings.schema_dir)
        ws.console.log(f"extracting {len(articles)} articles for the load stage")
        graphs = article_graphs(articles, ws.settings, ontology, args.n_process)
        data_dir = ws.data_dir("store")
        try:
            store_settings = ws.settings.model_copy(update={"data_dir": data_dir})
            return store_write_rate(graphs, store_settings, ontology, args.load_repeat)
        finally:
            stop_store(data_dir)

    def options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--load-articles", type=int, default=300)
        parser.add_argument("--load-repeat", type=int, default=3)

    return run_alone(__doc__, alone, print_store, options)


if __name__ == "__main__":
    sys.exit(main())
