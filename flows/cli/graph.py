"""The commands that read or change the graph: query, stats, show, view, export, reset, stop."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import (
    EXIT_FATAL,
    Config,
    DataDir,
    app,
    examples,
    open_graph,
    out,
    print_rows,
    print_stats,
    reader_may_leave,
    settings_of,
)

# LOAD CSV reads outside the graph (files on the store's machine, URLs), so like a write
# it needs --write; the embedded store reads only files in its import folder.
READS_FILES = (
    "the query reads files or URLs (LOAD CSV), which kg query runs only with --write; "
    "the embedded store reads files from the import/ folder of its data dir"
)


@app.command(
    epilog=examples(
        'kg query "MATCH (p:Person) RETURN p.name AS name LIMIT 5"',
        'kg query "MATCH (e:Entity) RETURN e.type AS type, count(*) AS n" --json',
        "kg query --list",
        "kg query --saved who-works-where",
    )
)
def query(
    cypher: Annotated[str | None, typer.Argument(help="A Cypher query.")] = None,
    saved: Annotated[
        str | None,
        typer.Option("--saved", help="Run a saved question of schema/queries.cypher by name."),
    ] = None,
    list_saved: Annotated[
        bool, typer.Option("--list", help="Name the saved questions and say what they ask.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of rows.")] = False,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to write.")] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Run a Cypher query (read-only unless --write), or a saved question by name."""
    from flows.errors import NotFound, QueryError
    from flows.user_cypher import reads_outside_the_graph, saved_queries

    if sum((cypher is not None, saved is not None, list_saved)) != 1:
        raise typer.BadParameter("give one of a CYPHER query, --saved NAME or --list")
    settings = settings_of(data_dir, config)
    if cypher is None:
        questions = {q.name: q for q in saved_queries(settings.schema_dir / "queries.cypher")}
        if list_saved:
            for q in questions.values():
                sys.stdout.write(f"{q.name}\t{q.description}\n")
            return
        if saved not in questions:
            raise NotFound(f"no saved question {saved!r}; kg query --list names them")
        cypher = questions[saved].cypher
    if not write and reads_outside_the_graph(cypher):
        raise QueryError(READS_FILES)
    store = open_graph(settings)
    try:
        rows = store.write(cypher) if write else store.read(cypher)
    finally:
        store.close()
    with reader_may_leave():
        if as_json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str) + "\n")
        else:
            print_rows(rows)


@app.command(
    epilog=examples(
        "kg stats",
        "kg stats --json",
    )
)
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Count articles, entities by type, relationships by type and statements."""
    from flows.queries import graph_stats

    store = open_graph(settings_of(data_dir, config))
    try:
        numbers = graph_stats(store)
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(numbers) + "\n")
    else:
        print_stats(numbers)


@app.command(
    epilog=examples(
        "kg show 'Xi Jinping'",
        "kg show person:kang-jun-young",
        "kg show US",
    )
)
def show(
    entity: Annotated[str, typer.Argument(help="An entity's key, name or alias.")],
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """One entity: type, aliases, mentions, the articles, and its relationships with evidence."""
    from flows.queries import entity_relationships, find_entities

    store = open_graph(settings_of(data_dir, config))
    try:
        for match in find_entities(store, entity):
            out.print(f"\n{match['name']}", style="bold", markup=False, end="")
            out.print(f"  {match['type']} · {match['key']}", style="dim", markup=False)
            out.print(f"aliases: {', '.join(match['aliases'] or [])}", markup=False)
            out.print(
                f"mentions: {match['mentions']} in {len(match['articles'])} article(s)",
                markup=False,
            )
            articles = zip(match["articles"], match["titles"], strict=True)
            print_rows([{"article": a, "title": t} for a, t in articles], title="Mentioned in")
            relations = entity_relationships(store, match["key"])
            print_rows(relations, title="Relationships, with one evidence sentence each")
    finally:
        store.close()


@app.command(
    epilog=examples(
        "kg view --entity 'Xi Jinping' --hops 2 -o xi.html",
        'kg view "MATCH p=(:Person)-[:MEETS]->(:Person) RETURN p" -o meetings.html',
    )
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
    from flows.ontology import load_ontology
    from flows.queries import find_entities, neighbourhood
    from flows.view import write_view

    if (cypher_query is None) == (entity is None):
        raise typer.BadParameter("give either a CYPHER query or --entity NAME")
    settings = settings_of(data_dir, config)
    store = open_graph(settings)
    try:
        if entity is not None:
            found = find_entities(store, entity)
            ontology = load_ontology(settings.schema_dir)
            rows = neighbourhood(store, ontology, found[0]["key"], hops)
            title = f"{found[0]['name']}, {hops} hop(s) around"
        else:
            rows = store.read(cypher_query)
            title = cypher_query
        entity_types = load_ontology(settings.schema_dir).types
        graph = write_view(store, rows, title, output, entity_types)
    finally:
        store.close()
    out.print(
        f"wrote {output} ({len(graph.nodes)} nodes, {len(graph.edges)} relationships)",
        markup=False,
        highlight=False,
    )


@app.command(
    epilog=examples(
        "kg export > graph.jsonl",
        "kg export --stable | diff - old.jsonl",
    )
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

    store = open_graph(settings_of(data_dir, config))
    try:
        with reader_may_leave():
            for line in export_jsonl(store, stable=stable):
                sys.stdout.write(line + "\n")
    finally:
        store.close()


@app.command(
    epilog=examples(
        "kg reset --yes",
    )
)
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
    data_dir: DataDir = None,
    config: Config = None,
) -> None:
    """Delete everything in the graph."""
    settings = settings_of(data_dir, config)
    if not yes and not typer.confirm("Delete every node and relationship?", default=False):
        raise typer.Exit(EXIT_FATAL)
    store = open_graph(settings)
    try:
        store.reset()
    finally:
        store.close()
    out.print("graph reset")


@app.command(
    epilog=examples(
        "kg stop --data-dir /tmp/kg",
    )
)
def stop(data_dir: DataDir = None, config: Config = None) -> None:
    """Stop the embedded store's server and the data dir's local Prefect API (both start
    again on demand)."""
    from flows.prefect_server import LocalPrefectApi
    from flows.store.falkordb_server import EmbeddedServer

    settings = settings_of(data_dir, config)
    EmbeddedServer(settings.data_dir).stop()
    out.print("embedded store stopped")
    if LocalPrefectApi(settings.data_dir).stop():
        out.print("local Prefect API stopped")
