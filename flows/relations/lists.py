"""Names listed side by side: team sheets, line-ups and lists of firms, places or acts.

"Murphy; Rabeni, Smith, Gibson, Healey", "Sony Ericsson, Motorola, BenQ, Arima and
Fujitsu": the names of such a list are siblings, and no relation joins two of them. A list
here is a run of capitalised words, commas, semicolons and "and", with four names or more
(three separators between its first and last name). Three are not enough: "Fire Island
National Seashore, Patchogue, N.Y." is an address, each name within the next.

Measured with gold spans (2026-12-05): of CrossRE news train and dev's 1,674 relations
none lies within such a list (238 pairs do), of CoNLL04 train and dev's 1,626 eight do
(cities beside their states in a list of addresses); of the 2,873 different BBC statements
judged so far, 35 do, and every one was judged wrong.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

SEPARATORS = frozenset({",", ";"})
JOINERS = frozenset({"and", "&"})
MIN_SEPARATORS = 3


def _capitalised(token: Token) -> bool:
    return token.pos_ == "PROPN" or (token.text[:1].isupper() and not token.is_punct)


def name_lists(sentence: Span) -> dict[int, int]:
    """Each token of a list of names in the sentence (doc index) -> the list's number."""
    tokens = list(sentence)
    if sum(t.text in SEPARATORS for t in tokens) < MIN_SEPARATORS:
        return {}
    lists: dict[int, int] = {}
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and (
            _capitalised(tokens[j]) or tokens[j].text in SEPARATORS or tokens[j].lower_ in JOINERS
        ):
            j += 1
        first, last = i, j
        while first < last and not _capitalised(tokens[first]):
            first += 1
        while last > first and not _capitalised(tokens[last - 1]):
            last -= 1
        run = tokens[first:last]
        if sum(t.text in SEPARATORS for t in run) >= MIN_SEPARATORS:
            for t in run:
                lists[t.i] = first + sentence.start
        i = max(j, i + 1)
    return lists


def listed_together(lists: dict[int, int], a: Span, b: Span) -> bool:
    """Whether two names are items of one list: both wholly in it, a separator or "and"
    between them."""
    own = {lists.get(t) for t in range(a.start, a.end)} | {
        lists.get(t) for t in range(b.start, b.end)
    }
    if len(own) != 1 or None in own:
        return False
    left, right = (a, b) if a.start < b.start else (b, a)
    doc = a.doc
    return any(
        doc[t].text in SEPARATORS or doc[t].lower_ in JOINERS for t in range(left.end, right.start)
    )
