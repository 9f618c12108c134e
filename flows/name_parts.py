"""Spans the recognizer ran across more than one name, cut into the names they hold: at
a dash or slash with spaces round it, at a comma between names, and at a bracket the span
opens and does not close ("H Ellis (Leicester" off a team sheet)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from spacy.tokens import Span, Token

from flows.casing import CasingLexicon, is_lower_case_noun
from flows.names import match_form, without_legal_form

DASHES = frozenset("-\u2013\u2014")
# A slash with spaces round it separates as a dash does: "N / A", "Bonds / Notes"; so does
# a semicolon ("France v Cyprus; Republic of Ireland"), which no gold name of CrossRE or
# CoNLL04 holds. The product adds the fixture words of schema/patterns.yaml ("v").
SEPARATORS = DASHES | {"/", ";"}
# Written close up to the word before: "France v Cyprus; Republic of Ireland".
CLOSING_SEPARATORS = frozenset({";"})
# What may follow a comma inside one person's name: "Martin Luther King, Jr.".
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# A list closed by one of these is the name's own: "American Federation of State, County
# and Municipal Employees", "Bodman, Longely & Dahling".
CONJUNCTIONS = frozenset({"and", "&"})


@dataclass(frozen=True)
class Commas:
    """Which commas of a span separate names. None of the gold people of CrossRE and
    CoNLL04 holds one; of their organizations, only a list closed by "and" or "&" and a
    legal form ("Knight-Ridder, Inc.") do, and one law firm ("Skadden, Arps"), where the
    recognizer runs lists of clubs, bands and team sheets' surnames together ("Arsenal,
    Real Madrid", "Blur, Oasis", "Lloyd, Herron"). A place holds one before the larger
    place it lies in ("Fort Worth, Texas", "Vienna, Austria"), so a place's comma cuts
    only where `separate_places` (GeoNames) rules that out ("Cyprus, Ireland")."""

    person_label: str
    organization_label: str | None = None
    location_label: str | None = None
    separate_places: Callable[[str, str], bool] | None = None

    def cuts(self, span: Span) -> list[int]:
        """The commas of `span` (token indices) that separate two names."""
        doc = span.doc
        commas = [t.i for t in span[1:-1] if t.text == ","]
        if not commas:
            return []
        if span.label_ == self.person_label:
            return [i for i in commas if doc[i + 1].lower_.rstrip(".") not in NAME_SUFFIXES]
        if span.label_ == self.organization_label:
            last = commas[-1]
            closed = any(t.lower_ in CONJUNCTIONS for t in doc[last + 1 : span.end])
            legal_form = without_legal_form(span.text).rstrip(" ,") == doc[span.start : last].text
            return [] if closed or legal_form else commas
        if span.label_ == self.location_label and self.separate_places is not None:
            bounds = [span.start - 1, *commas, span.end]
            return [
                comma
                for k, comma in enumerate(commas)
                if self.separate_places(
                    doc[bounds[k] + 1 : comma].text, doc[comma + 1 : bounds[k + 2]].text
                )
            ]
        return []


def dash_parts(
    span: Span, commas: Commas | None = None, separators: Collection[str] = SEPARATORS
) -> list[Span]:
    """A span the recognizer ran across a dash with spaces round it is two things ("Lithuania
    - Danius Gleveckas" in a squad list, "BRITAIN - Gilts" in a headline): its parts, each
    to be judged on its own. A dash inside a name has no spaces ("Gaza-Jericho"). So too a
    slash, a semicolon or a fixture's "v" between spaces ("N / A", "France v Cyprus"), and
    a comma between names (`Commas`: "Rowntree, Chuter" off a team sheet). A semicolon
    that ends a span is no part of it ("Cyprus;" before a known name the model left out)."""
    doc = span.doc
    cuts = sorted(
        [
            t.i
            for t in span[1:-1]
            if t.text in separators
            and t.whitespace_
            and (doc[t.i - 1].whitespace_ or t.text in CLOSING_SEPARATORS)
        ]
        + ([span.end - 1] if len(span) > 1 and span[-1].text in CLOSING_SEPARATORS else [])
        + (commas.cuts(span) if commas is not None else [])
    )
    if not cuts:
        return [span]
    parts, start = [], span.start
    for cut in [*cuts, span.end]:
        if cut > start:
            parts.append(Span(doc, start, cut, label=span.label_))
        start = cut + 1
    return parts


def _unbalanced_brackets(span: Span) -> list[int]:
    """The brackets inside a span that it does not close, or did not open."""
    opened: list[int] = []
    unmatched: list[int] = []
    for t in span:
        if t.text == "(":
            opened.append(t.i)
        elif t.text == ")":
            if opened:
                opened.pop()
            else:
                unmatched.append(t.i)
    return sorted(unmatched + opened)


def bracket_parts(
    span: Span, person_label: str, aside_label: str, places: Collection[str] = ()
) -> list[Span]:
    """A span the recognizer ran from a name into the bracketed aside after it, or out of
    one, is the name and the aside: "H Ellis (Leicester" and "Yannick Jauzion (Stade
    Toulousain" on team sheets, "International Labour Organisation (ILO". A bracket the
    span both opens and closes is part of a name ("Bulgarian Socialist (formerly
    Communist) Party"); none of the 8,872 gold names of CrossRE and CoNLL04 opens one it
    does not close, but for a date's. The name keeps the span's label, or is a person's
    where it starts with an initial ("H Ellis"); the aside, a club, a party or an
    acronym, is `aside_label`'s, but for a known place (`places`, match forms): a side's
    country stays a place, "Stade Toulousain" read as one is a club."""
    cuts = _unbalanced_brackets(span)
    if not cuts:
        return [span]
    doc, parts, start = span.doc, [], span.start
    for cut in [*cuts, span.end]:
        if cut > start:
            label = span.label_
            if start == span.start and _starts_with_an_initial(doc[start:cut]):
                label = person_label
            elif start > span.start and (
                label == person_label or match_form(doc[start:cut].text) not in places
            ):
                label = aside_label
            parts.append(Span(doc, start, cut, label=label))
        start = cut + 1
    return parts


def _starts_with_an_initial(span: Span) -> bool:
    """ "H Ellis", "K. Wall": one capital letter, then a capitalised word."""
    return (
        len(span) >= 2
        and len(span[0].text.rstrip(".")) == 1
        and span[0].text[0].isupper()
        and span[1].is_title
    )


def name_parts(
    span: Span,
    commas: Commas,
    aside_label: str,
    places: Collection[str] = (),
    separators: Collection[str] = SEPARATORS,
) -> list[Span]:
    """The names a span holds, cut at spaced dashes (or other `separators`), commas
    between names and unbalanced brackets."""
    return [
        p
        for part in dash_parts(span, commas, separators)
        for p in bracket_parts(part, commas.person_label, aside_label, places)
    ]


def completed_person_name(ent: Span, roles: frozenset[str], casing: CasingLexicon | None) -> Span:
    """Extend a person span to the whole compound name it is part of.

    The small model cuts romanized names ("Kang Jun young" -> "Kang Jun",
    "Wi Sung lac" -> "Sung"): the parser still links the parts as one compound.
    """
    doc = ent.doc
    start, end = ent.start, ent.end
    last = doc[end - 1]
    # Not after an initial: a romanized name has none, and a scorecard's "M. Waugh c"
    # and "H. Tillekeratne lbw" are names before the way a batsman was out. Nor onto
    # a noun the corpus writes in lower case: "a Hutu businessman", "the Tsunami fund",
    # "the Wembley stadium" qualify a noun ("young" of "Kang Jun young" is no noun).
    if (
        last.dep_ == "compound"
        and last.head.i == end
        and last.head.is_alpha
        and not last.head.ent_type_
        and last.head.lower_ not in roles
        and not any(_is_initial(t) for t in ent)
        and not is_lower_case_noun(last.head, casing)
    ):
        end += 1
    head = doc[end - 1]
    while start > 0:
        prev = doc[start - 1]
        if (
            prev.dep_ == "compound"
            and prev.head.i in range(start, end)
            and prev.pos_ == "PROPN"
            and prev.is_title
            and not prev.ent_type_
            and prev.lower_ not in roles
        ):
            start -= 1
        else:
            break
    if (start, end) == (ent.start, ent.end) or head.is_punct:
        return ent
    return Span(doc, start, end, label=ent.label_)


def _is_initial(token: Token) -> bool:
    """ "M." of "M. Waugh"."""
    return len(token.text) == 2 and token.text[0].isupper() and token.text[1] == "."
