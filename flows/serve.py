"""`kg serve`: the ingest flow as a scheduled Prefect deployment, run by Prefect's own
runner (`Flow.serve`).

Scheduled runs are created by the Prefect server's scheduler service. The temporary API
Prefect starts on its own runs no scheduler, so when no PREFECT_API_URL is configured
this module starts a local Prefect server (with its UI) for as long as `kg serve` runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import time
from pathlib import Path

from flows.errors import ConfigError
from flows.prefect_server import flush_prefect_workers, local_prefect_server

DEPLOYMENT_NAME = "scheduled-ingest"


def _drop_cancelled_stream_callbacks(record: logging.LogRecord) -> bool:
    """On stop, the runner cancels its control-channel connections, and Python 3.11's
    asyncio streams log each cancelled one as an error with a traceback (3.12 checks for
    cancellation first). Those records say nothing about the runs: drop them."""
    exc = record.exc_info[1] if record.exc_info else None
    return not isinstance(exc, asyncio.CancelledError)


def _flush_prefect_workers(timeout_s: float = 10.0) -> None:
    """Let the flow runs that were stopped mid-way finish reporting, then deliver and stop
    Prefect's background workers. Prefect's runner executes each flow run in a
    multiprocessing child; one still reporting its crash to a server that is gone never
    exits, and the interpreter waits for it at exit."""
    deadline = time.monotonic() + timeout_s
    for child in multiprocessing.active_children():
        child.join(max(deadline - time.monotonic(), 0))
        if child.is_alive():
            child.kill()
            child.join()
    flush_prefect_workers(timeout_s)


def check_schedule(sources: list[str], cron: str | None, interval_s: float | None) -> None:
    """ConfigError unless there are sources and exactly one valid schedule."""
    if (cron is None) == (interval_s is None):
        raise ConfigError("kg serve: give exactly one of --cron and --interval")
    if not sources:
        raise ConfigError("kg serve: no sources: pass them as arguments or as `sources:` in config")
    if cron is not None:
        from prefect.client.schemas.schedules import CronSchedule
        from pydantic import ValidationError

        try:
            CronSchedule(cron=cron)
        except ValidationError:
            raise ConfigError(f"kg serve: not a valid cron expression: {cron!r}") from None


def serve(
    sources: list[str],
    *,
    cron: str | None,
    interval_s: float | None,
    data_dir: str,
    config: str | None,
) -> None:
    """Serve the ingest flow on a schedule until SIGTERM or Ctrl-C. Each run reads
    `sources` and records an IngestRun; runs of this deployment never overlap."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.flow import ingest_flow

    check_schedule(sources, cron, interval_s)
    parameters = {"paths": sources, "data_dir": data_dir, "config": config, "record_run": True}
    schedule = {"cron": cron} if cron is not None else {"interval": interval_s}

    def run() -> None:
        from prefect.runner import Runner

        class _Runner(Runner):
            def handle_sigterm(self, *args: object, **kwargs: object) -> None:
                # Prefect 3.8.8 leaves its async stop() un-awaited and exits from inside
                # the event loop, which spills asyncio tracebacks. Stopping the way
                # Ctrl-C does lets the runner's own clean-up run (it pauses the schedule).
                raise KeyboardInterrupt

        logging.getLogger("asyncio").addFilter(_drop_cancelled_stream_callbacks)
        # One run at a time: a slow run delays the next instead of racing its writes.
        runner = _Runner(name=DEPLOYMENT_NAME, pause_on_shutdown=True, limit=1)
        runner.add_flow(ingest_flow, name=DEPLOYMENT_NAME, parameters=parameters, **schedule)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(runner.start())

    if os.environ.get("PREFECT_API_URL"):
        try:
            run()
        finally:
            _flush_prefect_workers()
        return
    from flows.settings import load_settings

    settings = load_settings(Path(config) if config else None, data_dir=data_dir)
    home = Path(data_dir).resolve() / "prefect"
    with local_prefect_server(home, settings.prefect_port) as url:
        # Flow-run subprocesses inherit the environment: they must talk to this server.
        os.environ["PREFECT_API_URL"] = url
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                run()
            finally:
                # Before the server goes: runs stopped mid-way still report to it.
                _flush_prefect_workers()
