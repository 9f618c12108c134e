"""What the words round a name say it is: a classifier noun before it ("oil giant
Yukos"), a plural verb after a team ("Nice have"), a hyphened award participle
("Oscar-winning"), an indefinite article ("a first Grand Slam"), a name's last word
("Manchester United"); and an acronym read as a place that no place has ("BT")."""

from __future__ import annotations

from flows.classifiers import classifying_noun
from flows.teams import agrees_as_team


def labelled(extractor, text: str, label: str, *names: str) -> set[tuple[str, str]]:
    """The (text, label) of every entity span repair keeps when the recognizer reads each
    occurrence of each name with `label`."""
    doc = extractor.nlp(text)
    spans = [
        doc.char_span(i, i + len(name), label=label)
        for name in names
        for i in range(len(text))
        if text.startswith(name, i)
    ]
    doc.ents = [
        e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)
    ] + spans
    return {(e.text, e.label_) for e in extractor.repair(doc)}


def test_a_classifier_noun_types_every_mention_of_the_name(extractor) -> None:
    text = "Russian oil giant Yukos filed for bankruptcy. Yukos owes $27bn."
    assert labelled(extractor, text, "PERSON", "Yukos") >= {("Yukos", "ORG")}
    assert ("Yukos", "PERSON") not in labelled(extractor, text, "PERSON", "Yukos")
    text = "He joined Premiership side Everton, and Everton won."
    assert ("Everton", "ORG") in labelled(extractor, text, "GPE", "Everton")
    assert ("Everton", "GPE") not in labelled(extractor, text, "GPE", "Everton")
    # A work or an award is no entity of the ontology: every mention goes.
    text = "Leigh made the film Vera Drake. Vera Drake won."
    assert "Vera Drake" not in {t for t, _ in labelled(extractor, text, "ORG", "Vera Drake")}
    # No classifier: the recognizer's type stands.
    text = "Shares in Yukos fell. Yukos owes $27bn."
    assert ("Yukos", "PERSON") in labelled(extractor, text, "PERSON", "Yukos")


def test_two_classifiers_that_disagree_leave_the_type_alone(extractor) -> None:
    text = "The club Everton lost. The city Everton is cold."
    assert ("Everton", "GPE") in labelled(extractor, text, "GPE", "Everton")


def test_only_a_noun_in_one_phrase_with_the_name_classifies(extractor) -> None:
    doc = extractor.nlp("Russian oil giant Yukos said so. He sold the firm, Yukos said.")
    nouns = {"giant": "Organization", "firm": "Organization"}
    first, second = (doc[i : i + 1] for i, t in enumerate(doc) if t.text == "Yukos")
    assert classifying_noun(first, nouns) == "giant"
    # A comma between: not one phrase.
    assert classifying_noun(second, nouns) is None


def test_a_place_with_a_plural_verb_is_a_team(extractor) -> None:
    doc = extractor.nlp("Nice have been unable to win. Nice is warm. Lens and Nice have drawn.")
    nice = [doc[i : i + 1] for i, t in enumerate(doc) if t.text == "Nice"]
    assert [agrees_as_team(span) for span in nice] == [True, False, False]
    text = "Nice have been unable to win since Baratelli played for Nice."
    assert labelled(extractor, text, "GPE", "Nice") >= {("Nice", "ORG")}
    assert ("Nice", "GPE") not in labelled(extractor, text, "GPE", "Nice")


def test_a_name_hyphened_to_an_award_participle_is_an_award(extractor) -> None:
    text = "The Oscar-winning actor spoke. Oscar voters agreed."
    assert "Oscar" not in {t for t, _ in labelled(extractor, text, "PERSON", "Oscar")}
    text = "The London-based actor spoke in London."
    assert ("London", "GPE") in labelled(extractor, text, "GPE", "London")


def test_no_name_takes_an_indefinite_article(extractor) -> None:
    text = "Wales chase a first Grand Slam since 1978."
    assert "Grand Slam" not in {t for t, _ in labelled(extractor, text, "GPE", "Grand Slam")}
    # "a" is the win's, not Chelsea's.
    text = "It was a Chelsea win at Stamford Bridge."
    assert ("Chelsea", "ORG") in labelled(extractor, text, "ORG", "Chelsea")


def test_an_acronym_no_place_has_is_an_organization(extractor) -> None:
    text = "BT has moved to cut prices for rivals."
    assert labelled(extractor, text, "GPE", "BT") >= {("BT", "ORG")}
    # A place's acronym in the schema's aliases stays a place.
    text = "Prices rose in the UK last year."
    assert ("UK", "GPE") in labelled(extractor, text, "GPE", "UK")
    # In a line in capitals every word is in capitals: it says nothing.
    text = "SOCCER - RESULTS FROM DUBLIN TODAY\nDublin won."
    assert ("DUBLIN", "GPE") in labelled(extractor, text, "GPE", "DUBLIN")


def test_a_name_ending_in_an_organizations_word_is_an_organization(extractor) -> None:
    text = "Shares in Manchester United rose. Manchester United said so."
    assert labelled(extractor, text, "PERSON", "Manchester United") == {
        ("Manchester United", "ORG")
    }
    # "Bank" is not such a word: the West Bank is a place.
    text = "Troops left the West Bank on Monday."
    assert ("West Bank", "GPE") in labelled(extractor, text, "GPE", "West Bank")
