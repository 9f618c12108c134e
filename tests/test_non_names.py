"""Capitalised spans that are not names: a time zone after a clock time, a table's
column headings, an event, a headline's common words; and spans glued across a dash."""

from __future__ import annotations

import spacy

from flows.casing import without_common_words_in_capitals
from flows.non_names import (
    dash_parts,
    is_event,
    is_table_heading,
    is_time_zone,
    time_zone_abbreviations,
)

from .test_extract import extract, mention_texts

NLP = spacy.blank("en")


def test_time_zones_come_from_the_time_zone_database() -> None:
    assert {"GMT", "EST", "BST", "CET", "JST"} <= time_zone_abbreviations()
    assert "IBM" not in time_zone_abbreviations()


def test_a_time_zone_is_a_time_zone_only_after_a_clock_time() -> None:
    for text in ("at 1430 GMT on Friday", "by 10:30 EST", "at 9 p.m. EST", "1200 (GMT)"):
        doc = NLP(text)
        zone = next(t for t in doc if t.text in time_zone_abbreviations())
        assert is_time_zone(doc[zone.i : zone.i + 1]), text
    # No clock time before it: an abbreviation that may be a name stays one.
    for text in ("GMT said", "In 1999 EST was", "the IST team"):
        doc = NLP(text)
        zone = next(t for t in doc if t.text in time_zone_abbreviations())
        assert not is_time_zone(doc[zone.i : zone.i + 1]), text


def test_column_headings_are_not_names_but_initials_and_acronyms_are() -> None:
    assert is_table_heading(NLP("W L PCT GB")[:])
    assert is_table_heading(NLP("W D L G / F G / A P")[:])
    assert not is_table_heading(NLP("J. R. R. Tolkien")[:])
    assert not is_table_heading(NLP("BBC")[:])
    assert not is_table_heading(NLP("ABC TV")[:])  # two words: a name's
    assert not is_table_heading(NLP("Rio de Janeiro")[:])
    assert not is_table_heading(NLP("Cho Tae yul")[:])  # a romanized name
    assert not is_table_heading(NLP("Wu Yi Fan")[:])


def test_the_product_drops_a_time_zone_and_a_table_heading(extractor, ontology) -> None:
    text = (
        "Trading closed at 1600 GMT on Friday in London.\n\n"
        "NATIONAL LEAGUE\n\nW L PCT GB\n\nATLANTA 82 50 .621 -\n"
    )
    recognized = {e.text for e in extractor.nlp(text).ents}
    assert "GMT" in recognized  # the recognizer's reading
    names = {m.text for m in extract(extractor, ontology, text).mentions}
    assert "GMT" not in names and "W L PCT GB" not in names
    assert "London" in names


def test_a_span_across_a_spaced_dash_is_cut_into_its_parts() -> None:
    doc = NLP("Lithuania - Danius Gleveckas , BRITAIN - Gilts and Gaza-Jericho")
    glued = doc[0:4]
    assert [p.text for p in dash_parts(glued)] == ["Lithuania", "Danius Gleveckas"]
    assert [p.text for p in dash_parts(doc[5:8])] == ["BRITAIN", "Gilts"]
    hyphenated = doc[9:12]
    assert hyphenated.text == "Gaza-Jericho"
    assert dash_parts(hyphenated) == [hyphenated]  # no spaces round it: one name


def test_an_event_is_a_name_ending_in_an_event_head(ontology) -> None:
    heads = ontology.event_heads
    for event in ("UEFA Cup", "Hong Kong Open", "Atlanta Games", "IAAF Grand Prix Final"):
        assert is_event(NLP(event)[:], heads), event
    for name in ("Cup", "Open University", "Games Workshop", "World Cup Organising Committee"):
        assert not is_event(NLP(name)[:], heads), name


def test_a_headline_span_loses_its_common_words(extractor) -> None:
    lexicon = extractor.casing

    def cut(line: str, words: str) -> str | None:
        doc = NLP(line)
        start = next(t.i for t in doc if t.text == words.split()[0])
        span = without_common_words_in_capitals(doc[start : start + len(words.split())], lexicon)
        return None if span is None else span.text

    assert cut("SOCCER - CLUB FINED FOR CROWD TROUBLE", "CLUB FINED") is None
    assert cut("ATHLETICS - MITCHELL DEFEATS BAILEY AGAIN", "MITCHELL DEFEATS") == "MITCHELL"
    # Not a line in capitals: the span is left as it is.
    assert cut("The Club Fined said so", "Club Fined") == "Club Fined"


def test_the_product_drops_events_and_cuts_glued_spans(extractor, ontology) -> None:
    text = (
        "Squads for the match: Lithuania - Danius Gleveckas, Romania - Cosmin Contra.\n\n"
        "Ajax will play in the UEFA Cup after beating Feyenoord in Amsterdam."
    )
    names = mention_texts(extract(extractor, ontology, text))
    assert "UEFA Cup" not in names
    assert not any(" - " in name for name in names)
    assert names.get("Lithuania") == "Location" and names.get("Romania") == "Location"
