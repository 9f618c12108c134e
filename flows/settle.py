"""Stage 3b, settle: one type for a name across articles.

Resolution types a name article by article, so a name read two ways in two articles
("Longyear" a place in one and a person in the next, "Derbyshire" a county side in two
and a person in a third) would be two nodes. Before an article is written, each of its
names takes the type the most articles have given it, this article included: the count
the graph holds (the load stage reads it) plus the articles before it in the same batch.
A known place read as a place stays a place ("Atlanta" the city beside "Atlanta" the
team), and so does a company with its legal form ("Apic Yamada Corp"). A tie keeps the
article's own reading, so it takes more articles than not to re-type a name.

Nodes already written are not re-typed: on an empty graph, the first articles that name
an entity decide most. The outcome does not depend on how a run is cut into batches.
A statement whose arguments the new types do not allow is dropped: it was made about a
misreading. Pure functions over plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from flows.model import ArticleGraph, Entity, Statement
from flows.names import match_form, without_legal_form
from flows.ontology import Ontology
from flows.places import place_forms
from flows.resolve import statement_id

# name part of a key ("longyear" of "location:longyear") -> type -> articles naming it
TypeTally = dict[str, Counter[str]]


def key_name(key: str) -> str:
    return key.partition(":")[2]


def type_key(entity_type: str, name: str) -> str:
    """The key a name has under a type: resolve.entity_key's format."""
    return f"{entity_type.lower()}:{name}"


def sibling_keys(graphs: Iterable[ArticleGraph], types: Collection[str]) -> list[str]:
    """Every key the names of these articles have under any of the types: what the graph
    is asked for before they are settled."""
    return sorted({type_key(t, key_name(e.key)) for g in graphs for e in g.entities for t in types})


def tally_of(counts: Mapping[str, int], types: Collection[str]) -> TypeTally:
    """A TypeTally from the graph's article count per key."""
    by_prefix = {t.lower(): t for t in types}
    tally: TypeTally = {}
    for key, articles in counts.items():
        prefix, _, name = key.partition(":")
        if prefix in by_prefix and articles:
            tally.setdefault(name, Counter())[by_prefix[prefix]] += articles
    return tally


def settle_all(
    graphs: Sequence[ArticleGraph], tally: TypeTally, ontology: Ontology
) -> list[ArticleGraph]:
    """The articles settled one after another, each counted before the next; `tally` is
    left as it was."""
    places = (
        place_forms(ontology.min_city_population) if ontology.min_city_population else frozenset()
    )
    running: TypeTally = {name: Counter(types) for name, types in tally.items()}
    settled = []
    for graph in graphs:
        graph = settle(graph, running, ontology, places)
        for entity in graph.entities:
            running.setdefault(key_name(entity.key), Counter())[entity.type] += 1
        settled.append(graph)
    return settled


def _chosen_type(entity: Entity, known: Counter[str], places: Collection[str]) -> str:
    if entity.type == "Location" and match_form(entity.name) in places:
        return "Location"  # a known place read as one: "Atlanta" the city, not the team
    if entity.type == "Organization" and without_legal_form(entity.name) != entity.name:
        return "Organization"  # "Apic Yamada Corp" says what it is
    votes = known.copy()
    votes[entity.type] += 1
    best = max(votes.values())
    tied = sorted(t for t, n in votes.items() if n == best)
    # A tie goes to a type that two or more articles gave the name before; otherwise to
    # the article's own reading, so one early misreading does not decide all after it.
    held = [t for t in tied if known[t] >= 2]
    if held and entity.type not in held:
        return held[0]
    return entity.type if entity.type in tied else tied[0]


def settle(
    graph: ArticleGraph, tally: TypeTally, ontology: Ontology, places: Collection[str]
) -> ArticleGraph:
    """The article with each name typed as `tally` and its own reading decide."""
    types = set(ontology.types)
    moved: dict[str, tuple[str, str]] = {}  # old key -> (new key, new type)
    for entity in graph.entities:
        name = key_name(entity.key)
        known = tally.get(name)
        if entity.type not in types or not known:
            continue
        chosen = _chosen_type(entity, known, places)
        if chosen != entity.type:
            moved[entity.key] = (type_key(chosen, name), chosen)
    if not moved:
        return graph
    return replace(
        graph,
        entities=_merged(graph.entities, moved),
        statements=_remapped(graph, moved, ontology),
    )


def _merged(entities: Sequence[Entity], moved: Mapping[str, tuple[str, str]]) -> tuple:
    """Entities under their new keys; two that now share a key are one."""
    by_key: dict[str, Entity] = {}
    for entity in entities:
        key, etype = moved.get(entity.key, (entity.key, entity.type))
        entity = replace(entity, key=key, type=etype)
        if key in by_key:
            other = by_key[key]
            name = max((other.name, entity.name), key=len)
            entity = Entity(
                key=key,
                name=name,
                type=etype,
                count=other.count + entity.count,
                forms=tuple(sorted({*other.forms, *entity.forms})),
            )
        by_key[key] = entity
    return tuple(sorted(by_key.values(), key=lambda e: e.key))


def _remapped(
    graph: ArticleGraph, moved: Mapping[str, tuple[str, str]], ontology: Ontology
) -> tuple[Statement, ...]:
    types = {e.key: e.type for e in graph.entities}
    for old, (_, etype) in moved.items():
        types[old] = etype
    statements: dict[str, Statement] = {}
    for s in graph.statements:
        subject = moved.get(s.subject, (s.subject, ""))[0]
        obj = moved.get(s.object, (s.object, ""))[0]
        if subject == obj or not ontology.allows(s.predicate, types[s.subject], types[s.object]):
            continue
        sid = statement_id(graph.article.id, s.predicate, subject, obj, s.start)
        if sid in statements and statements[sid].confidence >= s.confidence:
            continue
        statements[sid] = replace(s, id=sid, subject=subject, object=obj)
    return tuple(sorted(statements.values(), key=lambda s: (s.start, s.id)))
