"""Features of an ordered pair of entity spans in one parsed sentence.

Every feature is a string, present or not, so a model is a table of weights per feature:
plain data that a person can read (see models/relations/). Types are conjoined with the
strongest cues, because what "X ( Y )" means depends on what X and Y are.

A document's pairs share its tokens: `DocFeatures` reads each token's attributes once,
from spaCy's arrays, rather than through a Token object for every pair that passes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
)
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc, Span

MAX_BETWEEN = 15
# Words on the dependency path that carry a relation: its verbs, nouns and prepositions.
PATH_POS = frozenset({"VERB", "NOUN", "ADP"})
_ATTRS = [ORTH, LOWER, LEMMA, POS, DEP, HEAD, IS_PUNCT, IS_SPACE, LIKE_NUM, ENT_IOB, ENT_TYPE]
_IOB_BEGIN = 3  # spaCy's ENT_IOB code for "B"
_IOB_OUTSIDE = 2  # and for "O"


class DocFeatures:
    """The pair features of one document. `names` are the document's candidate spans and
    their types: whether a nearer name of the same type stands between a pair says
    whose the relation is ("Rice met Annan, the UN's chief": the UN goes with Annan)."""

    def __init__(self, doc: Doc, names: Sequence[tuple[Span, str]] = ()) -> None:
        self.doc = doc
        self.size = len(doc)
        self.names = names

    @cached_property
    def sentence_start(self) -> list[int]:
        """Each token's sentence, by the sentence's first token: read once, where
        `Span.sent` walks the document for every name it is asked of."""
        out = [0] * self.size
        for sent in self.doc.sents:
            out[sent.start : sent.end] = [sent.start] * (sent.end - sent.start)
        return out

    @cached_property
    def _names_by_sentence(self) -> dict[tuple[int, str], list[Span]]:
        """The names of each sentence (by its first token) and type."""
        out: dict[tuple[int, str], list[Span]] = {}
        for span, etype in self.names:
            out.setdefault((self.sentence_start[span.start], etype), []).append(span)
        return out

    def _rival(self, own: Span, own_type: str, other: Span) -> str:
        """Whether another name of `own`'s type is nearer `other` than `own` is, in the
        sentence: "near" (one is), or "clear"."""
        reach = _gap(own, other)
        for span in self._names_by_sentence.get((self.sentence_start[own.start], own_type), ()):
            if (
                span.start != own.start
                and _gap(span, other) < reach
                and not (span.start <= other.start < span.end)
            ):
                return "near"
        return "clear"

    @cached_property
    def _columns(self) -> list[list[int]]:
        values = self.doc.to_array(_ATTRS).reshape(self.size, len(_ATTRS))
        columns = [values[:, k].tolist() for k in range(len(_ATTRS))]
        # HEAD is an offset, stored unsigned: made the head's index.
        offsets = values[:, 5].astype(np.int64) + np.arange(self.size, dtype=np.int64)
        columns[5] = offsets.tolist()
        return columns

    @cached_property
    def text(self) -> list[str]:
        return self._strings(0)

    @cached_property
    def lower(self) -> list[str]:
        return self._strings(1)

    @cached_property
    def lemma(self) -> list[str]:
        """Each token's lemma in lower case."""
        return [s.lower() for s in self._strings(2)]

    @cached_property
    def pos(self) -> list[str]:
        return [POS_NAMES.get(p, "") for p in self._columns[3]]

    @cached_property
    def dep(self) -> list[str]:
        return self._strings(4)

    def _strings(self, column: int) -> list[str]:
        strings = self.doc.vocab.strings
        return [strings[v] if v else "" for v in self._columns[column]]

    def _up(self, i: int) -> list[int]:
        """The token and its ancestors, nearest first (Token.ancestors)."""
        heads = self._columns[5]
        path = [i]
        while heads[i] != i:
            i = heads[i]
            path.append(i)
        return path

    def _path(self, a: int, b: int) -> tuple[str, str, list[int]]:
        """The dependency path between two tokens: labels up to their lowest common
        ancestor and down again, with and without the ancestor's lemma; and the tokens on
        it."""
        up_a, up_b = self._up(a), self._up(b)
        on_b = set(up_b)
        common = next((t for t in up_a if t in on_b), None)
        if common is None:
            return "nopath", "nopath", []
        dep = self.dep
        up_a, up_b = up_a[: up_a.index(common)], up_b[: up_b.index(common)]
        left = "/".join(dep[t] for t in up_a)
        right = "/".join(dep[t] for t in reversed(up_b))
        labels = f"{left}^{self.lemma[common]}^{right}", f"{left}^{self.pos[common]}^{right}"
        return *labels, [*up_a, common, *up_b]

    def _entity_on_path(self, path: list[int], a: Span, b: Span) -> str | None:
        """The label of another entity the dependency path passes through, if any: in
        "the BBC's Louisa Lim in Beijing" the path from the BBC to Beijing runs through
        the reporter, who is the one in Beijing."""
        iob, label = self._columns[9], self._columns[10]
        for t in path:
            own = a.start <= t < a.end or b.start <= t < b.end
            if iob[t] != _IOB_OUTSIDE and label[t] and not own:
                return self.doc.vocab.strings[label[t]]
        return None

    def _shape(self, i: int) -> str:
        columns = self._columns
        if columns[8][i]:
            return "NUM"
        if columns[6][i]:
            return self.text[i]
        if columns[10][i]:
            return "ENT"
        return self.pos[i]

    def __call__(self, a: Span, a_type: str, b: Span, b_type: str) -> list[str]:
        """The features of "a relates to b", a and b in the same sentence."""
        first, second = (a, b) if a.start < b.start else (b, a)
        between = range(first.end, max(second.start, first.end))
        ha, hb = a.root.i, b.root.i
        lower, lemma, dep, pos, heads = self.lower, self.lemma, self.dep, self.pos, self._columns[5]
        is_punct, is_space, iob = self._columns[6], self._columns[7], self._columns[9]
        types = f"{a_type}>{b_type}"
        order = "fwd" if a.start < b.start else "rev"
        path, path_pos, path_tokens = self._path(ha, hb)
        via = self._entity_on_path(path_tokens, a, b)
        features = [
            f"types={types}",
            f"order={types}|{order}",
            f"dist={types}|{min(len(between), MAX_BETWEEN) // 3}",
            f"path={types}|{path}",
            f"path_pos={types}|{path_pos}",
            f"head_a={lemma[ha]}",
            f"head_b={lemma[hb]}",
            f"dep_a={a_type}|{dep[ha]}",
            f"dep_b={b_type}|{dep[hb]}",
            f"gov_a={a_type}|{lemma[heads[ha]]}",
            f"gov_b={b_type}|{lemma[heads[hb]]}",
            f"before_first={lower[first.start - 1] if first.start > 0 else '<s>'}",
            f"after_second={lower[second.end] if second.end < self.size else '</s>'}",
            f"ents_between={min(sum(1 for t in between if iob[t] == _IOB_BEGIN), 3)}",
            f"rivals={types}|{self._rival(a, a_type, b)}|{self._rival(b, b_type, a)}",
        ]
        # The words the path passes between the two heads ("Lee, head of the party": "head",
        # "of"): what links them, where `path` has only the labels and the meeting point.
        inner = [t for t in path_tokens if t not in (ha, hb)]
        if 0 < len(inner) <= 3:
            features.append(f"path_words={types}|{' '.join(lemma[t] for t in inner)}")
        features += [f"path_word={types}|{lemma[t]}" for t in inner[:4] if pos[t] in PATH_POS]
        if via is None:
            features.append(f"path_clear={types}")
        else:
            features += [f"path_via={types}|{via}", f"path_via_any={types}"]
        if len(between) <= 6:
            words = " ".join(lower[t] for t in between)
            shapes = " ".join(self._shape(t) for t in between)
            features += [
                f"btw_seq={types}|{order}|{words}",
                f"btw_shape={types}|{order}|{shapes}",
            ]
        else:
            features.append(f"btw_far={types}|{order}")
        for t in between[:MAX_BETWEEN]:
            if not is_punct[t] and not is_space[t]:
                features.append(f"btw={lemma[t]}")
                if pos[t] in ("VERB", "NOUN"):
                    features.append(f"btw_typed={types}|{lemma[t]}")
        features += [f"word_a={lower[t]}" for t in range(a.start, a.end)]
        features += [f"word_b={lower[t]}" for t in range(b.start, b.end)]
        features += self._name_edges("a", a, a_type) + self._name_edges("b", b, b_type)
        return features

    def _name_edges(self, side: str, span: Span, etype: str) -> list[str]:
        """How a name sits in its sentence, for telling a whole name from a piece of one
        or a thing of another type: a capitalized word just outside it ("All England
        Club" read as "England Club", "UK Coal" as "Coal"), a hyphen prefix ("Ex-Labour"),
        brackets around it (a club in a team sheet: "S Thompson (Northampton)"), and the
        shape of its words ("S Thompson", "XV")."""
        start, end = span.start, span.end
        shape = " ".join(_word_shape(self.text[t]) for t in range(start, min(end, start + 4)))
        label = self._columns[10][span.root.i]
        return [
            f"edge_{side}={etype}|{self._edge(start - 1, start)}|{self._edge(end, start)}",
            f"shape_{side}={etype}|{shape}",
            f"label_{side}={etype}|{self.doc.vocab.strings[label] if label else '-'}",
        ]

    def _edge(self, i: int, name: int) -> str:
        """The token beside a name (which starts at `name`), as a class: sentence edge,
        punctuation by its text, capitalized or lower-case word."""
        if i < 0 or i >= self.size or self.sentence_start[i] != self.sentence_start[name]:
            return "|"
        if self._columns[6][i]:
            return self.text[i]
        word = self.text[i]
        return "Cap" if word[:1].isupper() else "low"


def _word_shape(word: str) -> str:
    """A word's case shape: an initial ("S"), all capitals ("XV"), capitalized, hyphenated
    ("Ex-Labour") or lower case."""
    if "-" in word.strip("-"):
        return "H"
    if len(word) == 1 and word.isupper():
        return "I"
    if word.isupper():
        return "U"
    return "C" if word[:1].isupper() else "l"


def _gap(a: Span, b: Span) -> int:
    """Tokens between two spans."""
    return max(0, b.start - a.end, a.start - b.end)
