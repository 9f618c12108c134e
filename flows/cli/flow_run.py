"""Running the ingest flow from `kg ingest`: the Prefect API it reports to, the extraction
workers started while that API boots, and the progress bar fed by the flow's events."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from flows.cli.common import err, quiet_known_errors
from flows.model import RunSummary
from flows.settings import Settings

if TYPE_CHECKING:
    from flows.prefect_server import LocalPrefectApi


def run_flow(
    settings: Settings,
    paths: list[str],
    config: Path | None,
    record_run: bool | None,
    prune: bool,
    task_runner: str | None,
    dask_address: str | None,
    has_work: bool,
) -> RunSummary:
    """One run of the flow, with progress. `has_work`: the no-op check found new or
    changed articles, so the extraction workers can start at once."""
    # The API is started first: the flow waits for it, while the workers are needed only
    # once the flow has read its first chunk.
    api = _start_local_api(settings)
    with _warm_workers(settings, has_work), _reporting_to(api):
        from flows.flow import ingest_flow
        from flows.read import count_items, is_url

        quiet_known_errors()
        local = [Path(p) for p in paths if not is_url(p)]
        # A feed's size is unknown until it is read: then the bar just counts.
        total = None if len(local) < len(paths) else count_items(local)
        with _progress(total):
            return ingest_flow(
                paths=paths,
                data_dir=str(settings.data_dir),
                config=str(config) if config else None,
                record_run=record_run,
                prune=prune,
                task_runner=task_runner,
                dask_address=dask_address,
            )


def _warm_workers(settings: Settings, has_work: bool) -> AbstractContextManager[None]:
    """The extraction workers, loading their models while Prefect starts."""
    from flows.backends import warm_pool
    from flows.pool import ExtractConfig

    if not has_work or settings.task_runner != "inline":
        return nullcontext()
    return warm_pool(ExtractConfig.of(settings), settings.n_process)


class _ProgressHandler(logging.Handler):
    """Feeds the flow's progress events to a callback."""

    def __init__(self, advance) -> None:
        super().__init__(logging.INFO)
        self.advance = advance

    def emit(self, record: logging.LogRecord) -> None:
        self.advance(getattr(record, "advance", 0))


def _start_local_api(settings: Settings) -> LocalPrefectApi | None:
    """The data dir's local Prefect API, started if need be (it stays up for the next
    command), unless a Prefect API is configured."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    from flows.prefect_server import LocalPrefectApi

    api = LocalPrefectApi(settings.data_dir)
    api.start()
    return api


@contextmanager
def _reporting_to(api: LocalPrefectApi | None) -> Iterator[None]:
    """Runs in the block report to `api` (the configured API if None), once it answers:
    it boots while the pipeline imports."""
    if api is None:
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    import flows.flow  # noqa: F401 - the pipeline's imports overlap the API's boot
    from flows.prefect_server import flush_prefect_workers

    url = api.wait()
    # Task-runner worker processes inherit the environment: they must use it too.
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                yield
            finally:
                flush_prefect_workers()
    finally:
        os.environ.pop("PREFECT_API_URL", None)


@contextmanager
def _progress(total: int | None):
    """A progress bar on a terminal; plain log lines when not on one or under CI."""
    from flows.flow import PROGRESS

    interactive = err.is_terminal and not os.environ.get("CI")
    started = time.perf_counter()
    if interactive:
        bar = Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s"),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        task_id = bar.add_task("ingest", total=total, rate="-")

        def advance(n: int) -> None:
            done = bar.tasks[0].completed + n
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task_id, advance=n, rate=f"{rate:.1f}")

        context = bar
    else:
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            rate = done / max(time.perf_counter() - started, 1e-9)
            of = f"/{total}" if total is not None else ""
            err.print(f"progress: {done}{of} documents, {rate:.1f} docs/s", highlight=False)

        context = nullcontext()
    handler = _ProgressHandler(advance)
    PROGRESS.addHandler(handler)
    PROGRESS.setLevel(logging.INFO)
    PROGRESS.propagate = False
    try:
        with context:
            yield
    finally:
        PROGRESS.removeHandler(handler)
