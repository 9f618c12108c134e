"""Relation extractors: a parsed doc and its candidate mentions in, relation mentions out.

An extractor is a small class with a `name`, a `version` and `extract()`. The settings
name the extractors to run (`relation_extractors`), in order; a new one is a new class in
`EXTRACTORS`, nothing else. What each one found is stamped on every statement it made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from spacy.tokens import Doc, Span

from flows.errors import ConfigError
from flows.ontology import Ontology


@dataclass(frozen=True)
class Candidate:
    """An entity span that a relation may connect: `type` is the ontology type."""

    span: Span
    type: str
    # A demonym ("Chinese") names a place only in passing: it becomes a mention of its
    # own only when a relation uses it.
    optional: bool = False

    @property
    def sentence_start(self) -> int:
        return self.span.sent.start


@dataclass(frozen=True)
class FoundRelation:
    """A relation between two candidates (indexes into the candidate list)."""

    predicate: str
    subject: int
    object: int
    confidence: float
    extractor: str  # which extractor, and within it which rule or model
    extractor_version: str
    role: str | None = None


class RelationExtractor(Protocol):
    name: str
    version: str
    # Whether confidence is a probability learned from data (the setting
    # relation_min_confidence applies), or a fixed prior of a hand-written rule (it does not).
    calibrated: bool

    def extract(self, doc: Doc, candidates: Sequence[Candidate]) -> list[FoundRelation]: ...


def sentence_groups(candidates: Sequence[Candidate]) -> Iterator[list[int]]:
    """Indexes of the candidates, grouped by the sentence they are in."""
    groups: dict[int, list[int]] = {}
    for i, candidate in enumerate(candidates):
        groups.setdefault(candidate.sentence_start, []).append(i)
    yield from groups.values()


def without_second_objects(
    scored: Sequence[FoundRelation], sure: Sequence[FoundRelation], ontology: Ontology
) -> list[FoundRelation]:
    """The scored readings but those that give a second object of a `one_object` type to
    a mention a rule gave one (either end, for a symmetric type): a line of fixtures pairs
    each side with one other ("France v Cyprus; Republic of Ireland v Switzerland" puts
    France against Cyprus, not against Switzerland)."""
    taken: dict[tuple[int, str], int] = {}
    for r in sure:
        rtype = ontology.relation_types.get(r.predicate)
        if rtype is not None and rtype.one_object:
            taken[(r.subject, r.predicate)] = r.object
            if rtype.symmetric:
                taken[(r.object, r.predicate)] = r.subject
    return [
        r
        for r in scored
        if taken.get((r.subject, r.predicate), r.object) == r.object
        and (
            not ontology.relation_types[r.predicate].symmetric
            or taken.get((r.object, r.predicate), r.subject) == r.subject
        )
    ]


# An extractor from the ontology and the directory of the trained relation model (the
# shipped models/relations, or a fold's model that `kg eval` scores held-out text with).
Factory = Callable[[Ontology, Path], RelationExtractor]


def _trained(ontology: Ontology, relations_dir: Path) -> RelationExtractor:
    from flows.relations.trained import TrainedRelations

    return TrainedRelations.from_dir(relations_dir, ontology)


def _patterns(ontology: Ontology, relations_dir: Path) -> RelationExtractor:
    from flows.relations.patterns import PatternRelations

    return PatternRelations(ontology)


def _scores(ontology: Ontology, relations_dir: Path) -> RelationExtractor:
    from flows.relations.scores import ResultsLineRelations

    return ResultsLineRelations(ontology)


EXTRACTORS: dict[str, Factory] = {"trained": _trained, "patterns": _patterns, "scores": _scores}
# The hand-written extractors: what the trained one is scored beside when its thresholds
# are chosen (flows/training/crossval.py), as `kg ingest` runs them.
RULES = ("patterns", "scores")


def rule_extractors(ontology: Ontology) -> list[RelationExtractor]:
    """The hand-written extractors (RULES): they need no model directory."""
    return [EXTRACTORS[name](ontology, Path()) for name in RULES]


def build_extractors(
    names: Sequence[str], ontology: Ontology, relations_dir: Path
) -> list[RelationExtractor]:
    unknown = [n for n in names if n not in EXTRACTORS]
    if unknown:
        raise ConfigError(
            f"unknown relation extractor {unknown[0]!r}; known: {', '.join(sorted(EXTRACTORS))}"
        )
    return [EXTRACTORS[name](ontology, relations_dir) for name in names]
