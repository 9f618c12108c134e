"""Results lines (flows/relations/scores.py): a line of two sides, each followed by its
score, says who beat whom; a draw, that they played each other. Through the product's
extractor, the real recognizer deciding what a side is."""

from __future__ import annotations

import pytest

from flows.clean import clean
from flows.read import make_article


def _relations(extractor, ontology, text: str) -> set[tuple[str, str, str, str]]:
    parsed = next(extractor.parse([clean(make_article("t", "t", text), ontology.drop_lines)]))
    extraction = extractor.extract_doc(*parsed)
    mentions = extraction.mentions
    return {
        (mentions[r.subject].text, r.predicate, mentions[r.object].text, r.extractor)
        for r in extraction.relations
    }


@pytest.mark.parametrize(
    "line, fact",
    [
        ("Pohang 3 Ulsan 2 ( halftime 1-0 )", ("Pohang", "DEFEATED", "Ulsan")),
        ("Minnesota 6 MILWAUKEE 1", ("Minnesota", "DEFEATED", "MILWAUKEE")),
        # The side named second can be the winner.
        ("Arsenal 1 Chelsea 2", ("Chelsea", "DEFEATED", "Arsenal")),
    ],
)
def test_the_side_with_more_beat_the_other(extractor, ontology, line, fact) -> None:
    found = _relations(extractor, ontology, line)
    assert (*fact, "scores") in found, found
    assert ontology.results_lines is not None
    assert fact[1] == ontology.results_lines.win


def test_a_draw_is_two_sides_that_played_each_other(extractor, ontology) -> None:
    found = _relations(extractor, ontology, "Chicago 4 HOUSTON 3\n\nAtlanta 5 PITTSBURGH 5")
    assert ("Chicago", "DEFEATED", "HOUSTON", "scores") in found, found
    draws = {r for r in found if r[3] == "scores" and "Atlanta" in r}
    assert {r[1] for r in draws} == {ontology.results_lines.draw}, found


@pytest.mark.parametrize(
    "text",
    [
        # People are no sides: a list of scorers is written like a result.
        "Leading scorers: Alan Shearer 23 Robbie Fowler 18",
        # Not at the start of its sentence: the rule keeps to lines of results, and leaves
        # prose to the model.
        "He said Minnesota 6 MILWAUKEE 1 was a surprise.",
        # A year is no score.
        "Everton 2004 Liverpool 1",
    ],
)
def test_no_result_without_sides_and_scores_opening_a_line(extractor, ontology, text) -> None:
    found = _relations(extractor, ontology, text)
    assert not {r for r in found if r[3] == "scores"}, found


@pytest.mark.parametrize(
    "line, fixtures",
    [
        (
            "Republic of Ireland v France; Cyprus v Switzerland; Faroe Islands v Israel.",
            {
                ("Republic of Ireland", "France"),
                ("Cyprus", "Switzerland"),
                ("Faroe Islands", "Israel"),
            },
        ),
        (
            "France v Switzerland; Israel v Republic of Ireland.",
            {("France", "Switzerland"), ("Israel", "Republic of Ireland")},
        ),
        # A country the model reads as a person is a fixture's side all the same.
        ("Lesotho v Malawi", {("Lesotho", "Malawi")}),
        # The semicolon written close up to a side's name cuts the model's span there.
        (
            "France v Cyprus; Republic of Ireland v Switzerland.",
            {("France", "Cyprus"), ("Republic of Ireland", "Switzerland")},
        ),
    ],
)
def test_a_line_of_fixtures_pairs_each_side_with_the_one_across_its_v(
    extractor, ontology, line, fixtures
) -> None:
    """Each fixture is a pair of opponents, and no side is another fixture's: the model
    alone pairs "Israel" with "Republic of Ireland" in the first line."""
    found = _relations(extractor, ontology, line)
    assert ontology.results_lines is not None
    fixture = ontology.results_lines.fixture
    assert {(s, o) for s, p, o, x in found if x == "scores"} == fixtures, found
    assert {(s, o) for s, p, o, _ in found if p == fixture} == fixtures, found
