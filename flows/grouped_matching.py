"""spaCy's one-token work, with the same rules and the same output, at a fraction of the
cost: the model's attribute ruler, its lemmatizer, and the relation patterns'
DependencyMatcher.

Both run dozens of one-token patterns through spaCy's Matcher on every token: the
attribute ruler of `en_core_web_sm` (180 rules mapping tags to parts of speech and
morphology) took 16% of the whole pipeline's time, more than its parser, and the pattern
extractor's DependencyMatcher another 5%. But a one-token pattern can only look at the
token itself, and only at the attributes it names. So tokens are grouped by those values
(a word no pattern names standing for any such word), the Matcher runs once per new
group, on one token of it, and the answer is kept for the rest of the process.

Patterns that test anything else (an operator, an extension attribute, fuzzy matching)
keep spaCy's own matching. The lemmatizer is grouped the same way, by the three values
its rules read (see `KeptLemmatizer`). Tests compare each with spaCy's own on real
articles, token by token.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Open vocabularies: a value no pattern names is grouped with every other such value.
OPEN = ("ORTH", "LOWER", "NORM", "LEMMA")
# Closed sets of values, grouped on exactly, whatever a pattern tests on them.
CLOSED = (
    "TAG", "POS", "DEP", "ENT_TYPE", "ENT_IOB", "IS_SPACE", "IS_PUNCT", "IS_TITLE",
    "IS_UPPER", "IS_LOWER", "IS_ALPHA", "IS_DIGIT", "LIKE_NUM",
)  # fmt: skip
OPEN_TESTS = {"IN", "NOT_IN", "REGEX"}
# Stands for an unnamed word: real values are 64-bit string hashes, and the empty
# value (0) is kept as itself, since a pattern may test for it.
UNNAMED = 1

Pattern = list[dict[str, Any]]


class OneTokenMatcher:
    """Like spaCy's Matcher, for one-token patterns: (key, start, end) for each match, in
    token order. `exact` is False when a pattern cannot be grouped on; then it must not
    be called."""

    def __init__(self, vocab: Vocab, rules: Iterable[tuple[str | int, list[Pattern]]]) -> None:
        self.strings = vocab.strings
        self.matcher = Matcher(vocab, validate=False)
        attrs: list[str] = []
        self.named: dict[str, set[int]] = defaultdict(lambda: {0})
        self.regexes: dict[str, list[re.Pattern[str]]] = defaultdict(list)
        self.exact = True
        for key, patterns in rules:
            if patterns:
                self.matcher.add(key, patterns)
            for pattern in patterns:
                if len(pattern) != 1:
                    self.exact = False
                    continue
                for attr, test in pattern[0].items():
                    attr = "ORTH" if attr == "TEXT" else attr
                    if not self._note(attr, test):
                        self.exact = False
                    elif attr not in attrs:
                        attrs.append(attr)
        self.attrs = attrs
        self.ids = [IDS[a] for a in attrs]
        self.open = [(i, a) for i, a in enumerate(attrs) if a in OPEN]
        self.known = {a: np.fromiter(self.named[a], dtype=np.uint64) for _, a in self.open}
        self.checked: dict[str, set[int]] = defaultdict(set)  # against the regexes
        self.groups: dict[tuple[int, ...], list[int]] = {}

    def _note(self, attr: str, test: Any) -> bool:
        """Record the values a test names; whether tokens can be grouped on it."""
        if attr in CLOSED:
            return True
        if attr not in OPEN:
            return False
        if not isinstance(test, dict):
            self.named[attr].add(self.strings.add(str(test)))
            return True
        if not set(test) <= OPEN_TESTS:
            return False
        for op, values in test.items():
            if op == "REGEX":
                self.regexes[attr].append(re.compile(values))
            else:
                self.named[attr] |= {self.strings.add(str(v)) for v in values}
        return True

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not len(doc) or not self.attrs:
            return []
        values = doc.to_array(self.ids).astype(np.uint64).reshape(len(doc), len(self.ids))
        for column, attr in self.open:
            if self.regexes[attr]:
                self._check_regexes(attr, values[:, column])
            values[~np.isin(values[:, column], self.known[attr]), column] = UNNAMED
        keys, first, group_of = np.unique(values, axis=0, return_index=True, return_inverse=True)
        hits = []
        for key, i in zip(map(tuple, keys.tolist()), first.tolist(), strict=True):
            group = self.groups.get(key)
            if group is None:
                group = [m for m, _, _ in self.matcher(doc[i : i + 1], allow_missing=True)]
                self.groups[key] = group
            hits.append(group)
        return [(m, i, i + 1) for i, g in enumerate(group_of.reshape(-1).tolist()) for m in hits[g]]

    def _check_regexes(self, attr: str, column: np.ndarray) -> None:
        """A value a pattern's regex matches counts as named: add the new ones."""
        matched = []
        for value in set(column.tolist()) - self.checked[attr]:
            self.checked[attr].add(value)
            if any(r.search(self.strings[value]) for r in self.regexes[attr]):
                matched.append(value)
        if matched:
            self.known[attr] = np.concatenate(
                [self.known[attr], np.array(matched, dtype=np.uint64)]
            )


# --- the attribute ruler ----------------------------------------------------------------


class GroupedAttributeRuler(AttributeRuler):
    """An AttributeRuler whose one-token rules are matched once per group of like tokens;
    rules of more than one token go through a Matcher of their own. Matches are applied
    as spaCy applies them, in rule order, by its own `set_annotations`."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", **kwargs: Any) -> None:
        super().__init__(vocab, name, **kwargs)
        self._single: OneTokenMatcher | None = None
        self._multi: Matcher | None = None

    def add(self, patterns: Iterable[Any], attrs: dict[str, Any], index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._single = None

    def _compile(self) -> OneTokenMatcher:
        # A rule's key is its index as a string, as AttributeRuler.add makes it.
        rules = [(str(i), rule["patterns"]) for i, rule in enumerate(self.patterns)]
        single = OneTokenMatcher(
            self.vocab, [(k, [p for p in ps if len(p) == 1]) for k, ps in rules]
        )
        self._multi = Matcher(self.vocab, validate=False)
        for key, patterns in rules:
            longer = [p for p in patterns if len(p) != 1]
            if longer:
                self._multi.add(key, longer)
        self._single = single
        return single

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        single = self._single or self._compile()
        if not single.exact:
            return super().match(doc)
        found = single(doc)
        if self._multi is not None and len(self._multi):
            found += self._multi(doc, allow_missing=True)
        strings = self.vocab.strings
        # As AttributeRuler.match: sorted by rule index, so that later rules win.
        return sorted((int(strings[m]), m, s, e) for m, s, e in found)


@Language.factory("grouped_attribute_ruler", default_config={"validate": False})
def make_grouped_attribute_ruler(nlp: Language, name: str, validate: bool) -> GroupedAttributeRuler:
    return GroupedAttributeRuler(nlp.vocab, name, validate=validate)


def group_attribute_ruler(nlp: Language) -> None:
    """Swap the pipeline's attribute ruler for a grouped one with the same rules."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler) or isinstance(ruler, GroupedAttributeRuler):
        return
    rules = ruler.patterns
    grouped = nlp.replace_pipe(
        "attribute_ruler", "grouped_attribute_ruler", config={"validate": ruler.validate}
    )
    grouped.add_patterns(rules)


# --- the lemmatizer -----------------------------------------------------------------------


class KeptLemmatizer:
    """spaCy's rule lemmatizer with every answer kept. Its rules read a token's text, part
    of speech and morphology and nothing else, so one answer per (text, part of speech,
    morphology) is the same answer. spaCy keeps only some of them: a word its rules call a
    base form (a singular noun, an infinitive, an adjective), most of the words of news,
    goes through the rules again each time. And each new word's candidate forms are looked
    up in its word lists (57,000 adjectives) one entry at a time; as sets they are the same
    lists. The two took 4% of the pipeline's time; kept, a tenth of that."""

    def __init__(self) -> None:
        self.inner: Lemmatizer | None = None
        self._lemma_of: dict[tuple[int, int, int], int] = {}

    def wrap(self, inner: Lemmatizer) -> None:
        """Answer as `inner` does (a rule lemmatizer, taken out of its pipeline)."""
        # Only ever tested for membership (`form in index`), so a set answers the same.
        index = inner.lookups.get_table("lemma_index", {})
        for pos, forms in list(index.items()):
            index[pos] = frozenset(forms)
        self.inner = inner
        self._lemma_of.clear()

    def __call__(self, doc: Doc) -> Doc:
        inner = self.inner
        if inner is None:
            raise ValueError("KeptLemmatizer has no lemmatizer to keep the answers of")
        strings = doc.vocab.strings
        lemma_of = self._lemma_of
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = values[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(values.tolist()):
            # As spaCy's: a lemma set before (by the attribute ruler) stays.
            if lemma and not inner.overwrite:
                continue
            key = (orth, pos, morph)
            found = lemma_of.get(key)
            if found is None:
                found = lemma_of[key] = strings.add(inner.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory("kept_lemmatizer")
def make_kept_lemmatizer(nlp: Language, name: str) -> KeptLemmatizer:
    return KeptLemmatizer()


def keep_lemmas(nlp: Language) -> None:
    """Swap the pipeline's rule lemmatizer for one that keeps its answers."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    inner = nlp.get_pipe("lemmatizer")
    if not isinstance(inner, Lemmatizer) or inner.mode != "rule":
        return
    kept = nlp.replace_pipe("lemmatizer", "kept_lemmatizer")
    kept.wrap(inner)


# --- the dependency matcher ----------------------------------------------------------------


class GroupedDependencyMatcher(DependencyMatcher):
    """A DependencyMatcher whose node patterns (one token each) are matched once per group
    of like tokens. It replaces the one step of spaCy's that matches them, and finds each
    matched token's root from the head array rather than by walking Token objects."""

    def __init__(self, vocab: Vocab, *, validate: bool = False) -> None:
        super().__init__(vocab, validate=validate)
        self._nodes: OneTokenMatcher | None = None

    def add(self, key: str, patterns: list[Pattern], *, on_match: Any = None) -> None:
        super().add(key, patterns, on_match=on_match)
        self._nodes = None

    def _compile(self) -> OneTokenMatcher:
        node_keys = {k for lists in self._tokens_to_key.values() for keys in lists for k in keys}
        rules = [(k, self._matcher.get(k)[1]) for k in sorted(node_keys)]
        self._nodes = OneTokenMatcher(self.vocab, rules)
        return self._nodes

    def _get_keys_to_position_maps(self, doc: Doc) -> Any:
        nodes = self._nodes or self._compile()
        if not nodes.exact:
            return super()._get_keys_to_position_maps(doc)
        heads = (doc.to_array("HEAD").astype(np.int64) + np.arange(len(doc))).tolist()
        roots: dict[int, int] = {}
        positions: Any = defaultdict(lambda: defaultdict(list))
        for match_id, start, _ in nodes(doc):
            positions[_root(start, heads, roots)][match_id].append(start)
        return positions


def _root(i: int, heads: list[int], roots: dict[int, int]) -> int:
    """The root of token i's tree (heads: each token's head index, a root its own)."""
    path = []
    while i not in roots and heads[i] != i:
        path.append(i)
        i = heads[i]
    root = roots.get(i, i)
    for j in path:
        roots[j] = root
    roots[i] = root
    return root
