"""The `kg` command line. Each error becomes one line on stderr and an exit code:
0 everything ingested, 2 some documents rejected (the rest ingested), 1 fatal."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Annotated, Any

# Prefect reads these at import: no telemetry (there is no network), quieter logs.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from flows.errors import KgError
from flows.settings import Settings, load_settings

EXIT_OK, EXIT_FATAL, EXIT_REJECTED = 0, 1, 2

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Knowledge-graph ETL for news: ingest articles, then ask the graph questions.",
)
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
        help="Where extraction runs: inline (spaCy n_process), processes, or dask "
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


def _quiet_known_errors() -> None:
    """The CLI reports a failed run in one line of its own; Prefect's run loggers would
    repeat it with a traceback. KG_VERBOSE=1 keeps Prefect's logs."""
    if os.environ.get("KG_VERBOSE"):
        return
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


class _ProgressHandler(logging.Handler):
    """Feeds the flow's progress events to a callback."""

    def __init__(self, advance) -> None:
        super().__init__(logging.INFO)
        self.advance = advance

    def emit(self, record: logging.LogRecord) -> None:
        self.advance(getattr(record, "advance", 0))


@contextmanager
def _prefect_api(settings: Settings) -> Iterator[None]:
    """The configured Prefect API, or the data dir's local one (started if need be: it
    boots while the pipeline imports, and stays up for the next command)."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    from flows.prefect_server import LocalPrefectApi, flush_prefect_workers

    api = LocalPrefectApi(settings.data_dir)
    api.start()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    import flows.flow  # noqa: F401 - the pipeline's imports overlap the API's boot

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


def _settings(data_dir: Path | None, config: Path | None) -> Settings:
    return load_settings(config, data_dir=data_dir)


def _open(settings: Settings):
    from flows.store import open_store

    return open_store(settings)


def _cell(value: Any) -> str:
    """Nodes and relationships rendered compactly: labels, key, name."""
    if isinstance(value, dict) and "labels" in value:
        props = value["properties"]
        ident = props.get("key") or props.get("id") or ""
        name = props.get("name") or props.get("title") or ""
        return f"(:{':'.join(value['labels'])} {ident} {name!r})".replace(" ''", "")
    if isinstance(value, dict) and "type" in value and "properties" in value:
        return f"[:{value['type']}]"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return "" if value is None else str(value)


def _print_rows(rows: list[dict[str, Any]], title: str | None = None) -> None:
    if not rows:
        out.print(f"[dim]{title + ': ' if title else ''}(no rows)[/dim]")
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    out.print(table)


def _graph_stats(store) -> dict[str, Any]:
    from flows import cypher

    def one(q: str) -> int:
        return store.read(q)[0]["n"]

    return {
        "articles": one(cypher.COUNT_ARTICLES),
        "entities": {r["type"]: r["n"] for r in store.read(cypher.ENTITIES_BY_TYPE)},
        "relationships": {r["type"]: r["n"] for r in store.read(cypher.RELATIONSHIPS_BY_TYPE)},
        "statements": one(cypher.COUNT_STATEMENTS),
        "nodes": one(cypher.COUNT_NODES),
        "edges": one(cypher.COUNT_RELATIONSHIPS),
    }


def _print_stats(stats: dict[str, Any]) -> None:
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


@app.command(
    epilog="Examples:  kg ingest seeds/   ·   kg ingest a.txt notes/ --data-dir /tmp/kg   ·   "
    "kg ingest articles.jsonl   ·   kg ingest https://example.org/feed.xml --record-run   ·   "
    "kg ingest big.jsonl --task-runner dask --dask-address tcp://10.0.0.5:8786"
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
    with _prefect_api(settings):
        from flows.flow import ingest_flow
        from flows.read import count_items

        _quiet_known_errors()
        local = [Path(p) for p in paths if not is_url(p)]
        # A feed's size is unknown until it is read: then the bar just counts.
        total = None if len(local) < len(paths) else count_items(local)
        with _progress(total):
            summary = ingest_flow(
                paths=paths,
                data_dir=str(settings.data_dir),
                config=str(config) if config else None,
                record_run=record_run,
                prune=prune,
                task_runner=task_runner,
                dask_address=dask_address,
            )
    for rejection in summary.rejected:
        err.print(f"rejected: {rejection}", markup=False, highlight=False)
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
    store = _open(settings)
    try:
        _print_stats(_graph_stats(store))
        if examples:
            from flows.cypher import saved_queries

            for saved in saved_queries(settings.schema_dir / "queries.cypher")[:3]:
                out.print(f"\n{saved.description}", style="bold", markup=False)
                out.print(saved.cypher, style="dim", markup=False, highlight=False)
                _print_rows(store.read(saved.cypher))
    finally:
        store.close()
    raise typer.Exit(EXIT_REJECTED if summary.rejected else EXIT_OK)


@app.command(
    epilog='Examples:  kg serve --cron "*/30 * * * *" seeds/ https://example.org/feed.xml   ·   '
    "kg serve --interval 600 --config ingest.yaml"
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

    settings = _settings(data_dir, config)
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


@app.command(
    epilog='Examples:  kg query "MATCH (p:Person) RETURN p.name AS name LIMIT 5"   ·   '
    'kg query "MATCH (e:Entity) RETURN e.type AS type, count(*) AS n" --json'
)
def query(
    cypher: Annotated[str, typer.Argument(help="A Cypher query.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of rows.")] = False,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to write.")] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Run a Cypher query (read-only unless --write)."""
    from flows.cypher import reads_outside_the_graph
    from flows.errors import QueryError

    if not write and reads_outside_the_graph(cypher):
        raise QueryError("the query reads files or URLs (LOAD CSV); pass --write to allow it")
    store = _open(_settings(data_dir, config))
    try:
        rows = store.write(cypher) if write else store.read(cypher)
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str) + "\n")
    else:
        _print_rows(rows)


@app.command(epilog="Examples:  kg stats   ·   kg stats --json")
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Count articles, entities by type, relationships by type and statements."""
    store = _open(_settings(data_dir, config))
    try:
        numbers = _graph_stats(store)
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(numbers) + "\n")
    else:
        _print_stats(numbers)


@app.command(
    epilog="Examples:  kg show 'Xi Jinping'   ·   kg show person:kang-jun-young   ·   kg show US"
)
def show(
    entity: Annotated[str, typer.Argument(help="An entity's key, name or alias.")],
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """One entity: type, aliases, mentions, the articles, and its relationships with evidence."""
    from flows import cypher
    from flows.errors import NotFound

    store = _open(_settings(data_dir, config))
    try:
        found = store.read(cypher.FIND_ENTITIES, {"needle": entity})
        if not found:
            raise NotFound(f"no entity has the key, name or alias {entity!r}")
        for match in found:
            out.print(f"\n{match['name']}", style="bold", markup=False, end="")
            out.print(f"  {match['type']} · {match['key']}", style="dim", markup=False)
            out.print(f"aliases: {', '.join(match['aliases'] or [])}", markup=False)
            out.print(
                f"mentions: {match['mentions']} in {len(match['articles'])} article(s)",
                markup=False,
            )
            articles = zip(match["articles"], match["titles"], strict=True)
            _print_rows([{"article": a, "title": t} for a, t in articles], title="Mentioned in")
            seen: set[tuple[str, str, str]] = set()
            relations = []
            for row in store.read(cypher.ENTITY_STATEMENTS, {"key": match["key"]}):
                triple = (row["subject"], row["predicate"], row["object"])
                if triple not in seen:  # one evidence sentence per relationship
                    seen.add(triple)
                    relations.append(row)
            _print_rows(relations, title="Relationships, with one evidence sentence each")
    finally:
        store.close()


@app.command(
    epilog="Examples:  kg view --entity 'Xi Jinping' --hops 2 -o xi.html   ·   "
    'kg view "MATCH p=(:Person)-[:MEETS]->(:Person) RETURN p" -o meetings.html'
)
def view(
    cypher_query: Annotated[
        str | None,
        typer.Argument(metavar="[CYPHER]", help="A read query returning nodes, edges or paths."),
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path(
        "graph.html"
    ),
    entity: Annotated[
        str | None, typer.Option("--entity", help="Show this entity (key, name or alias).")
    ] = None,
    hops: Annotated[
        int, typer.Option("--hops", min=1, max=4, help="With --entity: how many hops around it.")
    ] = 2,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Write a self-contained interactive HTML page of a subgraph; click an edge for evidence."""
    from flows import cypher
    from flows.errors import NotFound
    from flows.ontology import load_ontology
    from flows.view import write_view

    if (cypher_query is None) == (entity is None):
        raise typer.BadParameter("give either a CYPHER query or --entity NAME")
    settings = _settings(data_dir, config)
    store = _open(settings)
    try:
        if entity is not None:
            found = store.read(cypher.FIND_ENTITIES, {"needle": entity})
            if not found:
                raise NotFound(f"no entity has the key, name or alias {entity!r}")
            ontology = load_ontology(settings.schema_dir)
            rows = store.read(
                cypher.neighbourhood(ontology.relation_types, hops), {"key": found[0]["key"]}
            )
            title = f"{found[0]['name']}, {hops} hop(s) around"
        else:
            rows = store.read(cypher_query)
            title = cypher_query
        graph = write_view(store, rows, title, output)
    finally:
        store.close()
    out.print(
        f"wrote {output} ({len(graph.nodes)} nodes, {len(graph.edges)} relationships)",
        markup=False,
        highlight=False,
    )


@app.command(
    name="eval",
    epilog="Examples:  kg eval crossre ../shared/data/crossre-news --split dev   ·   "
    "kg eval conll04 ../shared/data/conll04 --split test --json",
)
def evaluate(
    benchmark: Annotated[str, typer.Argument(help="The benchmark: crossre or conll04.")],
    data: Annotated[Path, typer.Argument(help="The benchmark's folder of split files.")],
    split: Annotated[str, typer.Option("--split", help="train, dev or test.")] = "test",
    entities: Annotated[
        bool, typer.Option("--entities", help="Score the entities instead of the relations.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Score the product's relations (or, with --entities, its entities) against gold
    annotations, from raw text.

    Each gold sentence goes through what `kg ingest` runs (cleaning, the recognizer, the
    relation extractors, resolution) and the statements are matched to the gold relations
    through the ontology's `crossre:` and `conll04:` labels. A split the shipped model
    trained on is scored by cross-validation, as `make train` measured it.
    """
    from flows.evaluation import evaluate_split

    settings = _settings(data_dir, config)
    if entities:
        from flows.entity_evaluation import evaluate_entities

        scores = evaluate_entities(benchmark, data, split, settings)
        if as_json:
            sys.stdout.write(json.dumps(scores) + "\n")
        else:
            _print_entity_scores(scores)
        return
    scores = evaluate_split(benchmark, data, split, settings)
    if as_json:
        sys.stdout.write(json.dumps(scores) + "\n")
        return
    for kind, report in scores.items():
        if not isinstance(report, dict) or "overall" not in report:
            continue
        o = report["overall"]
        out.print(
            f"{benchmark} {split}, {kind} ({scores['method']}): precision {o['precision']:.3f} "
            f"({o['right']}/{o['statements']} statements), recall {o['recall']:.3f} "
            f"({o['found']}/{o['gold']} gold), F1 {o['f1']:.3f}",
            highlight=False,
        )
        table = Table(title_justify="left")
        table.add_column("gold label")
        table.add_column("recall", justify="right")
        table.add_column("predicate")
        table.add_column("precision", justify="right")
        recall = list(report["recall_by_label"].items())
        precision = list(report["precision_by_predicate"].items())
        for i in range(max(len(recall), len(precision))):
            r = recall[i] if i < len(recall) else ("", None)
            p = precision[i] if i < len(precision) else ("", None)
            table.add_row(
                r[0],
                "" if r[1] is None else f"{r[1]:.3f}",
                p[0],
                "" if p[1] is None else f"{p[1]:.3f}",
            )
        out.print(table)


def _print_entity_scores(scores: dict[str, Any]) -> None:
    e = scores["entities"]
    found, prec, typed = e["found"], e["precision"], e["typed"]
    multi, b3 = e["multi_article"], e["b_cubed"]
    where = f"{scores['benchmark']} {scores['split']}, {scores['articles']} articles"
    lines = [
        f"found {found['recall']:.3f} ({found['found']}/{found['gold']} gold names)",
        f"precision {prec['precision']:.3f} ({prec['right']}/{prec['nodes']} nodes)",
        f"typed F1 {typed['f1']:.3f} (P {typed['precision']:.3f}, R {typed['recall']:.3f})",
        f"within-article splits {e['within_article_splits']}",
        f"multi-article names on one node {multi['share']:.3f} "
        f"({multi['one_node']}/{multi['entities']})",
        f"cross-article B-cubed F1 {b3['f1']:.3f} (P {b3['precision']:.3f}, R {b3['recall']:.3f})",
    ]
    out.print(f"{where}, entities: " + "; ".join(lines), highlight=False)


@app.command(
    epilog="Examples:  kg export > graph.jsonl   ·   kg export --stable | diff - old.jsonl"
)
def export(
    fmt: Annotated[str, typer.Option("--format", help="Output format.")] = "jsonl",
    stable: Annotated[
        bool, typer.Option("--stable", help="Leave out volatile fields such as timestamps.")
    ] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Print every node and relationship, one JSON object a line, in sorted order."""
    if fmt != "jsonl":
        raise typer.BadParameter(f"unknown format {fmt!r}; only 'jsonl' is supported")
    from flows.export import export_jsonl

    store = _open(_settings(data_dir, config))
    try:
        for line in export_jsonl(store, stable=stable):
            sys.stdout.write(line + "\n")
    finally:
        store.close()


@app.command(epilog="Examples:  kg reset --yes")
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Delete everything in the graph."""
    settings = _settings(data_dir, config)
    if not yes and not typer.confirm("Delete every node and relationship?", default=False):
        raise typer.Exit(EXIT_FATAL)
    store = _open(settings)
    try:
        store.reset()
    finally:
        store.close()
    out.print("graph reset")


@app.command(epilog="Examples:  kg stop --data-dir /tmp/kg")
def stop(data_dir: DataDir = None, config: Config = None) -> None:
    """Stop the embedded store's server and the data dir's local Prefect API (both start
    again on demand)."""
    from flows.prefect_server import LocalPrefectApi
    from flows.store.falkordb_store import EmbeddedServer

    settings = _settings(data_dir, config)
    EmbeddedServer(settings.data_dir).stop()
    out.print("embedded store stopped")
    if LocalPrefectApi(settings.data_dir).stop():
        out.print("local Prefect API stopped")


def main(argv: list[str] | None = None) -> int:
    try:
        # Not standalone: click would exit 2 on usage errors, and 2 means "some rejected".
        result = app(args=argv, standalone_mode=False)
    except KgError as exc:
        err.print(f"kg: error: {exc}", markup=False, highlight=False)
        return EXIT_FATAL
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("kg: aborted", highlight=False)
        return EXIT_FATAL
    except typer.TyperException as exc:  # usage errors: bad command, option or value
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        err.print(f"kg: error: {message}", markup=False, highlight=False)
        return EXIT_FATAL
    return result if isinstance(result, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
