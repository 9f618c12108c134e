"""The extraction backends' shared contract: in order, bounded, nothing started for
nothing. (That every backend builds the same graph is tests/test_flow.py's
test_other_task_runners_build_the_same_graph, on the real model.)"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from flows.backends import InProcess, WorkerPool, local_backend, ordered
from flows.pool import ExtractConfig

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
