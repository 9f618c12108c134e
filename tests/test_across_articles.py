"""Names resolved across articles: a lone word read as a person takes the type most other
articles give the name, a full name typed two ways takes one type, a lone surname or
acronym joins the one full name other articles call by it, and the graph that leaves is
the same whatever order the articles come in, in one run or several, and after
deletions."""

from __future__ import annotations

from dataclasses import replace
from itertools import permutations

import pytest

from flows.across_articles import (
    across,
    apply,
    counterpart,
    decide,
    lone_readings,
    readings_of,
)
from flows.export import export_records
from flows.load import load_articles, remove_article
from flows.model import (
    Article,
    ArticleGraph,
    Entity,
    Provenance,
    Statement,
    reading_from_json,
    reading_to_json,
)
from flows.resolve import statement_id

PROVENANCE = Provenance("en_core_web_sm", "3.8.0", "trained")


def graph(
    article_id: str,
    names: dict[str, str],
    facts=(),
    forms: dict[str, tuple[str, ...]] | None = None,
) -> ArticleGraph:
    """An article's own reading: name -> type, and (subject, predicate, object) facts;
    `forms`, the other ways the article writes a name ("Mr Blair" for "Tony Blair")."""
    entities = tuple(
        sorted(
            (
                Entity(
                    f"{t.lower()}:{n.lower().replace(' ', '-')}",
                    n,
                    t,
                    1,
                    (n, *(forms or {}).get(n, ())),
                )
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


def test_a_tie_goes_to_the_other_type(ontology) -> None:
    # One article reads "Labour" alone as a person, one as the party: a lone word is rarely
    # all a person is called, so the person's reading gives way (CrossRE dev: "Somerset",
    # "Haitai", "Ericsson", each a person in one article and an organization in another).
    typed = {g.article.id: g for g in across([LONE, PARTY[0]], ontology)}
    assert "organization:labour" in {e.key for e in typed["lone"].entities}


def test_a_known_person_s_surname_is_not_retyped(ontology) -> None:
    # "Keane" alone in a team sheet; a band of that name in three articles, and Roy
    # Keane called "Keane" in two: the lone reading may be his, so it stays a person's.
    sheet = graph("sheet", {"Keane": "Person", "Manchester United": "Organization"})
    band = [graph(f"band{n}", {"Keane": "Organization"}) for n in range(3)]
    typed = across([sheet, *band, *calling("roy", "Roy Keane", "Keane", 2)], ontology)
    assert "organization:keane" not in keys_in(typed, "sheet")
    # Without Roy Keane the band's reading leads, as before.
    typed = across([sheet, *band], ontology)
    assert "organization:keane" in keys_in(typed, "sheet")


def test_other_types_are_never_traded_for_one_another(ontology) -> None:
    place = graph("place", {"Labour": "Location"})
    typed = across([place, *PARTY], ontology)
    assert types_of(typed)["place"] == {"location:labour"}  # never Location -> Organization


# "Nokia" read as a place once ("companies such as Nokia, Sagem, Sony and Thomson").
FIRMS = [graph(f"firm{n}", {"Nokia": "Organization"}) for n in range(10)]
SLIP = graph("slip", {"Nokia": "Location", "Sony": "Organization"})


def test_a_lone_place_no_list_knows_takes_the_type_ten_times_as_many_articles_give(
    ontology,
) -> None:
    assert "organization:nokia" in keys_in(across([*FIRMS, SLIP], ontology), "slip")
    assert "location:nokia" in keys_in(across([*FIRMS[:9], SLIP], ontology), "slip")
    # A place the lists know stays: a town and its club are two entities.
    clubs = [graph(f"club{n}", {"Leicester": "Organization"}) for n in range(12)]
    town = graph("town", {"Leicester": "Location"})
    assert "location:leicester" in keys_in(across([*clubs, town], ontology), "town")


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
    for order in ([SLIP, *FIRMS], [*FIRMS[:5], SLIP, *FIRMS[5:]]):
        store.reset()
        store.ensure_schema()
        assert _load_each(store, ontology, order) == expected, [g.article.id for g in order]
    remove_article(store, "firm0", ontology)
    after = export_records(store)
    store.reset()
    store.ensure_schema()
    load_articles(store, [*FIRMS[1:], SLIP], ontology, "t1")
    assert after == export_records(store)
    assert store.read("MATCH (e:Entity {key: 'location:nokia'}) RETURN count(e) AS n") == [{"n": 1}]


# Full names typed two ways: "Lib Dem" a person where it modifies a noun ("Tory and Lib
# Dem leaders"), "Cate Blanchett" an organization in a list of actors.
def _read(name: str, prefix: str, etype: str, n: int, facts=()) -> list[ArticleGraph]:
    return [graph(f"{prefix}{i}", {name: etype, "London": "Location"}, facts) for i in range(n)]


def test_a_full_name_starting_with_a_given_name_is_a_person_everywhere(ontology) -> None:
    lists = _read(
        "Cate Blanchett", "list", "Organization", 3, [("Cate Blanchett", "BASED_IN", "London")]
    )
    # The one article that reads her as a person calls her "Blanchett" too.
    film = graph(
        "film",
        {"Cate Blanchett": "Person", "London": "Location"},
        forms={"Cate Blanchett": ("Blanchett",)},
    )
    typed = across([*lists, film], ontology)
    for i in range(3):
        assert keys_in(typed, f"list{i}") == {"person:cate-blanchett", "location:london"}
    # Its statements follow it: BASED_IN becomes its counterpart for a person.
    assert {s.predicate for s in typed[0].statements} == {"LIVES_IN"}
    # Without the surname, one article against three is no evidence: "William Hill", the
    # bookmaker, read as a person once. A name like a person's is never made anything else.
    unnamed = graph("film", {"Cate Blanchett": "Person", "London": "Location"})
    typed = across([*lists, unnamed], ontology)
    assert "organization:cate-blanchett" in keys_in(typed, "list0")
    assert "person:cate-blanchett" in keys_in(typed, "film")
    # More articles reading it as a person than as anything else are evidence too.
    people = [replace(unnamed, article=replace(unnamed.article, id=f"film{n}")) for n in range(4)]
    assert "person:cate-blanchett" in keys_in(across([*lists, *people], ontology), "list0")


@pytest.mark.parametrize(
    "parties, people, becomes",
    [
        (4, 2, "organization:lib-dem"),  # twice as many articles
        (3, 2, "person:lib-dem"),  # not twice as many
        (2, 1, "person:lib-dem"),  # twice, but two articles are too few
    ],
)
def test_a_full_name_read_as_a_person_gives_way_to_twice_as_many_articles(
    ontology, parties, people, becomes
) -> None:
    graphs = [
        *_read("Lib Dem", "party", "Organization", parties),
        *_read("Lib Dem", "p", "Person", people),
    ]
    assert f"{becomes.split(':')[0]}:lib-dem" in keys_in(across(graphs, ontology), "p0")
    assert "organization:lib-dem" in keys_in(across(graphs, ontology), "party0")


def test_a_full_name_s_other_non_person_readings_stand(ontology) -> None:
    # "Manchester City": the town's Location in most articles, the club in one, a person
    # in one. The person reading takes the leading type; the club stays a club.
    graphs = [
        *_read("Manchester City", "town", "Location", 3),
        *_read("Manchester City", "club", "Organization", 1),
        *_read("Manchester City", "p", "Person", 1),
    ]
    typed = across(graphs, ontology)
    assert "location:manchester-city" in keys_in(typed, "p0")
    assert "organization:manchester-city" in keys_in(typed, "club0")


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


def test_the_decision_is_a_function_of_the_set_of_articles(ontology) -> None:
    graphs = [LONE, *PARTY, graph("p", {"Labour": "Person"})]
    decisions = {
        frozenset(decide(readings_of(order), ontology).items()) for order in permutations(graphs)
    }
    assert len(decisions) == 1


def test_an_article_that_also_gives_the_name_another_type_keeps_its_call(ontology) -> None:
    # "Labour" beside "the Labour Party": both keys end in `labour` (a party's key drops
    # "Party"), and the article has typed the lone word itself.
    lone = Entity("person:labour", "Labour", "Person", 1, ("Labour",))
    party = Entity("organization:labour", "Labour Party", "Organization", 1, ("Labour Party",))
    both = replace(
        LONE, article=replace(LONE.article, id="both"), entities=(party, lone), statements=()
    )
    assert lone_readings(both) == {}
    typed = {g.article.id: g for g in across([both, *PARTY], ontology)}
    assert {e.key for e in typed["both"].entities} == {"person:labour", "organization:labour"}


def test_an_articles_own_reading_survives_its_json(ontology) -> None:
    assert reading_from_json(LONE.article, reading_to_json(LONE)) == LONE
    retyped = apply(LONE, {("lone", "labour"): "organization:labour"}, ontology)
    assert retyped != LONE


# "Blair" alone in one article; "Tony Blair", called "Mr Blair" too, in two others. Each
# names "Gordon Brown" too: the articles share a full name.
SURNAME = graph(
    "surname",
    {"Blair": "Person", "London": "Location", "Gordon Brown": "Person"},
    [("Blair", "LIVES_IN", "London")],
    forms={"Blair": ("Mr Blair",)},
)
FULL = [
    graph(
        f"full{n}",
        {"Tony Blair": "Person", "Gordon Brown": "Person"},
        forms={"Tony Blair": ("Mr Blair",)},
    )
    for n in (1, 2)
]


def keys_in(graphs: list[ArticleGraph], article_id: str) -> set[str]:
    return types_of(graphs)[article_id]


def calling(
    prefix: str, name: str, short: str, articles: int, beside: dict[str, str] | None = None
) -> list[ArticleGraph]:
    """`articles` articles that name the person `name` beside `beside` and call him
    `short` too ("Mr Blair" beside "Tony Blair")."""
    return [
        graph(f"{prefix}{n}", {name: "Person", **(beside or {})}, forms={name: (short,)})
        for n in range(articles)
    ]


def test_a_lone_surname_joins_the_one_full_name_other_articles_call_by_it(ontology) -> None:
    typed = {g.article.id: g for g in across([SURNAME, *FULL], ontology)}
    assert keys_in(list(typed.values()), "surname") == {
        "person:tony-blair",
        "location:london",
        "person:gordon-brown",
    }
    (fact,) = typed["surname"].statements
    assert (fact.subject, fact.predicate) == ("person:tony-blair", "LIVES_IN")


@pytest.mark.parametrize(
    "others",
    [
        # Named in full twice, but never called "Blair" there: no evidence it goes by it.
        [graph(f"f{n}", {"Tony Blair": "Person"}) for n in (1, 2)],
        # Called "Blair" in one article only.
        [FULL[0]],
        # Another Blair, one article in three: not nine times as common.
        [*FULL, graph("cherie", {"Cherie Blair": "Person"})],
        # No full name in common with the articles that give Tony Blair: a "Blair" in a
        # squad list is not the prime minister.
        [
            graph(f"f{n}", {"Tony Blair": "Person"}, forms={"Tony Blair": ("Mr Blair",)})
            for n in (1, 2)
        ],
    ],
)
def test_a_lone_surname_without_unambiguous_evidence_stays(ontology, others) -> None:
    typed = across([SURNAME, *others], ontology)
    assert "person:blair" in keys_in(typed, "surname")


def test_a_first_name_after_a_title_or_an_article_with_its_own_full_name_stays(
    ontology,
) -> None:
    prince = graph("prince", {"Charles": "Person"}, forms={"Charles": ("Prince Charles",)})
    ray = [
        graph(f"r{n}", {"Ray Charles": "Person"}, forms={"Ray Charles": ("Charles",)})
        for n in (1, 2)
    ]
    # "Blair" beside "Cherie Blair": the article itself left them apart.
    own = graph("own", {"Blair": "Person", "Cherie Blair": "Person"})
    typed = across([prince, *ray, own, *FULL], ontology)
    assert keys_in(typed, "prince") == {"person:charles"}
    assert keys_in(typed, "own") == {"person:blair", "person:cherie-blair"}


def test_a_lone_acronym_joins_the_name_of_its_initials(ontology) -> None:
    lone = graph("imf", {"IMF": "Organization", "World Bank": "Organization"})
    full = [
        graph(
            f"fund{n}",
            {"International Monetary Fund": "Organization", "World Bank": "Organization"},
            forms={"International Monetary Fund": ("IMF",)},
        )
        for n in (1, 2)
    ]
    assert keys_in(across([lone, *full], ontology), "imf") == {
        "organization:international-monetary-fund",
        "organization:world-bank",
    }


def test_a_fuller_writing_of_the_same_name_is_no_rival(ontology) -> None:
    # "George Bush" in six articles beside "George W Bush" in twenty: one name written
    # more or less fully, so "Bush" goes by the one that leads; Kate Bush, once, does not
    # make it ambiguous.
    lone = graph("lone", {"Bush": "Person", "Tony Blair": "Person"})
    full = calling("w", "George W Bush", "Mr Bush", 20, {"Tony Blair": "Person"})
    plain = [graph(f"g{n}", {"George Bush": "Person"}) for n in range(6)]
    kate = graph("kate", {"Kate Bush": "Person"})
    typed = across([lone, *full, *plain, kate], ontology)
    assert keys_in(typed, "lone") == {"person:george-w-bush", "person:tony-blair"}
    jeb = [graph(f"j{n}", {"Jeb Bush": "Person"}) for n in range(3)]
    assert "person:bush" in keys_in(across([lone, *full, *jeb], ontology), "lone")


def _browns(
    rival_names: dict[str, str], rival_articles: int, written: tuple[str, ...] = ()
) -> list[ArticleGraph]:
    """A lone "Brown" in a Manchester United line-up (also `written` so); Gordon Brown,
    who leads, but not nine times over, in articles about Tony Blair; Wes Brown in two
    United articles; and a rival Brown named beside `rival_names` in `rival_articles`
    articles."""
    united = {"Manchester United": "Organization", "Alex Ferguson": "Person"}
    lone = graph("lone", {"Brown": "Person", **united}, forms={"Brown": written})
    gordon = calling("gb", "Gordon Brown", "Mr Brown", 10, {"Tony Blair": "Person"})
    wes = calling("wb", "Wes Brown", "Brown", 2, united)
    rival = [graph(f"r{n}", rival_names) for n in range(rival_articles)]
    return [lone, *gordon, *wes, *rival]


def test_where_no_full_name_leads_the_names_round_a_surname_pick_the_one(ontology) -> None:
    # Craig Brown in two articles is a rival, if never round United; "Blair-Brown", in
    # one article that does not call it "Brown", is none, even beside Alex Ferguson.
    for rival, articles in [
        ({"Craig Brown": "Person", "Tony Blair": "Person"}, 2),
        ({"Blair-Brown": "Person", "Alex Ferguson": "Person"}, 1),
    ]:
        typed = across(_browns(rival, articles), ontology)
        assert keys_in(typed, "lone") == {
            "person:wes-brown",
            "organization:manchester-united",
            "person:alex-ferguson",
        }


@pytest.mark.parametrize("title, joins", [("Mr", True), ("Ms", False), ("Dr", True)])
def test_a_title_of_the_other_sex_keeps_a_surname_from_a_full_name(ontology, title, joins) -> None:
    graphs = _browns({"Blair-Brown": "Person"}, 1, written=(f"{title} Brown",))
    assert ("person:wes-brown" in keys_in(across(graphs, ontology), "lone")) is joins
    # The same for a full name that leads: "Baroness Kennedy" is not Charles Kennedy.
    lone = graph(
        "lone",
        {"Kennedy": "Person", "Tony Blair": "Person"},
        forms={"Kennedy": (f"{title} Kennedy",)},
    )
    full = calling("k", "Charles Kennedy", "Mr Kennedy", 2, {"Tony Blair": "Person"})
    linked = "person:charles-kennedy" in keys_in(across([lone, *full], ontology), "lone")
    assert linked is joins


@pytest.mark.parametrize(
    "rival, articles",
    [
        # Another Brown round the same names: ambiguous, so "Brown" stays.
        ({"Craig Brown": "Person", "Alex Ferguson": "Person"}, 2),
        # One name in common is not enough.
        ({"Craig Brown": "Person"}, 0),
        # Nor two among the eleven of a line-up.
        ({"Craig Brown": "Person"}, -1),
    ],
)
def test_a_surname_the_names_round_it_do_not_settle_stays(ontology, rival, articles) -> None:
    graphs = _browns(rival, max(articles, 0))
    if not articles:  # the line-up names Alex Ferguson only
        graphs[0] = graph("lone", {"Brown": "Person", "Alex Ferguson": "Person"})
    if articles < 0:  # United and Ferguson among nine players of the other side
        others = {f"Player{chr(65 + n)} Smith": "Person" for n in range(9)}
        graphs[0] = replace(graphs[0], entities=graphs[0].entities + graph("x", others).entities)
    assert "person:brown" in keys_in(across(graphs, ontology), "lone")


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


def test_a_full_name_typed_two_ways_is_the_same_whatever_order_and_undone_by_deletion(
    store, ontology
) -> None:
    parties = _read("Lib Dem", "party", "Organization", 4)
    people = _read("Lib Dem", "p", "Person", 2, [("Lib Dem", "LIVES_IN", "London")])
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
    for order in ([*people, *parties], [parties[0], *people, *parties[1:]]):
        store.reset()
        store.ensure_schema()
        assert _load_each(store, ontology, order) == expected, [g.article.id for g in order]
    # With two party readings gone, four articles are no longer twice two.
    for party in parties[:2]:
        remove_article(store, party.article.id, ontology)
    after = export_records(store)
    store.reset()
    store.ensure_schema()
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
    for order in ([lone, rival, *films, *lists], [*lists[:4], lone, *films, rival, *lists[4:]]):
        store.reset()
        store.ensure_schema()
        assert _load_each(store, ontology, order) == expected, [g.article.id for g in order]
    rows = store.read(
        "MATCH (:Entity {key: 'person:cate-blanchett'})-[m:MENTIONED_IN]->(a:Article {id: 'lone'}) "
        "RETURN m.lone AS lone"
    )
    assert rows == [{"lone": True}]


def _strip_times(records: list[dict]) -> list[dict]:
    for r in records:
        r["properties"].pop("ingested_at", None)
    return records


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
    for order in ([*FULL, SURNAME], [FULL[0], SURNAME, FULL[1]]):
        store.reset()
        store.ensure_schema()
        assert _load_each(store, ontology, order) == expected, [g.article.id for g in order]
    # With one article left that calls him "Blair", the evidence is gone.
    remove_article(store, "full1", ontology)
    after = export_records(store)
    store.reset()
    store.ensure_schema()
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
    store.reset()
    store.ensure_schema()
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
    graphs = _browns(rival, articles, (f"{title} Brown",) if title else ())
    load_articles(store, graphs, ontology, "t1")
    expected = export_records(store)
    assert store.read(
        "MATCH (e:Entity)-[:MENTIONED_IN]->(:Article {id: 'lone'}) "
        "WHERE e.key STARTS WITH 'person:' RETURN e.key AS key ORDER BY key"
    ) == [{"key": "person:alex-ferguson"}, {"key": brown}]
    for order in ([*graphs[1:], graphs[0]], [graphs[-1], graphs[0], *graphs[1:-1]]):
        store.reset()
        store.ensure_schema()
        assert _load_each(store, ontology, order) == expected, [g.article.id for g in order]
