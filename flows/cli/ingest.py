"""`kg ingest` and `kg serve`: the flow, run once with progress, or on a schedule."""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    Config,
    DaskAddress,
    DataDir,
    TaskRunnerOption,
    app,
    err,
    examples,
    open_graph,
    out,
    print_rows,
    print_stats,
    settings_of,
)
from flows.cli.flow_run import run_flow
from flows.model import RunSummary
from flows.settings import Settings, load_settings


@app.command(
    epilog=examples(
        "kg ingest seeds/",
        "kg ingest a.txt notes/ --data-dir /tmp/kg",
        "kg ingest articles.jsonl",
        "kg ingest https://example.org/feed.xml --record-run",
        "kg ingest big.jsonl --task-runner dask --dask-address tcp://10.0.0.5:8786",
    )
)
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files (.txt, .md, .jsonl), folders, or feed/page URLs.")
    ],
    data_dir: DataDir = None,
    config: Config = None,
    examples: Annotated[
        bool, typer.Option("--examples", help="Then run three saved questions and show answers.")
    ] = False,
    record_run: Annotated[
        bool | None,
        typer.Option(
            "--record-run/--no-record-run",
            help="Record this run as an IngestRun node (env KG_RECORD_RUNS; default off).",
        ),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Remove articles whose files are gone from the folders."),
    ] = False,
    task_runner: TaskRunnerOption = None,
    dask_address: DaskAddress = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the run summary as one JSON object (README, schema/)."),
    ] = False,
) -> None:
    """Ingest documents into the graph; unchanged ones are skipped, changed ones replaced."""
    # Validated here so that a bad value is one line, before any flow starts.
    settings = load_settings(
        config, data_dir=data_dir, task_runner=task_runner, dask_address=dask_address
    )
    from flows.read import display_path, is_url, shown

    missing = [p for p in paths if not is_url(p) and not Path(p).exists()]
    if len(missing) == len(paths):
        # Nothing to read: say so before starting Prefect or the store, which take seconds.
        for path in missing:
            err.print(
                f"rejected: {shown(display_path(Path(path)))}: no such file or directory",
                markup=False,
                highlight=False,
            )
        raise typer.Exit(EXIT_REJECTED)
    records = settings.record_runs if record_run is None else record_run
    # A run that records itself, or prunes, always runs the flow; so does any run with
    # something new, changed or rejected in it.
    summary = None if prune or records or _first_run(settings) else _unchanged(settings, paths)
    if summary is None:
        summary = run_flow(
            settings, paths, config, record_run, prune, task_runner, dask_address,
            has_work=not (prune or records),
        )  # fmt: skip
    summary.seconds = {**summary.seconds, "pipeline": summary.seconds.pop("total", 0.0)}
    for rejection in summary.rejected:
        err.print(f"rejected: {rejection}", markup=False, highlight=False)
    if not (summary.new or summary.changed or summary.unchanged or summary.rejected):
        # An empty folder or file is not an error (a watched folder is often empty), but
        # a run that read nothing says so rather than printing zeros in silence.
        err.print(f"nothing to ingest: no articles in {', '.join(paths)}", markup=False,
                  highlight=False)  # fmt: skip
    exit_code = EXIT_REJECTED if summary.rejected else EXIT_OK
    if as_json:
        from flows.queries import graph_stats
        from flows.report import summary_json

        store = open_graph(settings)
        try:
            stats = graph_stats(store)
            summary.seconds["total"] = round(seconds_since_start(), 3)
            report = summary_json(summary, settings, stats, pruned=prune)
        finally:
            store.close()
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        raise typer.Exit(exit_code)
    summary.seconds["total"] = round(seconds_since_start(), 3)
    table = Table(title="Ingest", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, items in (
        ("new", summary.new),
        ("changed", summary.changed),
        ("unchanged", summary.unchanged),
        ("rejected", summary.rejected),
        *((("removed", summary.removed),) if prune else ()),
    ):
        table.add_row(f"{label} articles", str(len(items)))
    table.add_row("tokens", f"{summary.tokens:,}")
    for stage, seconds in summary.seconds.items():
        table.add_row(f"seconds: {stage}", f"{seconds:.2f}")
    out.print(table)
    from flows.queries import graph_stats

    store = open_graph(settings)
    try:
        print_stats(graph_stats(store))
        if examples:
            from flows.user_cypher import saved_queries

            for saved in saved_queries(settings.schema_dir / "queries.cypher")[:3]:
                out.print(f"\n{saved.description}", style="bold", markup=False)
                out.print(saved.cypher, style="dim", markup=False, highlight=False)
                print_rows(store.read(saved.cypher))
    finally:
        store.close()
    raise typer.Exit(exit_code)


_IMPORTED = time.perf_counter()


def seconds_since_start() -> float:
    """Wall-clock seconds since this process started, interpreter start-up included.
    Linux counts a process's start in clock ticks since boot; elsewhere, the count starts
    when this module was imported."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(stat[19]) / os.sysconf("SC_CLK_TCK")
        return max(time.clock_gettime(time.CLOCK_BOOTTIME) - started, 0.0)
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED


def _first_run(settings: Settings) -> bool:
    """Whether the data dir's embedded store never ran: it holds no article, so the run
    has work to do. The no-op check is skipped there, since it would import the load
    stage, start the store and read a chunk before the Prefect API could start, and the
    API's boot is what a first run waits for."""
    if settings.uses_neo4j:
        return False
    from flows.store.falkordb_server import EmbeddedServer

    return not EmbeddedServer(settings.data_dir).ever_started()


def _unchanged(settings: Settings, paths: list[str]) -> RunSummary | None:
    """The summary of a run with nothing to do (flows/unchanged.py), or None."""
    from flows.unchanged import all_unchanged

    store = open_graph(settings)
    try:
        return all_unchanged(store, settings, paths)
    finally:
        store.close()


@app.command(
    epilog=examples(
        'kg serve --cron "*/30 * * * *" seeds/ https://example.org/feed.xml',
        "kg serve --interval 600 --config ingest.yaml",
    )
)
def serve(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="What each run reads; default: `sources:` in the config."),
    ] = None,
    cron: Annotated[
        str | None, typer.Option("--cron", help="A cron schedule, e.g. '*/30 * * * *'.")
    ] = None,
    interval: Annotated[
        float | None, typer.Option("--interval", help="Seconds between runs.", min=1)
    ] = None,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Serve the ingest flow on a schedule with Prefect's runner until stopped (SIGTERM or
    Ctrl-C). Each run records an IngestRun. With no PREFECT_API_URL, a local Prefect server
    (and its UI) is started on 127.0.0.1 (port from KG_PREFECT_PORT, default 4200)."""
    from flows.serve import check_schedule
    from flows.serve import serve as serve_flow

    settings = settings_of(data_dir, config)
    if cron is None and interval is None:
        cron, interval = settings.schedule_cron, settings.schedule_interval_s
    check_schedule(list(sources or settings.sources), cron, interval)
    err.print(
        f"serving kg-ingest: {cron or f'every {interval:g}s'} over "
        f"{', '.join(sources or settings.sources) or '(no sources)'}",
        markup=False,
        highlight=False,
    )
    with suppress(KeyboardInterrupt):
        try:
            serve_flow(
                list(sources or settings.sources),
                cron=cron,
                interval_s=interval,
                data_dir=str(settings.data_dir),
                config=str(config.resolve()) if config else None,
            )
        except SystemExit as exc:  # Prefect's runner exits 0 on SIGTERM
            if exc.code not in (0, None):
                raise
    err.print("kg serve: stopped", highlight=False)
