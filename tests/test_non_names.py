"""Capitalised spans that are not names: a time zone after a clock time, a table's
column headings."""

from __future__ import annotations

import spacy

from flows.non_names import is_table_heading, is_time_zone, time_zone_abbreviations

from .test_extract import extract

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
