"""The graph questions the tools ask: counts, an entity by key, name or alias, its
statements, the neighbourhood around it. Used by `kg stats`, `kg show`, `kg view` and the
tests alike; the Cypher itself lives in flows/cypher.py."""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from flows import cypher
from flows.errors import NotFound
from flows.names import match_form
from flows.ontology import Ontology
from flows.store import GraphStore


def graph_stats(store: GraphStore) -> dict[str, Any]:
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


def labels_not_carried(store: GraphStore) -> dict[str, int]:
    """Per label of the graph, how many nodes match it without carrying it; only labels
    with any. Empty on a sound graph."""
    labels = [row["label"] for row in store.read(cypher.GRAPH_LABELS)]
    counts = {label: store.read(cypher.nodes_lacking_label(label))[0]["n"] for label in labels}
    return {label: n for label, n in counts.items() if n}


def find_entities(store: GraphStore, needle: str) -> list[dict[str, Any]]:
    """Entities whose key, name or alias is `needle`; NotFound if none is."""
    found = store.read(cypher.FIND_ENTITIES, {"needle": needle})
    if not found:
        close = close_names(store, needle)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise NotFound(f"no entity has the key, name or alias {needle!r}{hint}")
    return found


def close_names(store: GraphStore, needle: str, limit: int = 5) -> list[str]:
    """Entity names a mistyped or partial name may mean: those that contain all its words
    ("Greenspan" -> "Alan Greenspan"), then the closest spellings ("Xi Jinpin")."""
    names = sorted({row["name"] for row in store.read(cypher.ENTITY_NAMES)})
    words = set(match_form(needle).split())
    containing = [n for n in names if words and words <= set(match_form(n).split())]
    by_form = {match_form(n): n for n in names}
    spelled = [by_form[f] for f in get_close_matches(match_form(needle), list(by_form), n=limit)]
    return list(dict.fromkeys(containing + spelled))[:limit]


def entity_relationships(store: GraphStore, key: str) -> list[dict[str, Any]]:
    """An entity's relationships, one evidence sentence each."""
    seen: set[tuple[str, str, str]] = set()
    relations = []
    for row in store.read(cypher.ENTITY_STATEMENTS, {"key": key}):
        triple = (row["subject"], row["predicate"], row["object"])
        if triple not in seen:
            seen.add(triple)
            relations.append(row)
    return relations


def neighbourhood(
    store: GraphStore, ontology: Ontology, key: str, hops: int
) -> list[dict[str, Any]]:
    return store.read(cypher.neighbourhood(ontology.relation_types, hops), {"key": key})
