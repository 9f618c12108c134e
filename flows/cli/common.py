"""What every command shares: the Typer app, the consoles, options, exit codes and output
formatting."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flows.settings import Settings, load_settings
from flows.store import GraphStore

EXIT_OK, EXIT_FATAL, EXIT_REJECTED = 0, 1, 2

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Knowledge-graph ETL for news: ingest articles, then ask the graph questions.",
    # Plain click help: rich help boxes print a type such as <bool> beside every flag and
    # break lines mid-sentence in narrow terminals.
    rich_markup_mode=None,
)


def examples(*commands: str) -> str:
    """A command's epilog: one example per line, kept as written ("\b" tells click not
    to rewrap the paragraph)."""
    return "\b\nExamples:\n" + "\n".join(f"  {command}" for command in commands)


out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Embedded store directory (env KG_DATA_DIR, default .kg/)."),
]
Config = Annotated[Path | None, typer.Option("--config", help="Settings YAML (env KG_CONFIG).")]
TaskRunnerOption = Annotated[
    str | None,
    typer.Option(
        "--task-runner",
        help="Where extraction runs: inline (in this process), processes (a worker pool), or dask "
        "(env KG_TASK_RUNNER).",
    ),
]
DaskAddress = Annotated[
    str | None,
    typer.Option(
        "--dask-address",
        help="A Dask scheduler, e.g. tcp://10.0.0.5:8786; default a local cluster "
        "(env KG_DASK_ADDRESS).",
    ),
]


def quiet_known_errors() -> None:
    """The CLI reports a failed run in one line of its own; Prefect's run loggers would
    repeat it with a traceback. KG_VERBOSE=1 keeps Prefect's logs."""
    if os.environ.get("KG_VERBOSE"):
        return
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@contextmanager
def reader_may_leave() -> Iterator[None]:
    """The reader of stdout may go away (kg export | head): then stop quietly, exit 0. Later
    writes, and the final flush, go nowhere instead of failing again. (Click turns the
    error into exit 1 before main() could see it.)"""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def settings_of(data_dir: Path | None, config: Path | None) -> Settings:
    return load_settings(config, data_dir=data_dir)


def open_graph(settings: Settings) -> GraphStore:
    from flows.store import open_store

    return open_store(settings)


def cell(value: Any) -> str:
    """Nodes and relationships rendered compactly: labels, key, name."""
    if isinstance(value, dict) and "labels" in value:
        props = value["properties"]
        ident = props.get("key") or props.get("id") or ""
        name = props.get("name") or props.get("title") or ""
        return f"(:{':'.join(value['labels'])} {ident} {name!r})".replace(" ''", "")
    if isinstance(value, dict) and "type" in value and "properties" in value:
        return f"[:{value['type']}]"
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # FalkorDB's sum() of counts is a float: 17, not 17.0
    return "" if value is None else str(value)


def _plain(text: str) -> str:
    return " ".join(text.split())  # a tab or line break inside a cell would break the row


def print_rows(rows: list[dict[str, Any]], title: str | None = None) -> None:
    """A table on a terminal; into a pipe or file, tab-separated lines, unwrapped: a
    header row, then one line a row (a title, if any, as a '# title' line first)."""
    if not out.is_terminal:
        if title:
            sys.stdout.write(f"# {title}\n")
        if rows:
            sys.stdout.write("\t".join(_plain(str(c)) for c in rows[0]) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(_plain(cell(v)) for v in row.values()) + "\n")
        return
    if not rows:
        out.print(f"[dim]{title + ': ' if title else ''}(no rows)[/dim]")
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(cell(v) for v in row.values()))
    out.print(table)


def print_stats(stats: dict[str, Any]) -> None:
    table = Table(title="Graph", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("articles", str(stats["articles"]))
    for etype, n in stats["entities"].items():
        table.add_row(f"entities: {etype}", str(n))
    for rtype, n in stats["relationships"].items():
        table.add_row(f"relationships: {rtype}", str(n))
    table.add_row("statements", str(stats["statements"]))
    table.add_row("nodes / edges in all", f"{stats['nodes']} / {stats['edges']}")
    out.print(table)
