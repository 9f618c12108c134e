"""Stage 4, load: the only stage that talks to the graph store.

One article is one unit of work: retract what it said before, write what it says now,
and write its content hash last (the commit marker on stores without transactions).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict
from functools import cache

from flows import cypher
from flows.model import ArticleGraph, RunSummary
from flows.ontology import Ontology
from flows.store import GraphStore, Step


@cache
def _entity_query(types: tuple[str, ...]) -> str:
    return cypher.upsert_entities(types)


@cache
def _statement_query(types: tuple[str, ...]) -> str:
    return cypher.upsert_statements(types)


def stored_hashes(store: GraphStore, ids: Iterable[str]) -> dict[str, str | None]:
    """Content hash of each article already in the graph (None if never finished)."""
    rows = store.read(cypher.ARTICLE_HASHES, {"ids": list(ids)})
    return {row["id"]: row["content_hash"] for row in rows}


def article_steps(
    graph: ArticleGraph,
    ontology: Ontology,
    ingested_at: str,
    previous_keys: Iterable[str] = (),
    replacing: bool = True,
) -> list[Step]:
    """The statements that write one article's facts, in order. When `replacing`, what an
    earlier version of the article said is retracted first; a new article skips those
    round trips (nothing can hang off an Article node that did not exist)."""
    article = graph.article
    aid = {"id": article.id}
    touched = sorted({*previous_keys, *(e.key for e in graph.entities)})
    steps: list[Step] = [
        (cypher.MERGE_ARTICLE, {**aid, "title": article.title, "source": article.source})
    ]
    if replacing:
        steps += [
            (cypher.RETRACT_STATEMENTS, aid),
            (cypher.RETRACT_RELATIONSHIPS, aid),
            (cypher.DELETE_UNSUPPORTED_RELATIONSHIPS, aid),
            (cypher.RETRACT_MENTIONS, aid),
        ]
    if graph.entities:
        rows = [
            {"key": e.key, "name": e.name, "type": e.type, "count": e.count, "forms": list(e.forms)}
            for e in graph.entities
        ]
        steps.append((_entity_query(ontology.types), {"rows": rows, "article": article.id}))
    if graph.statements:
        rows = [asdict(s) for s in graph.statements]
        steps.append(
            (
                _statement_query(tuple(sorted(ontology.relation_types))),
                {"rows": rows, "article": article.id, **asdict(graph.provenance)},
            )
        )
    if touched and replacing:
        steps.append((cypher.DELETE_ORPHAN_ENTITIES, {"keys": touched}))
    if touched:
        steps.append((cypher.REFRESH_NAMES_AND_ALIASES, {"keys": touched}))
    steps.append(
        (
            cypher.FINISH_ARTICLE,
            {
                **aid,
                "title": article.title,
                "source": article.source,
                "content_hash": article.content_hash,
                "ingested_at": ingested_at,
                "url": article.url,
                "published_at": article.published_at,
                "feed": article.feed,
                "fetched_at": article.fetched_at,
            },
        )
    )
    return steps


def load_article(
    store: GraphStore, graph: ArticleGraph, ontology: Ontology, ingested_at: str, exists: bool
) -> None:
    """Write one article's graph, replacing whatever an earlier version of it wrote."""
    previous: list[str] = []
    if exists:
        rows = store.read(cypher.ARTICLE_ENTITY_KEYS, {"id": graph.article.id})
        previous = [row["key"] for row in rows]
    store.write_article(article_steps(graph, ontology, ingested_at, previous, replacing=exists))


def remove_article(store: GraphStore, article_id: str) -> None:
    """Delete an article and everything only it supported: its statements, its share of
    relationships, its mentions, and entities no other article mentions."""
    rows = store.read(cypher.ARTICLE_ENTITY_KEYS, {"id": article_id})
    keys = sorted(row["key"] for row in rows)
    aid = {"id": article_id}
    steps: list[Step] = [
        (cypher.RETRACT_STATEMENTS, aid),
        (cypher.RETRACT_RELATIONSHIPS, aid),
        (cypher.DELETE_UNSUPPORTED_RELATIONSHIPS, aid),
        (cypher.RETRACT_MENTIONS, aid),
    ]
    if keys:
        steps += [
            (cypher.DELETE_ORPHAN_ENTITIES, {"keys": keys}),
            (cypher.REFRESH_NAMES_AND_ALIASES, {"keys": keys}),
        ]
    steps.append((cypher.DELETE_ARTICLE, aid))
    store.write_article(steps)


def articles_under(store: GraphStore, folder: str) -> list[str]:
    """Ids of stored articles read from files below `folder` (a display path)."""
    rows = store.read(cypher.ARTICLES_UNDER, {"prefix": folder.rstrip("/") + "/"})
    return [row["id"] for row in rows]


def record_run(
    store: GraphStore, summary: RunSummary, started_at: str, finished_at: str, status: str
) -> str:
    """An IngestRun node linked to the articles this run wrote; returns its id.

    Neo4j properties cannot be maps, so `counts` is a JSON object in a string."""
    run_id = f"{started_at}/{uuid.uuid4().hex[:8]}"
    counts = {
        "new": len(summary.new),
        "changed": len(summary.changed),
        "unchanged": len(summary.unchanged),
        "rejected": len(summary.rejected),
        "removed": len(summary.removed),
    }
    store.write(
        cypher.RECORD_RUN,
        {
            "id": run_id,
            "started_at": started_at,
            "finished_at": finished_at,
            "status": status,
            "counts": json.dumps(counts, sort_keys=True),
            "rejected": [str(r) for r in summary.rejected],
            "articles": summary.new + summary.changed,
        },
    )
    return run_id
