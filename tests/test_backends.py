"""The extraction backends' shared contract: in order, bounded, nothing started for
nothing. (That every backend builds the same graph is tests/test_flow.py's
test_other_task_runners_build_the_same_graph, on the real model.)"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from flows.backends import InProcess, WorkerPool, local_backend, ordered, warm_pool
from flows.pool import ExtractConfig, worker_stages
from flows.settings import load_settings

CONFIG = ExtractConfig(
    spacy_model="en_core_web_sm", schema_dir="schema", relation_extractors=(), models_dir="models"
)


def test_ordered_keeps_input_order_and_a_bounded_window() -> None:
    in_flight = 0
    most = 0
    lock = threading.Lock()

    def work(chunk: list[int]) -> list[int]:
        nonlocal in_flight
        # Later chunks finish first, so order has to be restored, not inherited.
        time.sleep(0.02 * (10 - chunk[0]))
        with lock:
            in_flight -= 1
        return [n * 10 for n in chunk]

    with ThreadPoolExecutor(8) as pool:

        def submit(chunk: list[int]) -> Future[list[int]]:
            nonlocal in_flight, most
            with lock:
                in_flight += 1
                most = max(most, in_flight)
            return pool.submit(work, chunk)

        results = list(ordered(submit, ([n] for n in range(10)), window=3))  # type: ignore[arg-type]

    assert results == [[n * 10] for n in range(10)]
    assert most <= 3


def test_no_chunks_start_no_workers() -> None:
    with WorkerPool(CONFIG, workers=2) as backend:
        assert list(backend.map_ordered([])) == []
        assert backend._pool is None


def test_one_worker_runs_in_process() -> None:
    assert isinstance(local_backend(CONFIG, 1), InProcess)
    assert isinstance(local_backend(CONFIG, 2), WorkerPool)


def test_a_warm_pool_is_taken_over_by_the_next_run_or_stopped() -> None:
    """Workers started while Prefect boots (`kg ingest`) are the run's workers; a pool no
    run takes leaves no process behind."""
    config = ExtractConfig.of(load_settings())
    with warm_pool(config, 2):
        with WorkerPool(config, workers=2) as backend:
            warm = backend._started()
            workers = set(warm._processes)
            assert len(workers) == 2  # both started ahead of any chunk
            assert [len(g) for g in backend.map_ordered([[]])] == [0]
            assert set(warm._processes) == workers  # the same processes did the work
        assert warm._shutdown_thread
    with warm_pool(config, 2):
        pass
    assert not multiprocessing.active_children()


def cache_counts() -> tuple[int, int]:
    """worker_stages' cache hits and misses, in the process that calls it."""
    info = worker_stages.cache_info()
    return info.hits, info.misses


def test_workers_start_with_the_stages_their_server_built() -> None:
    """The server workers fork from builds the run's stages once: a worker's own call
    finds them built. In a new interpreter, whose forkserver is its own."""
    script = textwrap.dedent(
        """
        from flows.backends import WorkerPool, warm_pool
        from flows.pool import ExtractConfig
        from flows.settings import load_settings
        from tests.test_backends import cache_counts as _counts

        config = ExtractConfig.of(load_settings())
        with warm_pool(config, 2), WorkerPool(config, workers=2) as backend:
            hits, misses = backend._started().submit(_counts).result()
        print(hits, misses)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    hits, misses = map(int, done.stdout.split())
    assert (hits, misses) == (1, 1)  # built by the server (its miss); the worker's a hit
