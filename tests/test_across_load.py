"""Resolution across articles through the load stage, on each store: the graph is the same
whatever order the articles come in, in one run or several, and deleting or changing an
article undoes its part in every decision."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows.across_articles import across
from flows.export import export_records
from flows.load import load_articles, remove_article
from tests.across_graphs import (
    FIRMS,
    FULL,
    LONE,
    PARTY,
    SLIP,
    SURNAME,
    browns,
    graph,
    keys_in,
    read_in,
)


def _load_each(store, ontology, graphs) -> list[dict]:
    for g in graphs:
        load_articles(store, [g], ontology, "t1")
    return export_records(store)


def _empty(store) -> None:
    store.reset()
    store.ensure_schema()


def _same_in_every_order(store, ontology, orders, expected: list[dict]) -> None:
    """Each order, loaded one article per run into an empty store, gives `expected`."""
    for order in orders:
        _empty(store)
        assert _load_each(store, ontology, order) == expected, [g.article.id for g in order]


def _strip_times(records: list[dict]) -> list[dict]:
    for r in records:
        r["properties"].pop("ingested_at", None)
    return records


def test_a_lone_place_is_typed_the_same_whatever_order_and_undone_by_deletion(
    store, ontology
) -> None:
    load_articles(store, [*FIRMS, SLIP], ontology, "t1")
    expected = export_records(store)
    assert "organization:nokia" in {
        r["key"]
        for r in store.read(
            "MATCH (e:Entity)-[:MENTIONED_IN]->(:Article {id: 'slip'}) RETURN e.key AS key"
        )
    }
    _same_in_every_order(
        store, ontology, ([SLIP, *FIRMS], [*FIRMS[:5], SLIP, *FIRMS[5:]]), expected
    )
    remove_article(store, "firm0", ontology)
    after = export_records(store)
    _empty(store)
    load_articles(store, [*FIRMS[1:], SLIP], ontology, "t1")
    assert after == export_records(store)
    assert store.read("MATCH (e:Entity {key: 'location:nokia'}) RETURN count(e) AS n") == [{"n": 1}]


def test_the_graph_is_the_same_whatever_order_the_articles_come_in(store, ontology) -> None:
    together = [LONE, *PARTY]
    load_articles(store, together, ontology, "t1")
    expected = export_records(store)
    labour = store.read(
        "MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article {id: 'lone'}) "
        "WHERE e.name = 'Labour' RETURN e.key AS key, m.read_as AS read_as"
    )
    assert labour == [{"key": "organization:labour", "read_as": "Person"}]
    _same_in_every_order(
        store, ontology, ([LONE, *PARTY], [*PARTY, LONE], [PARTY[0], LONE, PARTY[1]]), expected
    )


def test_deleting_the_majority_gives_an_article_its_own_reading_back(store, ontology) -> None:
    load_articles(store, [LONE, *PARTY], ontology, "t1")
    for party in PARTY:
        remove_article(store, party.article.id, ontology)
    after = export_records(store)
    _empty(store)
    load_articles(store, [LONE], ontology, "t1")
    assert after == export_records(store)
    facts = store.read("MATCH (:Entity {key: 'person:labour'})-[r:LIVES_IN]->(o) RETURN o.key AS o")
    assert facts == [{"o": "location:london"}]


def test_a_changed_article_that_stops_naming_it_undoes_its_vote(store, ontology) -> None:
    load_articles(store, [LONE, *PARTY], ontology, "t1")
    changed = graph("party2", {"London": "Location"})
    load_articles(store, [changed], ontology, "t2")
    after = export_records(store)
    _empty(store)
    load_articles(store, [LONE, PARTY[0], changed], ontology, "t2")
    assert _strip_times(after) == _strip_times(export_records(store))


def test_a_full_name_typed_two_ways_is_the_same_whatever_order_and_undone_by_deletion(
    store, ontology
) -> None:
    parties = read_in("Lib Dem", "party", "Organization", 4)
    people = read_in("Lib Dem", "p", "Person", 2, [("Lib Dem", "LIVES_IN", "London")])
    load_articles(store, [*parties, *people], ontology, "t1")
    expected = export_records(store)
    rows = store.read(
        "MATCH (e:Entity)-[m:MENTIONED_IN]->(a:Article) WHERE e.name = 'Lib Dem' "
        "RETURN e.key AS key, m.read_as AS read_as, count(a) AS n ORDER BY read_as"
    )
    assert rows == [
        {"key": "organization:lib-dem", "read_as": "Organization", "n": 4},
        {"key": "organization:lib-dem", "read_as": "Person", "n": 2},
    ]
    _same_in_every_order(
        store, ontology, ([*people, *parties], [parties[0], *people, *parties[1:]]), expected
    )
    # With two party readings gone, four articles are no longer twice two.
    for party in parties[:2]:
        remove_article(store, party.article.id, ontology)
    after = export_records(store)
    _empty(store)
    load_articles(store, [*parties[2:], *people], ontology, "t1")
    assert after == export_records(store)
    facts = store.read(
        "MATCH (e:Entity {key: 'person:lib-dem'})-[:LIVES_IN]->(o) RETURN o.key AS o"
    )
    assert facts == [{"o": "location:london"}]


def test_a_surname_counts_a_full_name_under_the_type_decided_for_it(store, ontology) -> None:
    # "Cate Blanchett" read as an organization in eight lists and as a person, called
    # "Blanchett", in two; a "Paul Blanchett" once. Counted under the type decided for
    # her, she is named in ten articles against his one, so the lone "Blanchett" beside
    # Johnny Depp is hers, whatever order the articles come in.
    lists = [
        graph(f"list{n}", {"Cate Blanchett": "Organization", "Johnny Depp": "Person"})
        for n in range(8)
    ]
    films = [
        graph(
            f"film{n}",
            {"Cate Blanchett": "Person", "Johnny Depp": "Person"},
            forms={"Cate Blanchett": ("Blanchett",)},
        )
        for n in range(2)
    ]
    rival = graph("rival", {"Paul Blanchett": "Person"})
    lone = graph("lone", {"Blanchett": "Person", "Johnny Depp": "Person"})
    graphs = [*lists, *films, rival, lone]
    assert "person:cate-blanchett" in keys_in(across(graphs, ontology), "lone")
    load_articles(store, graphs, ontology, "t1")
    expected = export_records(store)
    _same_in_every_order(
        store,
        ontology,
        ([lone, rival, *films, *lists], [*lists[:4], lone, *films, rival, *lists[4:]]),
        expected,
    )
    rows = store.read(
        "MATCH (:Entity {key: 'person:cate-blanchett'})-[m:MENTIONED_IN]->(a:Article {id: 'lone'}) "
        "RETURN m.lone AS lone"
    )
    assert rows == [{"lone": True}]


def test_a_linked_surname_is_the_same_whatever_order_and_undone_by_deletion(
    store, ontology
) -> None:
    load_articles(store, [SURNAME, *FULL], ontology, "t1")
    expected = export_records(store)
    linked = store.read(
        "MATCH (e:Entity)-[m:MENTIONED_IN]->(:Article {id: 'surname'}) "
        "RETURN e.key AS key, m.lone AS lone, m.link AS link ORDER BY key"
    )
    assert linked == [
        {"key": "location:london", "lone": True, "link": None},
        {"key": "person:gordon-brown", "lone": False, "link": None},
        {"key": "person:tony-blair", "lone": True, "link": "surname"},
    ]
    # Only a lone reading with a link kind may join a full name: the load stage reads a
    # name back for the link rule only where one does ("London" is no one's surname).
    links = store.read(
        "MATCH (e:Entity) WHERE e.key IN ['location:london', 'person:tony-blair'] "
        "RETURN e.key AS key, e.lone_readers AS lone, e.lone_links AS links ORDER BY key"
    )
    assert links == [
        {"key": "location:london", "lone": 1, "links": 0},
        {"key": "person:tony-blair", "lone": 1, "links": 1},
    ]
    _same_in_every_order(store, ontology, ([*FULL, SURNAME], [FULL[0], SURNAME, FULL[1]]), expected)
    # With one article left that calls him "Blair", the evidence is gone.
    remove_article(store, "full1", ontology)
    after = export_records(store)
    _empty(store)
    load_articles(store, [SURNAME, FULL[1]], ontology, "t1")
    assert after == export_records(store)
    assert {"person:blair", "person:tony-blair"} <= {
        r["key"] for r in store.read("MATCH (e:Entity) RETURN e.key AS key")
    }


def test_a_full_name_keeps_its_name_when_more_articles_join_it_by_surname(store, ontology) -> None:
    lone = [replace(SURNAME, article=replace(SURNAME.article, id=f"surname{n}")) for n in range(3)]
    load_articles(store, [*lone, *FULL], ontology, "t1")
    rows = store.read(
        "MATCH (e:Entity {key: 'person:tony-blair'})-[m:MENTIONED_IN]->() "
        "RETURN e.name AS name, count(m) AS articles"
    )
    assert rows == [{"name": "Tony Blair", "articles": 5}]


def test_a_full_name_in_common_that_comes_later_joins_the_surname(store, ontology) -> None:
    # Two articles call Tony Blair "Mr Blair" but share no full name with SURNAME; a
    # third, written later, names Gordon Brown beside him.
    apart = [
        graph(f"apart{n}", {"Tony Blair": "Person"}, forms={"Tony Blair": ("Mr Blair",)})
        for n in (1, 2)
    ]
    later = graph("later", {"Tony Blair": "Person", "Gordon Brown": "Person"})
    load_articles(store, [SURNAME, *apart], ontology, "t1")
    assert store.read(
        "MATCH (e:Entity)-[:MENTIONED_IN]->(:Article {id: 'surname'}) "
        "WHERE e.key STARTS WITH 'person:' RETURN e.key AS key ORDER BY key"
    ) == [{"key": "person:blair"}, {"key": "person:gordon-brown"}]
    load_articles(store, [later], ontology, "t1")
    after = export_records(store)
    _empty(store)
    load_articles(store, [later, *apart, SURNAME], ontology, "t1")
    assert after == export_records(store)
    assert store.read("MATCH (:Entity {key: 'person:blair'}) RETURN count(*) AS n") == [{"n": 0}]


@pytest.mark.parametrize(
    "rival, articles, brown, title",
    [
        ({"Blair-Brown": "Person", "Alex Ferguson": "Person"}, 1, "person:wes-brown", None),
        # The rival's articles are in the graph too: the store is asked about them.
        ({"Craig Brown": "Person", "Alex Ferguson": "Person"}, 2, "person:brown", None),
        # And so are the titles a lone reading is written with.
        ({"Blair-Brown": "Person", "Alex Ferguson": "Person"}, 1, "person:brown", "Mrs"),
    ],
)
def test_the_names_round_a_surname_pick_the_same_full_name_in_the_load_stage(
    store, ontology, rival, articles, brown, title
) -> None:
    graphs = browns(rival, articles, (f"{title} Brown",) if title else ())
    load_articles(store, graphs, ontology, "t1")
    expected = export_records(store)
    assert store.read(
        "MATCH (e:Entity)-[:MENTIONED_IN]->(:Article {id: 'lone'}) "
        "WHERE e.key STARTS WITH 'person:' RETURN e.key AS key ORDER BY key"
    ) == [{"key": "person:alex-ferguson"}, {"key": brown}]
    _same_in_every_order(
        store,
        ontology,
        ([*graphs[1:], graphs[0]], [graphs[-1], graphs[0], *graphs[1:-1]]),
        expected,
    )
