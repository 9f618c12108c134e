"""Names typed across articles: the part of resolution that needs more than one article.

Each article types its names by itself (flows/resolve.py). A lone word read only as a
person ("Labour", "Derbyshire", "Barentsburg") is the weakest reading there is, and other
articles often type the same name better. The rule (docs/design/cross-article-types.md):

    A lone word read as a person takes the non-person type that most articles give the
    same name, when exactly one type leads and more articles give it than give Person.

It never makes anything a person and never trades one non-person type for another, so it
cannot turn a club into its city. It is a function of the *set* of readings, so the graph
stays a function of the set of articles ingested, whatever order they come in: the load
stage keeps each article's own reading and re-decides every name a run touches.

Everything here is pure: readings in, decisions out, and an ArticleGraph rewritten by them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from flows.model import Article, ArticleGraph, Entity, Provenance, Statement
from flows.ontology import Ontology
from flows.resolve import statement_id

PERSON = "Person"


@dataclass
class Readings:
    """How articles read names: for each name (a key's match form), how many articles
    gave it each type, and which articles read it only as a lone word for a person, the
    one reading the rule changes (an article that also gives the name another type, as
    "Labour" beside "the Labour Party", has made its own call)."""

    articles: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    lone: set[tuple[str, str]] = field(default_factory=set)  # (article, form)

    def add(self, form: str, etype: str, articles: int, lone: Iterable[str] = ()) -> None:
        self.articles[form][etype] += articles
        self.lone.update((article, form) for article in lone)

    @property
    def lone_forms(self) -> set[str]:
        return {form for _, form in self.lone}


def form_of(key: str) -> str:
    return key.split(":", 1)[1]


def key_for(entity_type: str, form: str) -> str:
    return f"{entity_type.lower()}:{form}"


def lone_forms(graph: ArticleGraph) -> set[str]:
    """The names the article reads only as a lone word for a person (as it read them: a
    retyped entity keeps that reading in `read_as`)."""
    seen = Counter(form_of(e.key) for e in graph.entities)
    return {
        form_of(e.key)
        for e in graph.entities
        if (e.read_as or e.type) == PERSON
        and len(e.name.split()) == 1
        and seen[form_of(e.key)] == 1
    }


def readings_of(graphs: Iterable[ArticleGraph], into: Readings | None = None) -> Readings:
    readings = into if into is not None else Readings()
    for graph in graphs:
        lone = lone_forms(graph)
        for e in graph.entities:
            form = form_of(e.key)
            readings.add(form, e.read_as or e.type, 1, [graph.article.id] if form in lone else ())
    return readings


def decide(readings: Readings) -> dict[tuple[str, str], str]:
    """(article, form) -> the type that article's lone-person reading takes, for each
    reading the rule changes; every other reading stands as the article gave it."""
    retyped: dict[tuple[str, str], str] = {}
    for article, form in readings.lone:
        by_type = readings.articles[form]
        others = {t: n for t, n in by_type.items() if t != PERSON and n > 0}
        if not others:
            continue
        best = max(sorted(others), key=lambda t: others[t])
        unique = list(others.values()).count(others[best]) == 1
        if unique and others[best] > by_type[PERSON]:
            retyped[(article, form)] = best
    return retyped


def apply(
    graph: ArticleGraph, decisions: Mapping[tuple[str, str], str], ontology: Ontology
) -> ArticleGraph:
    """The article's graph with its names typed as decided: the entities' keys and types,
    and the statements about them under their new keys. A statement whose arguments no
    longer fit its predicate takes its counterpart for the new types (`counterpart`), or
    is not written where there is none (WORKS_FOR with an organization as subject); it
    comes back if the decision turns back, since the article's own reading is kept."""
    aid = graph.article.id
    new_keys: dict[str, str] = {}
    entities: list[Entity] = []
    lone = lone_forms(graph)
    for e in graph.entities:
        etype = decisions.get((aid, form_of(e.key)), e.type)
        if etype != e.type and form_of(e.key) in lone:
            new_keys[e.key] = key_for(etype, form_of(e.key))
            e = replace(e, key=new_keys[e.key], type=etype, read_as=e.type)
        entities.append(e)
    if not new_keys:
        return graph
    types = {e.key: e.type for e in entities}
    statements: dict[str, Statement] = {}
    for s in graph.statements:
        subject, obj = new_keys.get(s.subject, s.subject), new_keys.get(s.object, s.object)
        predicate = counterpart(ontology, s.predicate, types[subject], types[obj])
        if predicate is None:
            continue
        sid = statement_id(aid, predicate, subject, obj, s.start)
        if sid not in statements or statements[sid].confidence < s.confidence:
            statements[sid] = replace(s, id=sid, predicate=predicate, subject=subject, object=obj)
    return replace(
        graph,
        entities=tuple(sorted(entities, key=lambda e: e.key)),
        statements=tuple(sorted(statements.values(), key=lambda s: (s.start, s.id))),
    )


def counterpart(ontology: Ontology, predicate: str, subject: str, object_: str) -> str | None:
    """The predicate a statement takes once its arguments are these types: itself where
    it allows them, else the one relation type that allows them and covers a label it
    covers in some annotation scheme ("Barentsburg LIVES_IN Russia" is LOCATED_IN once
    Barentsburg is a place: both are CrossRE's `physical`); None where there is not
    exactly one."""
    if ontology.allows(predicate, subject, object_):
        return predicate
    labels = ontology.relation_types[predicate].schemes
    fits = [
        name
        for name, rtype in ontology.relation_types.items()
        if ontology.allows(name, subject, object_)
        and any(set(found) & set(rtype.schemes.get(scheme, ())) for scheme, found in labels.items())
    ]
    return fits[0] if len(fits) == 1 else None


def across(graphs: Sequence[ArticleGraph], ontology: Ontology) -> list[ArticleGraph]:
    """The graphs as one run writes them together: what `kg ingest` of these articles
    leaves in the graph, for the evaluations."""
    decisions = decide(readings_of(graphs))
    return [apply(g, decisions, ontology) for g in graphs]


def to_json(graph: ArticleGraph) -> str:
    """An article's own reading, kept on its node so a later run can re-decide its names
    without the text: entities, statements and provenance (the article's fields are the
    node's own)."""
    return json.dumps(
        {
            "entities": [asdict(e) for e in graph.entities],
            "statements": [asdict(s) for s in graph.statements],
            "provenance": asdict(graph.provenance),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def from_json(article: Article, text: str) -> ArticleGraph:
    data: dict[str, Any] = json.loads(text)
    return ArticleGraph(
        article=article,
        entities=tuple(Entity(**{**e, "forms": tuple(e["forms"])}) for e in data["entities"]),
        statements=tuple(Statement(**s) for s in data["statements"]),
        provenance=Provenance(**data["provenance"]),
    )
