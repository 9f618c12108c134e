"""Capitalised spans that are not names, whatever the recognizer says.

- A time zone after a clock time ("at 1430 GMT", "10 a.m. EST"): news gives times this
  way every day, and the recognizer reads the abbreviation as an organization. The
  abbreviations come from the time-zone database (zoneinfo), not from a list kept here.
- An event ("the UEFA Cup", "the Atlanta Games"): two words or more ending in an event
  head of schema/gazetteer.yaml. The ontology has no type for events.
- A table's column headings ("W L PCT GB", "W D L G / F G / A P"): three or more words,
  every one in capitals, of at most three letters, and none an initial with a dot (a
  romanized name, "Cho Tae yul", is not in capitals).
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from functools import cache

from spacy.tokens import Span

_CLOCK = re.compile(r"^(([01]?\d|2[0-3])[:.]?[0-5]\d|[ap]\.?m\.?|noon|midnight)$", re.IGNORECASE)
HEADING_MIN_WORDS = 3
HEADING_MAX_LETTERS = 3


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


def is_table_heading(span: Span) -> bool:
    words = [t.text for t in span if t.is_alpha]
    return (
        len(words) >= HEADING_MIN_WORDS
        and all(len(w) <= HEADING_MAX_LETTERS and w.isupper() for w in words)
        and not any(t.text.endswith(".") for t in span)
    )


def is_event(span: Span, event_heads: frozenset[str]) -> bool:
    return len(span) >= 2 and span[-1].lower_ in event_heads


def is_not_a_name(span: Span, event_heads: frozenset[str] = frozenset()) -> bool:
    return is_time_zone(span) or is_table_heading(span) or is_event(span, event_heads)


DASHES = frozenset("-\u2013\u2014")


def dash_parts(span: Span) -> list[Span]:
    """A span the recognizer ran across a dash with spaces round it is two things ("Lithuania
    - Danius Gleveckas" in a squad list, "BRITAIN - Gilts" in a headline): its parts, each
    to be judged on its own. A dash inside a name has no spaces ("Gaza-Jericho")."""
    doc = span.doc
    cuts = [
        t.i for t in span[1:-1] if t.text in DASHES and t.whitespace_ and doc[t.i - 1].whitespace_
    ]
    if not cuts:
        return [span]
    parts, start = [], span.start
    for cut in [*cuts, span.end]:
        if cut > start:
            parts.append(Span(doc, start, cut, label=span.label_))
        start = cut + 1
    return parts
