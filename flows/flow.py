"""The Prefect flow: read -> clean -> extract -> resolve -> load, streaming.

Only this module knows about Prefect. Articles stream through in chunks so memory stays
bounded: unchanged articles are skipped before any NLP, and writes go out in batches.
Store calls retry on transient errors only; bad input never retries.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.futures import PrefectFuture
from prefect.states import State
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner
from prefect.utilities.annotations import quote

from flows.backends import ExtractionBackend, local_backend, ordered
from flows.clean import clean
from flows.errors import KgError, TransientError
from flows.feeds import Fetcher, FetchPolicy
from flows.load import (
    articles_under,
    load_articles,
    record_run,
    remove_article,
    stored_hashes,
)
from flows.model import Article, ArticleGraph, CleanArticle, Rejection, RunSummary
from flows.ontology import Ontology, load_ontology
from flows.pool import CHUNK, ExtractConfig, batched, extract_chunk
from flows.read import folder_name, is_url, read_all
from flows.report import summary_markdown
from flows.settings import Settings, load_settings
from flows.store import GraphStore, open_store

HASH_CHUNK = 256
LOAD_BATCH = 64
# Progress events, one per batch of documents done (skipped, rejected or written). The
# CLI turns them into a progress bar; they carry the count in `record.advance`.
PROGRESS = logging.getLogger("kg.progress")


def _advance(count: int) -> None:
    if count:
        PROGRESS.info("%d more documents done", count, extra={"advance": count})


def retry_if_transient(task: Any, task_run: Any, state: State) -> bool:
    """Prefect retry condition: retry store and network trouble, never bad input or bugs."""
    try:
        state.result()
    except Exception as exc:
        return isinstance(exc, TransientError)
    return False


def _store_task(fn):
    """A task that talks to the store: retried with backoff on transient errors only."""
    return task(
        fn,
        retries=3,
        retry_delay_seconds=[1, 2, 4],
        retry_condition_fn=retry_if_transient,
        cache_policy=NONE,
        # Results stay in memory: nothing accumulates on disk run after run.
        persist_result=False,
        # No tag: a tagged task asks the Prefect API for a concurrency slot as it starts,
        # and a busy local API (SQLite) made that wait up to 3 s, on the first and last
        # store calls of a run. Runs need no slot: each store serializes units of work
        # itself (a file lock; a server-side lock on Neo4j).
    )


@_store_task
def connect(settings: Settings) -> GraphStore:
    store = open_store(settings)
    store.ensure_schema()
    return store


@_store_task
def check_hashes(store: GraphStore, ids: list[str]) -> dict[str, str | None]:
    return stored_hashes(store, ids)


@_store_task
def load_batch(
    store: GraphStore,
    graphs: list[ArticleGraph],
    ontology: Ontology,
    ingested_at: str,
) -> float:
    """Write one batch as one unit of work; the seconds it took."""
    started = time.perf_counter()
    load_articles(store, graphs, ontology, ingested_at)
    return time.perf_counter() - started


class _Plan:
    """Decides, chunk by chunk, which articles need extracting; records the rest."""

    def __init__(self, store: GraphStore, ontology: Ontology, summary: RunSummary) -> None:
        self.store = store
        self.ontology = ontology
        self.summary = summary
        self.seen: set[str] = set()
        self.read_seconds = 0.0

    def to_extract(self, items: Iterable[Article | Rejection]) -> Iterator[CleanArticle]:
        logger = get_run_logger()
        stream = iter(items)
        while True:
            started = time.perf_counter()
            chunk = list(islice(stream, HASH_CHUNK))
            if not chunk:
                return
            articles: list[Article] = []
            for item in chunk:
                if isinstance(item, Rejection):
                    logger.warning("rejected %s", item)
                    self.summary.rejected.append(item)
                elif item.id not in self.seen:
                    self.seen.add(item.id)
                    articles.append(item)
            ids = quote([a.id for a in articles])
            hashes = check_hashes(self.store, ids) if articles else {}
            cleaned = []
            for article in articles:
                if article.id not in hashes:
                    self.summary.new.append(article.id)
                elif hashes[article.id] == article.content_hash:
                    self.summary.unchanged.append(article.id)
                    continue
                else:
                    self.summary.changed.append(article.id)
                cleaned.append(clean(article, self.ontology.drop_lines))
            self.read_seconds += time.perf_counter() - started
            _advance(len(chunk) - len(cleaned))
            yield from cleaned


@flow(name="kg-ingest", validate_parameters=True, persist_result=False)
def ingest_flow(
    paths: list[str],
    data_dir: str | None = None,
    config: str | None = None,
    record_run: bool | None = None,
    prune: bool = False,
    # A plain str: the settings validate it (a Literal here cannot be resolved when
    # Prefect's runner loads this flow from its entrypoint).
    task_runner: str | None = None,
    dask_address: str | None = None,
) -> RunSummary:
    """Ingest articles from files, folders, JSON Lines and feeds into the knowledge graph.
    With `prune`, articles whose files are gone from a folder source are removed."""
    settings = load_settings(
        Path(config) if config else None,
        data_dir=data_dir,
        record_runs=record_run,
        task_runner=task_runner,
        dask_address=dask_address,
    )
    summary = run_pipeline(settings, paths, prune=prune)
    create_markdown_artifact(summary_markdown(summary, settings, prune), key="kg-ingest-summary")
    return summary


def run_pipeline(settings: Settings, paths: list[str], prune: bool = False) -> RunSummary:
    """The pipeline body, inside a flow run. `paths` are files, folders or URLs."""
    started = time.perf_counter()
    ontology = load_ontology(settings.schema_dir)
    store = connect(settings)
    summary = RunSummary()
    plan = _Plan(store, ontology, summary)
    ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
    load_seconds = load_waited = 0.0
    policy = FetchPolicy(
        timeout_s=settings.fetch_timeout_s,
        retries=settings.fetch_retries,
        max_bytes=settings.max_bytes,
    )
    status = "failed"
    try:
        with Fetcher(policy) as fetcher:
            cleaned = plan.to_extract(read_all(paths, settings.max_bytes, fetcher=fetcher))
            with extraction_backend(settings) as backend:
                chunks = backend.map_ordered(batched(cleaned, CHUNK))
                load_seconds, load_waited = _load_all(
                    chain.from_iterable(chunks), ontology, store, plan, ingested_at
                )
        if prune:
            folders = [p for p in paths if not is_url(p) and Path(p).is_dir()]
            kept = plan.seen | {r.item for r in summary.rejected}
            summary.removed = remove_missing(store, folders, frozenset(kept), ontology)
        status = "completed_with_rejections" if summary.rejected else "completed"
        if summary.new or summary.changed or summary.removed:
            store.compact()
    finally:
        try:
            if settings.record_runs:
                record(store, summary, ingested_at, status)
        except KgError:
            # A store that failed the run usually fails its record too: the run's own
            # error is the one to report.
            if status != "failed":
                raise
        finally:
            store.close()
    total = time.perf_counter() - started
    # Writes overlap extraction: "load" is the time they took, and only the time the
    # pipeline waited for them is taken out of "extract".
    summary.seconds = {
        "read": round(plan.read_seconds, 3),
        "extract": round(max(total - plan.read_seconds - load_waited, 0.0), 3),
        "load": round(load_seconds, 3),
        "total": round(total, 3),
    }
    return summary


def _load_all(
    graphs: Iterable[ArticleGraph],
    ontology: Ontology,
    store: GraphStore,
    plan: _Plan,
    ingested_at: str,
) -> tuple[float, float]:
    """Write the resolved articles in batches, in order, each batch in a thread while the
    next one is extracted. At most one batch is being written at a time, so writes stay
    in input order and memory bounded. Returns the seconds spent writing and the seconds
    extraction waited for a write."""
    writing: tuple[PrefectFuture[float], int] | None = None
    write_seconds = waited = 0.0

    def finish(write: tuple[PrefectFuture[float], int]) -> None:
        nonlocal write_seconds, waited
        started = time.perf_counter()
        write_seconds += write[0].result()
        waited += time.perf_counter() - started
        _advance(write[1])

    try:
        for batch in batched(graphs, LOAD_BATCH):
            plan.summary.tokens += sum(g.tokens for g in batch)
            if writing is not None:
                finish(writing)
            writing = None
            # quote(): Prefect would otherwise walk every field of every graph, and the
            # whole ontology, for futures to wait on, at each submit: 2.5 of the flow
            # process's 5.6 CPU seconds on the BBC corpus.
            writing = (
                load_batch.submit(store, quote(batch), quote(ontology), ingested_at),
                len(batch),
            )
        if writing is not None:
            finish(writing)
            writing = None
    finally:
        if writing is not None:
            # Extraction failed: the batch in flight still ends before the store closes
            # (its own error, if any, is secondary to the one being raised).
            writing[0].wait()
    return write_seconds, waited


def extraction_backend(settings: Settings) -> ExtractionBackend:
    """Where this run's chunks are extracted: in this process or on a worker pool
    ("inline", by n_process), or as Prefect tasks on a task runner."""
    config = ExtractConfig.of(settings)
    if settings.task_runner == "inline":
        return local_backend(config, settings.n_process)
    return TaskRunnerBackend(task_runner_for(settings), config, settings.n_process)


def task_runner_for(settings: Settings) -> TaskRunner:
    """The Prefect task runner extraction chunks are submitted to."""
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": settings.n_process,
                "threads_per_worker": 1,  # spaCy holds the GIL: one pipeline per process
                "processes": True,
                "dashboard_address": None,
            }
        )
    return ProcessPoolTaskRunner(max_workers=settings.n_process)


@task(cache_policy=NONE, persist_result=False)
def extract_chunk_task(articles: list[CleanArticle], config: ExtractConfig) -> list[ArticleGraph]:
    """Extract and resolve a chunk of articles wherever the task runner puts it (each
    worker process loads spaCy once, with its first chunk)."""
    return extract_chunk(articles, config)


class TaskRunnerBackend:
    """Chunks extracted as Prefect tasks on a task runner (a process pool or Dask), so
    each chunk is a task run in the Prefect UI. The runner starts when the run does."""

    def __init__(self, runner: TaskRunner, config: ExtractConfig, workers: int) -> None:
        self.runner = runner
        self.parameters = {"config": config}
        self.window = 2 * workers

    def __enter__(self) -> TaskRunnerBackend:
        self.runner.__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.runner.__exit__(*exc_info)

    def map_ordered(self, chunks: Iterable[list[CleanArticle]]) -> Iterator[list[ArticleGraph]]:
        def submit(chunk: list[CleanArticle]) -> PrefectFuture[list[ArticleGraph]]:
            return self.runner.submit(extract_chunk_task, {"articles": chunk, **self.parameters})

        return ordered(submit, chunks, self.window)


@_store_task
def remove_missing(
    store: GraphStore, folders: list[str], kept: frozenset[str], ontology: Ontology
) -> list[str]:
    """Remove the stored articles below `folders` that this run did not see; their ids."""
    removed = []
    for folder in folders:
        for article_id in articles_under(store, folder_name(Path(folder))):
            if article_id not in kept:
                remove_article(store, article_id, ontology)
                removed.append(article_id)
    return removed


@_store_task
def record(store: GraphStore, summary: RunSummary, started_at: str, status: str) -> None:
    record_run(store, summary, started_at, datetime.now(UTC).isoformat(timespec="seconds"), status)
