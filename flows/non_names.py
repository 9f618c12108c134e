"""Capitalised spans that are not names, whatever the recognizer says.

- A time zone after a clock time ("at 1430 GMT", "10 a.m. EST"): news gives times this
  way every day, and the recognizer reads the abbreviation as an organization. The
  abbreviations come from the time-zone database (zoneinfo), not from a list kept here.
- An event ("the UEFA Cup", "the Atlanta Games"): two words or more ending in an event
  head of schema/gazetteer.yaml. The ontology has no type for events.
- A people or its language ("Tajik troops", "Chechen rebels", "ethnic Armenians"): a word
  the Unicode CLDR (through Babel) names as a language, in front of the noun it
  qualifies, or in the plural. The recognizer often calls them people or organizations.
- A figures table's row heading ("Revs 130 1,279", "Avg shrs 4,841 3,990", "M3 482.13
  480.72"): a span opening a line that holds nothing else but figures, at least one in
  thousands or with decimals, and at most two lower-case words. A sports table's team
  ("NEW YORK 74 59 .556") has neither. A known place stays ("Canada savings bonds
  30.12"): the caller knows places.
- One letter and punctuation ("N" and "A" of "N / A"): no name.
- No capital letter at all ("who" of "Alan Beith - who chairs", "antenna", "300p"): news
  writes names with one. Of the 8,872 gold names of CrossRE news and CoNLL04, the people,
  organizations and places without one are annotation slips ("said", "the", "of") and
  one "interior ministry". A web address stays ("amazon.co.uk").
- A table's column headings ("W L PCT GB", "W D L G / F G / A P"): three or more words,
  every one in capitals, of at most three letters, and none an initial with a dot (a
  romanized name, "Cho Tae yul", is not in capitals).
- A name read as a person's that the doc writes after an article ("an Oscar", "the Lib
  Dems"): a person's name takes none (`without_articled_people`).
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections import defaultdict
from functools import cache

import numpy as np
from babel import Locale
from spacy.attrs import DEP
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

_CLOCK = re.compile(r"^(([01]?\d|2[0-3])[:.]?[0-5]\d|[ap]\.?m\.?|noon|midnight)$", re.IGNORECASE)
HEADING_MIN_WORDS = 3
HEADING_MAX_LETTERS = 3
ROW_MIN_FIGURES = 2
ROW_MAX_LOWER_WORDS = 2
_FIGURE = re.compile(r"^[-+]?[\d.,/]*\d[\d.,/%]*$")
# "1,279", "482.13": a sports table's ".556" is neither.
_LARGE_OR_DECIMAL = re.compile(r"\d,\d{3}|\d\.\d")
LANGUAGE_MIN_LETTERS = 5
# The word after a nationality that it qualifies: a noun or an adjective ("Tajik
# government troops").
QUALIFIED_TAGS = frozenset({"NN", "NNS", "JJ"})


@cache
def time_zone_abbreviations() -> frozenset[str]:
    """Every alphabetic abbreviation the time-zone database gives, in winter and summer."""
    found = set()
    for name in zoneinfo.available_timezones():
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (ValueError, OSError):
            continue
        for month in (1, 7):
            abbreviation = datetime.datetime(2020, month, 15, tzinfo=zone).tzname()
            if abbreviation and abbreviation.isalpha() and abbreviation.isupper():
                found.add(abbreviation)
    return frozenset(found)


def is_time_zone(span: Span) -> bool:
    """One word, a time-zone abbreviation, right after a clock time (a bracket between
    them allowed)."""
    if len(span) != 1 or span.text not in time_zone_abbreviations():
        return False
    before = span.start - 1
    if before >= 0 and span.doc[before].text == "(":
        before -= 1
    return before >= 0 and bool(_CLOCK.match(span.doc[before].text))


@cache
def language_names() -> frozenset[str]:
    """Lower-case English names of languages, one word each, from CLDR: "tajik",
    "chechen", "welsh". Shorter than five letters they are too often surnames ("Fang",
    "Luo", "Yao")."""
    return frozenset(
        name.lower()
        for name in Locale("en").languages.values()
        if name.isalpha() and len(name) >= LANGUAGE_MIN_LETTERS
    )


def is_nationality_word(span: Span) -> bool:
    """One word, a language's name, before a lower-case word it qualifies ("Tajik
    troops") or in the plural ("Chechens"): a nationality or a people, not a name."""
    if len(span) != 1 or not span[0].is_title:
        return False
    word = span[0].lower_
    if word.endswith("s") and word[:-1] in language_names():
        return True
    doc = span.doc
    return (
        word in language_names()
        and span.end < len(doc)
        and doc[span.end].is_lower
        and doc[span.end].tag_ in QUALIFIED_TAGS
    )


def is_table_heading(span: Span) -> bool:
    words = [t.text for t in span if t.is_alpha]
    return (
        len(words) >= HEADING_MIN_WORDS
        and all(len(w) <= HEADING_MAX_LETTERS and w.isupper() for w in words)
        and not any(t.text.endswith(".") for t in span)
    )


def is_row_heading(span: Span) -> bool:
    doc = span.doc
    if span.start > 0 and not _breaks_line(doc[span.start - 1]):
        return False
    figures, lower_words, end = 0, 0, span.end
    while end < len(doc) and not _breaks_line(doc[end]):
        token = doc[end]
        if token.like_num or _FIGURE.match(token.text):
            figures += 1 + bool(_LARGE_OR_DECIMAL.search(token.text))
        elif token.is_alpha and token.is_lower:
            lower_words += 1
            if lower_words > ROW_MAX_LOWER_WORDS:  # prose: no need to read the paragraph
                return False
        elif not token.is_punct and not token.is_space:
            return False
        end += 1
    return figures >= ROW_MIN_FIGURES + 1 and any(
        _LARGE_OR_DECIMAL.search(t.text) for t in doc[span.end : end]
    )


def _breaks_line(token: Token) -> bool:
    return token.is_space and "\n" in token.text


def is_event(span: Span, event_heads: frozenset[str]) -> bool:
    return len(span) >= 2 and span[-1].lower_ in event_heads


MARKET_NAME_MAX_WORDS = 2


def names_a_market(span: Span, market_words: frozenset[str]) -> bool:
    """ "Nikkei" of "the Nikkei average", "Nasdaq" of "the Nasdaq composite index": the
    word after the name, or the one after a lower-case word or a figure, is a market
    word. An index's name is a word or two; a longer name is the index's owner ("the
    American Stock Exchange index")."""
    doc = span.doc
    if sum(1 for t in span if t.is_alpha) > MARKET_NAME_MAX_WORDS:
        return False
    for i in range(span.end, min(span.end + 2, len(doc))):
        token = doc[i]
        if token.lower_ in market_words:
            return True
        if not (token.is_lower or token.like_num):
            return False
    return False


def _one_letter(text: str) -> bool:
    """ "N", "A /": a letter and punctuation ("3M" is a name)."""
    return sum(c.isalpha() for c in text) == 1 and not any(c.isdigit() for c in text)


_WEB_ADDRESS = re.compile(r"\w\.[a-z]{2,}$")


def _no_capital(text: str) -> bool:
    return not any(c.isupper() for c in text) and not _WEB_ADDRESS.search(text)


def is_not_a_name(
    span: Span,
    event_heads: frozenset[str] = frozenset(),
    market_words: frozenset[str] = frozenset(),
) -> bool:
    return (
        _one_letter(span.text)
        or _no_capital(span.text)
        or is_time_zone(span)
        or is_table_heading(span)
        or is_event(span, event_heads)
        or names_a_market(span, market_words)
    )


_DET = get_string_id("det")


def _is_article(token: Token) -> bool:
    return token.dep_ == "det" and "Art" in token.morph.get("PronType") and not _an_initial(token)


def _an_initial(token: Token) -> bool:
    """A capital "A" after a comma or a semicolon inside a sentence is a list's initial,
    not an article: "M Pini, A Masi" (flows/line_ups.py)."""
    return token.text == "A" and token.i > token.sent.start and token.nbor(-1).text in {",", ";"}


def words(span: Span) -> tuple[str, ...]:
    """A name's words in lower case, without an article the recognizer took into it
    ("the Lib Dems")."""
    if len(span) > 1 and _is_article(span[0]):
        span = span[1:]
    return tuple(t.lower_ for t in span)


_INDEFINITE = frozenset({"a", "an"})


def _modifies(token: Token) -> bool:
    return token.is_lower and token.pos_ in ("ADJ", "NUM")


def taking_an_article(
    doc: Doc, names: set[tuple[str, ...]], only: frozenset[str] | None = None
) -> set[tuple[str, ...]]:
    """The names (lower-case words) that an article (of `only`, if given) governs somewhere
    in the doc, right before the name: "an Oscar", "the Lib Dems"; with `only`, lower-case
    modifiers may come between ("a first Grand Slam"). An article on a noun
    after the name says nothing about it ("the Harry Potter films": "the" is the films'),
    nor one before a title ("the Libyan leader Muammar Gaddafi")."""
    found: set[tuple[str, ...]] = set()
    if not names:
        return found
    # Only the names that start with the word after the article can follow it.
    starting: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for name in names:
        if name:
            starting[name[0]].append(name)
    # Determiners found in the DEP array, not token by token: this runs on every doc.
    for i in np.flatnonzero(doc.to_array(DEP) == _DET).tolist():
        token = doc[i]
        if not _is_article(token) or (only is not None and token.lower_ not in only):
            continue
        after = i + 1
        # "a first Grand Slam": with only some articles, lower-case modifiers may come between.
        while only is not None and after < len(doc) and _modifies(doc[after]):
            after += 1
        if after >= len(doc):
            continue
        for name in starting.get(doc[after].lower_, ()):
            end = after + len(name)
            if name not in found and after <= token.head.i < end and words(doc[after:end]) == name:
                found.add(name)
    return found


def without_articled_people(doc: Doc, spans: list[Span], person: str) -> list[Span]:
    """A person's name takes no article: where the doc writes one before a name read
    as a person's ("an Oscar", "the Lib Dems"), its mentions take the type another
    mention of it has here, or go."""
    articled = taking_an_article(doc, {words(s) for s in spans if s.label_ == person})
    # No name of any type takes "a": "a possible Grand Slam", "an Oscar".
    named = {words(s) for s in spans if s.label_ != person}
    uncounted = taking_an_article(doc, named, _INDEFINITE)
    spans = [s for s in spans if words(s) not in uncounted]
    if not articled:
        return spans
    other = {words(s): s.label_ for s in spans if s.label_ != person}
    kept = []
    for span in spans:
        if span.label_ == person and words(span) in articled:
            if words(span) not in other:
                continue
            span = Span(doc, span.start, span.end, label=other[words(span)])
        kept.append(span)
    return kept
