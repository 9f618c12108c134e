"""Stage 4, load: the only stage that talks to the graph store.

A batch of articles is one unit of work: retract what the changed ones said before, write
what they all say now with one UNWIND per kind of row, and write their content hashes
last (the commit marker on stores without transactions).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from flows import cypher
from flows.across_readings import (
    context_of,
    full_readings,
    lone_readings,
    own_form,
    touched_forms,
)
from flows.across_types import PERSON, PLACE
from flows.load_readings import Retyping, retype_across
from flows.model import ArticleGraph, RunSummary, fields_of, reading_to_json
from flows.ontology import Ontology
from flows.short_forms import calls_by_short, short_of
from flows.store import GraphStore, Step

_entity_query = cache(cypher.upsert_entities)
_orphan_query = cache(cypher.delete_orphan_entities)
# The types REFRESH_NAMES_AND_ALIASES counts the lone and full-name readings of.
READER_TYPES = {"person": PERSON, "place": PLACE}
_relationship_query = cache(cypher.upsert_relationships)


def _relationship_rows(
    statement_rows: list[dict], ontology: Ontology
) -> list[tuple[str, list[dict]]]:
    """One row per typed relationship the statements support, with the articles that
    support it and the highest confidence among them, by predicate; predicates outside the
    ontology make no relationship."""
    edges: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for row in statement_rows:
        if row["predicate"] in ontology.relation_types:
            edge = edges.setdefault(row["predicate"], {}).setdefault(
                (row["subject"], row["object"]), {"articles": [], "confidence": 0.0}
            )
            if row["article"] not in edge["articles"]:
                edge["articles"].append(row["article"])
            edge["confidence"] = max(edge["confidence"], row["confidence"])
    return [
        (
            predicate,
            [
                {"subject": subject, "object": obj, **edge}
                for (subject, obj), edge in sorted(pairs.items())
            ],
        )
        for predicate, pairs in sorted(edges.items())
    ]


def _by_type(rows: list[dict], known: Collection[str]) -> list[tuple[str | None, list]]:
    """Entity rows grouped by their type (a label), in a fixed order; those of a type the
    ontology does not know are grouped under None and get no label."""
    groups: dict[str | None, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["type"] if row["type"] in known else None, []).append(row)
    return sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))


def stored_hashes(store: GraphStore, ids: Iterable[str]) -> dict[str, str | None]:
    """Content hash of each article already in the graph (None if never finished)."""
    rows = store.read(cypher.ARTICLE_HASHES, {"ids": list(ids)})
    return {row["id"]: row["content_hash"] for row in rows}


def entity_rows_of(graphs: Sequence[ArticleGraph]) -> list[dict[str, Any]]:
    """One row per entity of each article: the Entity and its MENTIONED_IN edge, with the
    article's own reading of it (flows/across_articles.py)."""
    rows = []
    for g in graphs:
        lone, full, context = lone_readings(g), full_readings(g), sorted(context_of(g))
        for e in g.entities:
            reading = lone.get(own_form(e))
            rows.append(
                {
                    "key": e.key,
                    "name": e.name,
                    "type": e.type,
                    "short": short_of(e.key),
                    "count": e.count,
                    "forms": list(e.forms),
                    "read_as": e.read_as or e.type,
                    "lone": reading is not None,
                    "full": own_form(e) in full,
                    "link": reading.link if reading else None,
                    "called": calls_by_short(e),
                    # What a lone reading that may join a full name must share with the
                    # full name's articles.
                    "context": context if reading and reading.link else None,
                    "article": g.article.id,
                }
            )
    return rows


def statement_rows_of(graphs: Sequence[ArticleGraph]) -> list[dict[str, Any]]:
    """One row per statement of each article, with its evidence and provenance."""
    return [
        {
            **fields_of(s),
            "model": g.provenance.model,
            "model_version": g.provenance.model_version,
            "article": g.article.id,
        }
        for g in graphs
        for s in g.statements
    ]


def entity_keys(store: GraphStore, ids: list[str]) -> dict[str, list[str]]:
    """Which of these articles are in the graph, and the entity keys each mentions."""
    if not ids:
        return {}
    rows = store.read(cypher.STORED_ARTICLE_ENTITY_KEYS, {"ids": ids})
    return {row["id"]: row["keys"] for row in rows}


def retraction_steps(article_id: str) -> list[Step]:
    """What an article said, taken back, in the order it must go: its statements, then the
    confidence of the edges they supported (from the statements left), then its share of
    those edges and the edges nothing supports any more, then its mentions. Replacing and
    deleting an article both start here."""
    aid = {"id": article_id}
    return [
        (cypher.RETRACT_STATEMENTS, aid),
        (cypher.RECOMPUTE_CONFIDENCE, aid),
        (cypher.RETRACT_RELATIONSHIPS, aid),
        (cypher.DELETE_UNSUPPORTED_RELATIONSHIPS, aid),
        (cypher.RETRACT_MENTIONS, aid),
    ]


def write_steps(
    graphs: Sequence[ArticleGraph],
    ontology: Ontology,
    ingested_at: str,
    replacing: Mapping[str, Iterable[str]] | None = None,
    own: Retyping | None = None,
) -> list[Step]:
    """The statements that write a batch of articles, in order: each kind of row for the
    whole batch goes in one UNWIND. `replacing` maps the id of each article already in the
    graph to the entity keys it mentioned: what it said before is retracted first. New
    articles skip those round trips (nothing hangs off an Article that did not exist).
    `own` holds each article's own reading, kept on its node, and when each article
    already in the graph was ingested (one whose names only changed type keeps it)."""
    replacing = replacing or {}
    own = own or Retyping(list(graphs), [], {g.article.id: reading_to_json(g) for g in graphs}, {})
    previous = sorted({key for keys in replacing.values() for key in keys})
    steps: list[Step] = []
    if replacing:
        ids = sorted(replacing)
        steps.append((cypher.CLEAR_HASHES, {"ids": ids}))
        for article_id in ids:
            steps += retraction_steps(article_id)
    steps.append(
        (
            cypher.MERGE_ARTICLES,
            {
                "rows": [
                    {"id": g.article.id, "title": g.article.title, "source": g.article.source}
                    for g in graphs
                ]
            },
        )
    )
    entity_rows = entity_rows_of(graphs)
    for entity_type, rows in _by_type(entity_rows, ontology.types):
        steps.append((_entity_query(entity_type), {"rows": rows}))
    statement_rows = statement_rows_of(graphs)
    if statement_rows:
        steps.append((cypher.UPSERT_STATEMENTS, {"rows": statement_rows}))
    for predicate, rows in _relationship_rows(statement_rows, ontology):
        steps.append((_relationship_query(predicate), {"rows": rows}))
    if previous:
        # Only what an article used to mention can have lost its last mention.
        steps.append((_orphan_query(tuple(ontology.types)), {"keys": previous}))
    touched = sorted({*previous, *(row["key"] for row in entity_rows)})
    if touched:
        steps.append((cypher.REFRESH_NAMES_AND_ALIASES, {"keys": touched, **READER_TYPES}))
    steps.append(
        (
            cypher.FINISH_ARTICLES,
            {
                "rows": [
                    {
                        "id": a.id,
                        "title": a.title,
                        "source": a.source,
                        "content_hash": a.content_hash,
                        "url": a.url,
                        "published_at": a.published_at,
                        "feed": a.feed,
                        "fetched_at": a.fetched_at,
                        "extracted": own.extracted.get(a.id),
                        "ingested_at": own.ingested_at.get(a.id),
                    }
                    for a in (g.article for g in graphs)
                ],
                "ingested_at": ingested_at,
            },
        )
    )
    return steps


def load_articles(
    store: GraphStore,
    graphs: Sequence[ArticleGraph],
    ontology: Ontology,
    ingested_at: str,
) -> None:
    """Write a batch of articles as one unit of work; those already in the graph replace
    whatever an earlier version of them wrote. Which ones those are is read inside the
    store's exclusive section, so a run writing the same article at the same moment is
    seen. Each article's content hash is written by the last step: a batch cut short is
    redone whole by the next run."""
    ids = [graph.article.id for graph in graphs]
    with store.exclusive():
        replacing = entity_keys(store, ids)
        forms = touched_forms(e.key for g in graphs for e in g.entities)
        forms |= touched_forms(key for keys in replacing.values() for key in keys)
        retyped = retype_across(store, list(graphs), forms, ontology)
        replacing.update(entity_keys(store, [g.article.id for g in retyped.others]))
        store.write_unit(write_steps(retyped.graphs, ontology, ingested_at, replacing, retyped))


def load_article(
    store: GraphStore, graph: ArticleGraph, ontology: Ontology, ingested_at: str
) -> None:
    """Write one article's graph, replacing whatever an earlier version of it wrote."""
    load_articles(store, [graph], ontology, ingested_at)


def remove_article(store: GraphStore, article_id: str, ontology: Ontology) -> None:
    """Delete an article and everything only it supported: its statements, its share of
    relationships, its mentions, and entities no other article mentions."""
    aid = {"id": article_id}
    with store.exclusive():
        rows = store.read(cypher.ARTICLE_ENTITY_KEYS, aid)
        keys = sorted(row["key"] for row in rows)
        steps = retraction_steps(article_id)
        if keys:
            steps += [
                (_orphan_query(tuple(ontology.types)), {"keys": keys}),
                (cypher.REFRESH_NAMES_AND_ALIASES, {"keys": keys, **READER_TYPES}),
            ]
        steps.append((cypher.DELETE_ARTICLE, aid))
        # The names it read may now be typed otherwise in the articles left.
        retyped = retype_across(store, [], touched_forms(keys), ontology, gone=article_id)
        if retyped.others:
            replacing = entity_keys(store, [g.article.id for g in retyped.others])
            steps += write_steps(retyped.others, ontology, "", replacing, retyped)
        store.write_unit(steps)


def articles_under(store: GraphStore, folder: str) -> list[str]:
    """Ids of stored articles read from files below the folder of this name."""
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
