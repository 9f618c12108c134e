"""BBC sentences whose every relation readers wrote down: gold rows in the news it serves.

CrossRE and CoNLL04 are Reuters and 1990s newswire, and the judged statements
(flows/training/judged.py) label only the pairs some model already wrote. These sentences
are annotated whole: each relation between their names that a judge would call right
(docs/relations/README.md), so every other pair of names in them is a "none" row, and a
relation no model wrote yet is a positive one. They come from the learned quarters of the
BBC articles only, like the judged statements the model learns from.

A pair of the product's candidates takes an annotated relation when both its names are
the annotated names, word for word ("Mr" aside for people); a candidate cut short or run
on matches no name, so its pairs are "none", as a judge would call its statements.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flows.ontology import Ontology
from flows.relations import Candidate
from flows.relations.trained import NONE
from flows.settings import REPO_ROOT

RELATIONS_FILE = REPO_ROOT / "docs" / "relations" / "bbc-relations.jsonl"
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady"})


@dataclass(frozen=True)
class AnnotatedRelation:
    subject: str
    predicate: str
    object: str


@dataclass(frozen=True)
class AnnotatedSentence:
    article: str
    sentence: str  # as a statement quotes it: the article's own characters, stripped
    relations: tuple[AnnotatedRelation, ...]


def annotated_sentences(path: Path = RELATIONS_FILE) -> list[AnnotatedSentence]:
    """Every annotated sentence, in file order; none if the file is absent."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        relations = tuple(
            AnnotatedRelation(r["subject"], r["predicate"], r["object"]) for r in row["relations"]
        )
        out.append(AnnotatedSentence(row["article"], row["sentence"].strip(), relations))
    return out


def digest(sentences: Sequence[AnnotatedSentence]) -> str:
    body = [[s.article, s.sentence, [[r.subject, r.predicate, r.object] for r in s.relations]]
            for s in sentences]  # fmt: skip
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


def _words(text: str) -> list[str]:
    words = re.findall(r"\w+", text.lower())
    if words and words[-1] == "s" and "'" in text:
        words = words[:-1]  # a possessive: "Arsenal's"
    if words and words[0] == "the":
        words = words[1:]
    return words


def _same_name(candidate: Candidate, name: str) -> bool:
    mention, words = _words(candidate.span.text), _words(name)
    if mention and mention[0] in _TITLES and candidate.type == "Person":
        mention = mention[1:]
    return bool(mention) and mention == words


def pair_labels(
    sentence: AnnotatedSentence,
    pairs: Sequence[tuple[int, int]],
    candidates: Sequence[Candidate],
    ontology: Ontology,
    labels: frozenset[str],
) -> dict[tuple[int, int], str]:
    """The label of every scored pair of the sentence: its annotated relation, or NONE.
    A pair whose annotated relation its candidates' types cannot hold is left out: the
    product typed a name wrong, and the pair teaches nothing about the relation."""
    out: dict[tuple[int, int], str] = {}
    skip: set[tuple[int, int]] = set()
    for i, j in pairs:
        a, b = candidates[i], candidates[j]
        for relation in sentence.relations:
            if relation.predicate not in labels:
                continue
            rtype = ontology.relation_types[relation.predicate]
            forward = _same_name(a, relation.subject) and _same_name(b, relation.object)
            backward = _same_name(a, relation.object) and _same_name(b, relation.subject)
            if not (forward or (backward and rtype.symmetric)):
                continue
            if not ontology.allows(relation.predicate, a.type, b.type):
                skip.add((i, j))
            elif (i, j) not in out or ontology.relation_types[out[(i, j)]].symmetric:
                # "Chelsea beat Everton" is both DEFEATED and OPPOSES: the directed type
                # says more, and a row has one label.
                out[(i, j)] = relation.predicate
    for pair in pairs:
        if pair not in out and pair not in skip:
            out[pair] = NONE
    return out
