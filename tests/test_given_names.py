"""A "person" of common words is none unless it starts with a given name, nor one that
starts with a word the corpus writes in lower case and has no given name or title; nor is
a word capitalised only because a sentence starts with it part of a person's name."""

from __future__ import annotations

import spacy

from flows.given_names import capitals_as_a_person, common_words_as_a_person, is_given_name

from .test_casing import repaired

NLP = spacy.blank("en")


def assert_people(rule, casing, none: tuple[str, ...], people: tuple[str, ...]) -> None:
    """The rule says each of `none` is no person's name, and none of `people`."""
    for title in none:
        assert rule(NLP(title)[:], casing), title
    for name in people:
        assert not rule(NLP(name)[:], casing), name


def test_given_names_come_from_the_dictionary() -> None:
    for name in ("Will", "Bill", "Mark", "Gordon", "Roman", "MARK"):
        assert is_given_name(name), name
    for word in ("Performing", "Jungle", "Massive", "Retail"):
        assert not is_given_name(word), word


def test_common_words_make_no_person_unless_the_first_is_a_given_name(extractor) -> None:
    assert_people(
        common_words_as_a_person,
        extractor.casing,
        none=("Massive Attack", "Talking Heads", "Tsunami Blog", "Body Shop"),
        # A given name first, a rare word, or one word (the common-word rule's).
        people=("Will Young", "Bill Gates", "Tony Blair", "Harry Potter", "Attack"),
    )


def test_the_product_drops_a_person_of_common_words(extractor) -> None:
    text = "Fans of Massive Attack queued for hours."
    assert "Massive Attack" not in repaired(extractor, text, "Massive Attack", "PERSON")
    text = "The singer Will Young won the contest."
    assert repaired(extractor, text, "Will Young", "PERSON").get("Will Young") == "PERSON"


def test_a_lower_case_word_first_makes_no_person_without_a_given_name_or_title(
    extractor,
) -> None:
    assert_people(
        capitals_as_a_person,
        extractor.casing,
        none=("Finding Nemo", "Led Zeppelin", "Ask Jeeves", "Pop Idol", "Sale Sharks"),
        # A given name or a title in it, an initial first, a rare word first, or one word.
        people=(
            *("Fat Joe", "Crown Prince Frederik", "Inspector Paul Miller", "G Henson"),
            *("Tony Blair", "Zinedine Zidane", "Attack"),
        ),
    )


def test_the_context_types_a_name_before_its_capitals_are_read(extractor) -> None:
    text = "Fans of Led Zeppelin queued for hours."
    assert "Led Zeppelin" not in repaired(extractor, text, "Led Zeppelin", "PERSON")
    # "club" makes it an organization first: a club's name is no person's to judge.
    text = "UEFA fined Belgian club Standard Liege on Friday."
    assert repaired(extractor, text, "Standard Liege", "PERSON").get("Standard Liege") == "ORG"


def test_a_word_capitalised_only_by_the_start_of_a_sentence_is_cut_off_a_person(
    extractor,
) -> None:
    # The corpus writes "faultless" and "sprinter" in lower case and never capitalised.
    assert repaired(extractor, "Faultless Federer wins again.", "Faultless Federer", "PERSON") == {
        "Federer": "PERSON"
    }
    text = "Sprinter Mark Lewis-Francis has pulled out."
    assert repaired(extractor, text, "Sprinter Mark Lewis-Francis", "PERSON") == {
        "Mark Lewis-Francis": "PERSON"
    }
    # A given name stays, though "will" is a common word; so does a word mid-sentence.
    assert repaired(extractor, "Will Young sang.", "Will Young", "PERSON") == {
        "Will Young": "PERSON"
    }
    # Two letters may be a romanized name's syllable: "wi" is also the corpus's "wi-fi".
    text = "Wi Sung lac, Lee's adviser, said so."
    assert "Wi Sung lac" in repaired(extractor, text, "Wi Sung lac", "PERSON")
    text = "He met Faultless Federer."
    assert "Faultless Federer" in repaired(extractor, text, "Faultless Federer", "PERSON")
