"""Common words are not names: a one-word entity that a news corpus writes in lower case
mid-sentence nearly every time is dropped, decided from the corpus, not from a list."""

import hashlib
import json

import pytest

from flows.casing import LEXICON_FILE, CasingLexicon, Usage
from flows.errors import ConfigError
from flows.settings import REPO_ROOT
from flows.training.casing import build_lexicon, is_all_caps

from .conftest import SHARED
from .test_extract import extract


def repaired(extractor, text: str, name: str, label: str) -> dict[str, str]:
    """The spans span repair keeps, text -> label, when the recognizer gives `name` (its
    last occurrence in `text`) the label `label`."""
    doc = extractor.nlp(text)
    start = text.rfind(name)
    span = doc.char_span(start, start + len(name), label=label)
    doc.ents = [e for e in doc.ents if e.end <= span.start or e.start >= span.end] + [span]
    return {e.text: e.label_ for e in extractor.repair(doc)}


CORPUS = [
    "The crowd at Wigan was small. Attendance was low, and the state paid for it.",
    "Fans saw Wigan beat Bradford in the cup. Attendance rose in the state of Texas.",
    "A match in Wigan drew fans to the ground, where attendance fell in the state.",
    "The Nato summit began. Officials from Nato met in the state capital.",
    "Attendance is counted; attendance was high, attendance was low, the state said.",
    "They beat the odds; attendance doubled, attendance grew, attendance held.",
    *["Crowds grew and attendance rose."] * 6,
    "SOCCER - ATTENDANCE AT WIGAN RECORD\n\nIt was.",
]


@pytest.fixture(scope="module")
def lexicon() -> CasingLexicon:
    return build_lexicon(CORPUS)


def test_case_is_counted_away_from_the_start_of_a_sentence(lexicon) -> None:
    # "Attendance" opens sentences, and "; " ends a clause as a full stop does: neither
    # says anything about the word. Nor does the headline in capitals.
    assert lexicon.words["attendance"] == Usage(lower=10, capitalised=0)
    assert lexicon.words["wigan"] == Usage(lower=0, capitalised=3)
    assert lexicon.words["nato"] == Usage(lower=0, capitalised=2)  # "The Nato summit" counts


def test_a_headline_or_table_in_capitals_is_not_counted() -> None:
    assert is_all_caps("SOCCER - FRENCH LEAGUE STANDINGS")
    assert not is_all_caps("Officials from NATO and the US met.")
    assert not is_all_caps("US")


def test_a_common_word_needs_many_sightings_mostly_in_lower_case(lexicon) -> None:
    assert lexicon.is_common_word("Attendance")  # 10 of 10 in lower case
    assert not lexicon.is_common_word("Wigan")
    assert not lexicon.is_common_word("state")  # seen 5 times: too few to tell
    assert not lexicon.is_common_word("Zebedee")  # never seen


def test_four_times_in_five_in_lower_case_is_a_common_word(extractor) -> None:
    shipped = extractor.casing
    for word in ("Education", "Digital", "Winter"):  # 84%, 83%, 89% in lower case
        assert shipped.is_common_word(word), (word, shipped.words.get(word.lower()))
    for word in ("Commission", "Sometimes"):  # 19%; 79%, just under
        assert not shipped.is_common_word(word), (word, shipped.words.get(word.lower()))


def test_the_same_corpus_gives_the_same_lexicon(lexicon, tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    lexicon.save(tmp_path / "a" / LEXICON_FILE)
    build_lexicon(CORPUS).save(tmp_path / "b" / LEXICON_FILE)
    first, second = (tmp_path / d / LEXICON_FILE for d in "ab")
    assert first.read_bytes() == second.read_bytes()  # `make train` is reproducible
    assert CasingLexicon.load(first) == lexicon


def test_the_shipped_lexicon_is_data_and_its_card_names_the_data_in_shared() -> None:
    directory = REPO_ROOT / "models" / "casing"
    card = json.loads((directory / "card.json").read_text())
    lexicon = CasingLexicon.load(directory / LEXICON_FILE)
    assert lexicon.version == card["version"]
    assert len(lexicon.words) == card["words"]
    data = SHARED / "data"
    for name, digest in card["training_data"].items():
        path = next(data.rglob(name))
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name


def test_a_damaged_lexicon_is_one_clear_error(tmp_path) -> None:
    (tmp_path / LEXICON_FILE).write_bytes(b"not gzip")
    with pytest.raises(ConfigError, match="casing lexicon"):
        CasingLexicon.load(tmp_path / LEXICON_FILE)


def test_a_common_word_is_no_entity_but_a_name_is(extractor, ontology) -> None:
    x = extract(
        extractor,
        ontology,
        "Broadband: prices fall.\n\nPrime Minister John Major met Kohl. Major said he was "
        "pleased. The club moved to Nice in May.",
    )
    names = {m.text for m in x.mentions}
    # The recognizer reads "Broadband" as a place; the news writes it in lower case.
    assert extractor.casing.is_common_word("Broadband")
    assert "Broadband" not in names, names
    # "major" is a common word too, but here it is John Major's short form; "nice" is
    # one, but Nice is a known city. The recognizer fine-tuned on CrossRE dev no longer
    # reads the lone "Major" as a name at all, so the rule is shown on the span it used to
    # give: a person "Major" beside "John Major" is kept.
    assert extractor.casing.is_common_word("Major") and extractor.casing.is_common_word("Nice")
    assert {"John Major", "Nice"} <= names, names
    assert "Major" in repaired(extractor, "John Major met Kohl. Major said so.", "Major", "PERSON")


def test_a_word_in_capitals_is_not_judged_by_its_case(extractor, ontology) -> None:
    # A dateline: "bone" is a common word, but in capitals its case says nothing.
    x = extract(extractor, ontology, "BONE, Idaho (AP) - The town council met on Monday.")
    assert "BONE" in {m.text for m in x.mentions}


def test_a_common_word_in_a_line_of_capitals_is_not_a_name(extractor, ontology) -> None:
    # A sports table's heading: every word is in capitals, so the line's case says
    # nothing, and "schedule" is a word the news writes in lower case.
    # The recognizer before the one fine-tuned on CrossRE dev read "SCHEDULE" here as an
    # organization; the rule is shown on that span.
    heading = "FRIDAY , AUGUST 30 SCHEDULE"
    assert extractor.casing.is_common_word("SCHEDULE")
    assert "SCHEDULE" not in repaired(extractor, heading, "SCHEDULE", "ORG")
    assert "SCHEDULE" not in {m.text for m in extract(extractor, ontology, heading).mentions}


def test_a_person_is_not_completed_with_a_noun_the_corpus_writes_in_lower_case(
    extractor,
) -> None:
    # The parser links a name and the noun it qualifies as a compound, as it links the
    # parts of a romanized name; the corpus writes "businessman" in lower case.
    text = "Mr Rusesabagina used his influence as a prominent Hutu businessman to help."
    assert "Hutu businessman" not in repaired(extractor, text, "Hutu", "PERSON")
    assert extractor.repair.casing.is_mostly_lower_case("businessman")
    text = "Clinton counterparts met Kang Jun young and the Barclays chairman."
    assert "Kang Jun young" in repaired(extractor, text, "Kang Jun", "PERSON")
