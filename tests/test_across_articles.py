"""Names typed across articles: a lone word read as a person takes the type most other
articles give the name, and the graph that leaves is the same whatever order the articles
come in, in one run or several, and after deletions."""

from __future__ import annotations

from dataclasses import replace
from itertools import permutations

import pytest

from flows.across_articles import (
    across,
    apply,
    counterpart,
    decide,
    from_json,
    lone_forms,
    readings_of,
    to_json,
)
from flows.export import export_records
from flows.load import load_articles, remove_article
from flows.model import Article, ArticleGraph, Entity, Provenance, Statement
from flows.resolve import statement_id

PROVENANCE = Provenance("en_core_web_sm", "3.8.0", "trained")


def graph(article_id: str, names: dict[str, str], facts=()) -> ArticleGraph:
    """An article's own reading: name -> type, and (subject, predicate, object) facts."""
    entities = tuple(
        sorted(
            (
                Entity(f"{t.lower()}:{n.lower().replace(' ', '-')}", n, t, 1, (n,))
                for n, t in names.items()
            ),
            key=lambda e: e.key,
        )
    )
    key = {e.name: e.key for e in entities}
    sentence = " ".join(names)
    statements = tuple(
        Statement(
            id=statement_id(article_id, p, key[s], key[o], 0),
            subject=key[s],
            predicate=p,
            object=key[o],
            sentence=sentence,
            start=0,
            end=len(sentence),
            confidence=0.9,
            extractor="trained",
            extractor_version="test",
        )
        for s, p, o in facts
    )
    article = Article(article_id, f"{article_id}.txt", article_id, sentence, f"hash-{article_id}")
    return ArticleGraph(article, entities, statements, PROVENANCE)


# "Labour" alone, read as a person, in one article; a party in two others.
LONE = graph(
    "lone",
    {"Labour": "Person", "Gordon Brown": "Person", "London": "Location"},
    [("Labour", "LIVES_IN", "London"), ("Gordon Brown", "WORKS_FOR", "Labour")],
)
PARTY = [graph(f"party{n}", {"Labour": "Organization", "London": "Location"}) for n in (1, 2)]


def types_of(graphs: list[ArticleGraph]) -> dict[str, set[str]]:
    return {g.article.id: {e.key for e in g.entities} for g in graphs}


def test_a_lone_person_takes_the_type_more_articles_give_the_name(ontology) -> None:
    typed = {g.article.id: g for g in across([LONE, *PARTY], ontology)}
    lone = typed["lone"]
    assert "organization:labour" in {e.key for e in lone.entities}
    assert [e.read_as for e in lone.entities if e.key == "organization:labour"] == ["Person"]
    facts = {(s.subject, s.predicate, s.object) for s in lone.statements}
    # Its statements follow it: LIVES_IN becomes its counterpart for an organization
    # (both are CrossRE's `physical`); WORKS_FOR now fits as written.
    assert facts == {
        ("organization:labour", "BASED_IN", "location:london"),
        ("person:gordon-brown", "WORKS_FOR", "organization:labour"),
    }


@pytest.mark.parametrize(
    "others, stays",
    [
        ([PARTY[0]], True),  # one article against one: no majority
        ([PARTY[0], graph("p", {"Labour": "Person", "Ed Labour": "Person"})], True),
        (
            [*PARTY, graph("x", {"Labour": "Location"}), graph("y", {"Labour": "Location"})],
            True,  # two non-person types tie: no one type leads
        ),
    ],
)
def test_without_one_clear_majority_the_article_keeps_its_reading(ontology, others, stays) -> None:
    typed = {g.article.id: g for g in across([LONE, *others], ontology)}
    assert ("person:labour" in {e.key for e in typed["lone"].entities}) is stays


def test_full_names_and_other_types_are_never_retyped(ontology) -> None:
    full = graph("full", {"Gordon Brown": "Person"})
    companies = [graph(f"c{n}", {"Gordon Brown": "Organization"}) for n in range(3)]
    place = graph("place", {"Labour": "Location"})
    typed = across([full, *companies, place, *PARTY], ontology)
    assert types_of(typed)["full"] == {"person:gordon-brown"}
    assert types_of(typed)["place"] == {"location:labour"}  # never Location -> Organization


def test_nothing_becomes_a_person(ontology) -> None:
    people = [graph(f"p{n}", {"Reading": "Person"}) for n in range(3)]
    place = graph("place", {"Reading": "Location"})
    assert types_of(across([*people, place], ontology))["place"] == {"location:reading"}


def test_a_statement_with_no_counterpart_is_not_written(ontology) -> None:
    assert counterpart(ontology, "LIVES_IN", "Location", "Location") == "LOCATED_IN"
    assert counterpart(ontology, "WORKS_FOR", "Organization", "Organization") is None
    boss = graph(
        "boss", {"Labour": "Person", "Acme": "Organization"}, [("Labour", "WORKS_FOR", "Acme")]
    )
    (typed, *_) = across([boss, *PARTY], ontology)
    assert typed.statements == ()


def test_the_decision_is_a_function_of_the_set_of_articles() -> None:
    graphs = [LONE, *PARTY, graph("p", {"Labour": "Person"})]
    decisions = {frozenset(decide(readings_of(order)).items()) for order in permutations(graphs)}
    assert len(decisions) == 1


def test_an_article_that_also_gives_the_name_another_type_keeps_its_call(ontology) -> None:
    # "Labour" beside "the Labour Party": both keys end in `labour` (a party's key drops
    # "Party"), and the article has typed the lone word itself.
    lone = Entity("person:labour", "Labour", "Person", 1, ("Labour",))
    party = Entity("organization:labour", "Labour Party", "Organization", 1, ("Labour Party",))
    both = replace(
        LONE, article=replace(LONE.article, id="both"), entities=(party, lone), statements=()
    )
    assert lone_forms(both) == set()
    typed = {g.article.id: g for g in across([both, *PARTY], ontology)}
    assert {e.key for e in typed["both"].entities} == {"person:labour", "organization:labour"}


def test_an_articles_own_reading_survives_its_json(ontology) -> None:
    assert from_json(LONE.article, to_json(LONE)) == LONE
    retyped = apply(LONE, {("lone", "labour"): "Organization"}, ontology)
    assert retyped != LONE


# The same through the load stage, on each store: any order, any split into runs.


def _load_each(store, ontology, graphs) -> list[dict]:
    for g in graphs:
        load_articles(store, [g], ontology, "t1")
    return export_records(store)


def test_the_graph_is_the_same_whatever_order_the_articles_come_in(store, ontology) -> None:
    together = [LONE, *PARTY]
    load_articles(store, together, ontology, "t1")
    expected = export_records(store)
    labour = store.read(
        "MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article {id: 'lone'}) "
        "WHERE e.name = 'Labour' RETURN e.key AS key, m.read_as AS read_as"
    )
    assert labour == [{"key": "organization:labour", "read_as": "Person"}]
    for order in ([LONE, *PARTY], [*PARTY, LONE], [PARTY[0], LONE, PARTY[1]]):
        store.reset()
        store.ensure_schema()
        assert _load_each(store, ontology, order) == expected, [g.article.id for g in order]


def test_deleting_the_majority_gives_an_article_its_own_reading_back(store, ontology) -> None:
    load_articles(store, [LONE, *PARTY], ontology, "t1")
    for party in PARTY:
        remove_article(store, party.article.id, ontology)
    after = export_records(store)
    store.reset()
    store.ensure_schema()
    load_articles(store, [LONE], ontology, "t1")
    assert after == export_records(store)
    facts = store.read("MATCH (:Entity {key: 'person:labour'})-[r:LIVES_IN]->(o) RETURN o.key AS o")
    assert facts == [{"o": "location:london"}]


def test_a_changed_article_that_stops_naming_it_undoes_its_vote(store, ontology) -> None:
    load_articles(store, [LONE, *PARTY], ontology, "t1")
    changed = graph("party2", {"London": "Location"})
    load_articles(store, [changed], ontology, "t2")
    after = export_records(store)
    store.reset()
    store.ensure_schema()
    load_articles(store, [LONE, PARTY[0], changed], ontology, "t2")
    assert _strip_times(after) == _strip_times(export_records(store))


def _strip_times(records: list[dict]) -> list[dict]:
    for r in records:
        r["properties"].pop("ingested_at", None)
    return records
