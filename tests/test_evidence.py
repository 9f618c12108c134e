"""What the syntax between two names rules out, whatever an extractor reads there: two
names in a list, for BASED_IN a verb other than "be", "base", "headquarter", "locate", for
KILLED a sentence without a word of death or attack, and for LIVES_IN a place that only
qualifies a thing ("the Iraq war"; schema/ontology.yaml)."""

from __future__ import annotations

from flows.relations import FoundRelation
from tests.test_extract import extract, relations


class _EveryPair:
    """A relation extractor that reads every ordered pair of a subject and an object type
    as one predicate."""

    name = "every-pair"
    version = "test"
    calibrated = True

    def __init__(self, predicate: str, subject_type: str, object_type: str) -> None:
        self.predicate, self.subject_type, self.object_type = predicate, subject_type, object_type

    def extract(self, doc, candidates) -> list[FoundRelation]:
        return [
            FoundRelation(self.predicate, i, j, 1.0, self.name, self.version)
            for i, a in enumerate(candidates)
            for j, b in enumerate(candidates)
            if i != j and a.type == self.subject_type and b.type == self.object_type
        ]


def _reading(extractor, ontology, predicate: str, subject_type: str, object_type: str):
    from flows.extract import Extractor

    every = _EveryPair(predicate, subject_type, object_type)
    return Extractor(extractor.nlp, ontology, (every,), extractor.casing)


def test_two_names_in_a_list_hold_no_place_or_membership(extractor, ontology) -> None:
    every = _reading(extractor, ontology, "LOCATED_IN", "Location", "Location")
    # (Not two countries: geography rules a country inside another out anyway.)
    found = relations(extract(every, ontology, "Floods hit Bavaria and Austria on Monday."))
    assert ("Bavaria", "LOCATED_IN", "Austria") not in found
    # A comma alone makes no list: "Houston, Texas".
    found = relations(extract(every, ontology, "Floods hit Houston, Texas, on Monday."))
    assert ("Houston", "LOCATED_IN", "Texas") in found
    # Opponents are often listed: the rule is the type's, not every type's.
    every = _reading(extractor, ontology, "OPPOSES", "Location", "Location")
    found = relations(extract(every, ontology, "Talks between France and Germany failed."))
    assert ("France", "OPPOSES", "Germany") in found


def test_an_organization_is_based_where_its_phrase_or_a_verb_of_place_says(
    extractor, ontology
) -> None:
    every = _reading(extractor, ontology, "BASED_IN", "Organization", "Location")
    found = relations(extract(every, ontology, "The firm Yukos filed a suit in Houston."))
    assert ("Yukos", "BASED_IN", "Houston") not in found
    found = relations(extract(every, ontology, "Shares in Germany's SAP rose on Monday."))
    assert ("SAP", "BASED_IN", "Germany") in found
    found = relations(extract(every, ontology, "Microsoft is based in Redmond, Washington."))
    assert ("Microsoft", "BASED_IN", "Redmond") in found


def test_a_killing_is_read_only_where_the_sentence_speaks_of_one(extractor, ontology) -> None:
    every = _reading(extractor, ontology, "KILLED", "Person", "Person")
    found = relations(
        extract(every, ontology, "David Prutton pushed referee Alan Wiley after the match.")
    )
    assert ("David Prutton", "KILLED", "Alan Wiley") not in found
    found = relations(
        extract(every, ontology, "Police said John Smith shot Peter Jones outside the bar.")
    )
    assert ("John Smith", "KILLED", "Peter Jones") in found


def test_a_place_that_qualifies_a_thing_is_the_thing_s(extractor, ontology) -> None:
    every = _reading(extractor, ontology, "LIVES_IN", "Person", "Location")

    def found(text: str) -> set[tuple[str, str, str]]:
        return relations(extract(every, ontology, text))

    assert ("Charles Kennedy", "LIVES_IN", "Iraq") not in found(
        "Charles Kennedy will highlight the anger over the Iraq war on Monday."
    )
    assert ("Will Smith", "LIVES_IN", "United States") not in found(
        "Will Smith loses his US box office crown."
    )
    # Within the person's own phrase the place is the person's.
    assert ("Hugh Jackman", "LIVES_IN", "Australian") in found(
        "The favourites include Australian star Hugh Jackman."
    )
    assert ("Lilian Marks", "LIVES_IN", "London") in found("She was born Lilian Marks in London.")
    # A place qualifying a home or a role is the person's.
    assert ("Harry Reasoner", "LIVES_IN", "Iowa") in found(
        "CBS newsman Harry Reasoner is returning to his Iowa hometown to get married."
    )
