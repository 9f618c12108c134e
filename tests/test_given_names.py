"""A "person" of common words is none unless it starts with a given name."""

from __future__ import annotations

import spacy

from flows.given_names import common_words_as_a_person, is_given_name

from .test_casing import repaired

NLP = spacy.blank("en")


def test_given_names_come_from_the_dictionary() -> None:
    for name in ("Will", "Bill", "Mark", "Gordon", "Roman", "MARK"):
        assert is_given_name(name), name
    for word in ("Performing", "Jungle", "Massive", "Retail"):
        assert not is_given_name(word), word


def test_common_words_make_no_person_unless_the_first_is_a_given_name(extractor) -> None:
    casing = extractor.casing

    def person(text: str) -> bool:
        return not common_words_as_a_person(NLP(text)[:], casing)

    for title in ("Massive Attack", "Talking Heads", "Tsunami Blog", "Body Shop"):
        assert not person(title), title
    # A given name first, a rare word, or one word (the common-word rule's): a person.
    for name in ("Will Young", "Bill Gates", "Tony Blair", "Harry Potter", "Attack"):
        assert person(name), name


def test_the_product_drops_a_person_of_common_words(extractor) -> None:
    text = "Fans of Massive Attack queued for hours."
    assert "Massive Attack" not in repaired(extractor, text, "Massive Attack", "PERSON")
    text = "The singer Will Young won the contest."
    assert repaired(extractor, text, "Will Young", "PERSON").get("Will Young") == "PERSON"
