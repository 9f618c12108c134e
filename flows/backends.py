"""Where extraction runs: one interface, `map_ordered(chunks)`, and its backends.

A backend takes chunks of cleaned articles and returns, for each chunk and in input
order, its resolved ArticleGraphs. The flow has one code path for all of them; a new
place to run (a cluster, a queue) is a new class here. Backends that run chunks
elsewhere keep at most two chunks per worker in flight, so memory stays bounded however
long the input. The local backends start nothing before the first chunk arrives, so a run
with nothing new never pays for a model or a pool; a Prefect task runner starts with the
run.

The Prefect task-runner backend lives in flows/flow.py, the only module that knows Prefect.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import forkserver
from types import TracebackType
from typing import Protocol

from flows.errors import WorkerDied
from flows.model import ArticleGraph, CleanArticle
from flows.pool import ExtractConfig, extract_chunk, preload_config, worker_stages

Chunk = list[CleanArticle]


class Pending(Protocol):
    """A chunk submitted somewhere: a concurrent.futures.Future or a PrefectFuture."""

    def result(self) -> list[ArticleGraph]: ...


class ExtractionBackend(Protocol):
    """Extracts and resolves chunks of articles; entered once per run, as a context
    manager, so that what it started is stopped when the run ends."""

    def __enter__(self) -> ExtractionBackend: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[list[ArticleGraph]]:
        """Each chunk's graphs, in the order the chunks came."""
        ...


def ordered(
    submit: Callable[[Chunk], Pending], chunks: Iterable[Chunk], window: int
) -> Iterator[list[ArticleGraph]]:
    """Results of `submit` over `chunks`, in order, with at most `window` in flight."""
    pending: deque[Pending] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class _Backend:
    """Context-manager plumbing: nothing to start or stop unless a backend says so."""

    def __enter__(self) -> _Backend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release what the backend started."""


class InProcess(_Backend):
    """In this process, one chunk after another: one core, no pickling. The model is
    loaded with the first chunk and kept for the life of the process."""

    def __init__(self, config: ExtractConfig) -> None:
        self.config = config

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[list[ArticleGraph]]:
        for chunk in chunks:
            yield extract_chunk(chunk, self.config)


class WorkerPool(_Backend):
    """On `workers` processes, each running the whole transform (spaCy, relations,
    resolution) and sending back small ArticleGraphs. That scales better than spaCy's
    own `n_process`, which sends every parsed Doc back to the parent and leaves the
    extraction there. Workers fork from a clean server process, never from the flow's,
    which runs Prefect's threads."""

    def __init__(self, config: ExtractConfig, workers: int) -> None:
        self.config = config
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            warm = _WARM.pop((self.config, self.workers), None)
            if warm is not None:
                warm.starter.join()  # its workers are forked by the time a chunk is read
            self._pool = warm.pool if warm is not None else _new_pool(self.config, self.workers)
        return self._pool

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[list[ArticleGraph]]:
        def submit(chunk: Chunk) -> Pending:
            return self._started().submit(extract_chunk, chunk, self.config)

        try:
            yield from ordered(submit, chunks, 2 * self.workers)
        except BrokenProcessPool:
            raise WorkerDied(
                "an extraction worker process died (killed, or out of memory); "
                "articles written so far are kept, and a re-run resumes"
            ) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _new_pool(config: ExtractConfig, workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    # spaCy is imported, and the stages built, once, by the server the workers fork from:
    # each worker starts with them (shared copy-on-write) instead of building its own, 2 s
    # of CPU apiece on a machine still booting Prefect. The flow's own process never
    # imports spaCy (~50 MB and ~0.7 s saved in every command).
    context.set_forkserver_preload(["flows.preload"])
    with preload_config(config):
        forkserver.ensure_running()  # a server already running keeps what it built
    return ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=worker_stages,  # a no-op when the server built this config's stages
        initargs=(config,),
    )


@dataclass(frozen=True)
class _WarmPool:
    pool: ProcessPoolExecutor
    starter: threading.Thread  # forks its workers


# A pool started by warm_pool() for the next WorkerPool of the same config to take over.
_WARM: dict[tuple[ExtractConfig, int], _WarmPool] = {}


@contextmanager
def warm_pool(config: ExtractConfig, workers: int) -> Iterator[None]:
    """Start the worker pool a run in this process is about to use, ahead of the run: its
    server builds the stages while the command waits for the Prefect API to boot. Workers
    are forked in a thread, since each fork waits for that build. The run's WorkerPool
    takes the pool over; if no run does, it is stopped when the block ends."""
    key = (config, workers)
    if workers > 1 and key not in _WARM:
        pool = _new_pool(config, workers)

        def start_workers() -> None:
            for _ in range(workers):
                pool.submit(os.getpid)  # each call on a busy pool starts one more worker

        starter = threading.Thread(target=start_workers, name="kg-warm-workers", daemon=True)
        starter.start()
        _WARM[key] = _WarmPool(pool, starter)
    try:
        yield
    finally:
        unused = _WARM.pop(key, None)
        if unused is not None:
            unused.starter.join()
            unused.pool.shutdown(wait=True, cancel_futures=True)


def local_backend(config: ExtractConfig, workers: int) -> ExtractionBackend:
    """In this process for one worker, else on a pool of worker processes."""
    return WorkerPool(config, workers) if workers > 1 else InProcess(config)
