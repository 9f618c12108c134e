"""Names listed side by side: team sheets, line-ups and lists of firms, places or acts.

"Murphy; Rabeni, Smith, Gibson, Healey", "T Bowe (Ulster), K Campbell (Ulster), G D'Arcy
(Ulster)", "Sony Ericsson, Motorola, BenQ, Arima and Fujitsu": the items of such a list
are siblings, and no relation joins two of them. What an item says of its own name in
brackets (a player's club or country) still may. A list here is a run of capitalised
words, commas, semicolons, "and" and bracketed asides, with four items or more (three
commas or semicolons outside brackets between its first and last name). Three are not
enough: "Fire Island National Seashore, Patchogue, N.Y." is an address, each name within
the next.

A coordination of two or three names ("Wales and England") rules out only the types that
say so (`in_a_list` in flows/relations/evidence.py, for every extractor); this rule is the
trained extractor's, for every type, and the training reads the same pairs.

Measured with gold spans (2026-12-05): of CrossRE news train and dev's 1,674 relations
none joins two items of such a list (386 pairs do), of CoNLL04 train and dev's 1,626
eight do (cities beside their states in a list of addresses); of the 2,873 different BBC
statements judged so far, 70 do, and every one was judged wrong.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

SEPARATORS = frozenset({",", ";"})
JOINERS = frozenset({"and", "&"})
MIN_SEPARATORS = 3

Item = tuple[int, int]  # (the list: its first token, the item's number within it)


def _capitalised(token: Token) -> bool:
    return token.pos_ == "PROPN" or (token.text[:1].isupper() and not token.is_punct)


def _run_end(tokens: list[Token], start: int) -> int:
    """Where the run of list tokens that starts at `start` ends (exclusive)."""
    depth, end = 0, start
    while end < len(tokens):
        text = tokens[end].text
        if text == "(":
            depth += 1
        elif text == ")" and depth:
            depth -= 1
        elif not (
            depth
            or _capitalised(tokens[end])
            or text in SEPARATORS
            or tokens[end].lower_ in JOINERS
        ):
            break
        end += 1
    return end


def _items(run: list[Token]) -> tuple[list[tuple[Token, int]], int]:
    """Each token of a run with the number of its item; and the separators outside
    brackets."""
    depth, item, separators, out = 0, 0, 0, []
    for token in run:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth = max(0, depth - 1)
        elif not depth and (token.text in SEPARATORS or token.lower_ in JOINERS):
            item += 1
            separators += token.text in SEPARATORS
            continue
        out.append((token, item))
    return out, separators


def name_lists(sentence: Span) -> dict[int, Item]:
    """Each token of a list of names in the sentence (doc index) -> its list and item."""
    tokens = list(sentence)
    if sum(t.text in SEPARATORS for t in tokens) < MIN_SEPARATORS:
        return {}
    lists: dict[int, Item] = {}
    i = 0
    while i < len(tokens):
        end = _run_end(tokens, i)
        first, last = i, end
        while first < last and not _capitalised(tokens[first]):
            first += 1
        while last > first and not (_capitalised(tokens[last - 1]) or tokens[last - 1].text == ")"):
            last -= 1
        items, separators = _items(tokens[first:last])
        if separators >= MIN_SEPARATORS:
            for token, item in items:
                lists[token.i] = (first + sentence.start, item)
        i = max(end, i + 1)
    return lists


def listed_together(lists: dict[int, Item], a: Span, b: Span) -> bool:
    """Whether two names are two items of one list, each wholly within its item."""
    item_a = {lists.get(t) for t in range(a.start, a.end)}
    item_b = {lists.get(t) for t in range(b.start, b.end)}
    if len(item_a) != 1 or len(item_b) != 1:
        return False
    (first,), (second,) = item_a, item_b
    return first is not None and second is not None and first[0] == second[0] and first != second
