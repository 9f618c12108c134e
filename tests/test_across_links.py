"""A lone surname or acronym joins the one full name other articles call by it, where the
evidence is unambiguous; where no full name leads, the article's own names decide."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows.across_articles import across
from tests.across_graphs import FULL, SURNAME, browns, calling, graph, keys_in


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


def test_where_no_full_name_leads_the_names_round_a_surname_pick_the_one(ontology) -> None:
    # Craig Brown in two articles is a rival, if never round United; "Blair-Brown", in
    # one article that does not call it "Brown", is none, even beside Alex Ferguson.
    for rival, articles in [
        ({"Craig Brown": "Person", "Tony Blair": "Person"}, 2),
        ({"Blair-Brown": "Person", "Alex Ferguson": "Person"}, 1),
    ]:
        typed = across(browns(rival, articles), ontology)
        assert keys_in(typed, "lone") == {
            "person:wes-brown",
            "organization:manchester-united",
            "person:alex-ferguson",
        }


@pytest.mark.parametrize("title, joins", [("Mr", True), ("Ms", False), ("Dr", True)])
def test_a_title_of_the_other_sex_keeps_a_surname_from_a_full_name(ontology, title, joins) -> None:
    graphs = browns({"Blair-Brown": "Person"}, 1, written=(f"{title} Brown",))
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
    graphs = browns(rival, max(articles, 0))
    if not articles:  # the line-up names Alex Ferguson only
        graphs[0] = graph("lone", {"Brown": "Person", "Alex Ferguson": "Person"})
    if articles < 0:  # United and Ferguson among nine players of the other side
        others = {f"Player{chr(65 + n)} Smith": "Person" for n in range(9)}
        graphs[0] = replace(graphs[0], entities=graphs[0].entities + graph("x", others).entities)
    assert "person:brown" in keys_in(across(graphs, ontology), "lone")
