"""Gold articles through the product's recognizer: labelled pairs of its own candidates.

Training pairs are built from the entities the product itself finds, so the model learns
what to do with the spans and types it will see, mistakes included. A candidate is the
gold entity it overlaps most in the same gold sentence; a pair is labelled with the
ontology type that covers the gold label, in the ontology's direction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from flows.clean import clean
from flows.extract import Extractor
from flows.model import CleanArticle
from flows.ontology import Ontology
from flows.relations import Candidate
from flows.relations.features import DocFeatures
from flows.relations.trained import NONE, candidate_pairs
from flows.training.data import GoldArticle


@dataclass(frozen=True)
class Parsed:
    """A gold article as the product parsed it."""

    gold: GoldArticle
    scheme: str  # "crossre" or "conll04": how its labels map into the ontology
    doc: Doc
    clean: CleanArticle
    candidates: tuple[Candidate, ...]


def parse(extractor: Extractor, articles: Iterable[GoldArticle], scheme: str) -> list[Parsed]:
    gold = list(articles)
    cleaned = (clean(g.article, extractor.ontology.drop_lines) for g in gold)
    return [
        Parsed(g, scheme, doc, c, tuple(candidates))
        for g, (doc, c, candidates) in zip(gold, extractor.parse(cleaned), strict=True)
    ]


def _alignment(parsed: Parsed) -> list[tuple[int, int] | None]:
    """For each candidate, (gold sentence, gold entity) it overlaps most, if any."""
    out: list[tuple[int, int] | None] = []
    for candidate in parsed.candidates:
        start, end = parsed.clean.offsets.span_to_original(
            candidate.span.start_char, candidate.span.end_char
        )
        best, best_overlap = None, 0
        for si, sentence in enumerate(parsed.gold.sentences):
            if not (sentence.start <= start < sentence.end):
                continue
            for ei, entity in enumerate(sentence.entities):
                overlap = min(end, entity.end) - max(start, entity.start)
                if overlap > best_overlap:
                    best, best_overlap = (si, ei), overlap
        out.append(best)
    return out


def pair_label(
    parsed: Parsed,
    aligned: Sequence[tuple[int, int] | None],
    i: int,
    j: int,
    labels: frozenset[str],
    ontology: Ontology,
) -> str:
    """The ontology type of "candidate i relates to candidate j", or NONE."""
    a, b = aligned[i], aligned[j]
    if a is None or b is None or a[0] != b[0] or a[1] == b[1]:
        return NONE
    ti, tj = parsed.candidates[i].type, parsed.candidates[j].type
    for rel in parsed.gold.sentences[a[0]].relations:
        if {rel.head, rel.tail} != {a[1], b[1]}:
            continue
        for rtype in ontology.relation_types_for(parsed.scheme, rel.label):
            if rtype.name not in labels or not ontology.allows(rtype.name, ti, tj):
                continue
            # The gold direction decides, unless the type is symmetric or its argument
            # types fix the direction anyway (CrossRE writes "role" both ways round).
            if rel.head == a[1] or rtype.symmetric or not ontology.allows(rtype.name, tj, ti):
                return rtype.name
    return NONE


def examples(
    parsed: Iterable[Parsed], labels: frozenset[str], ontology: Ontology, gold: bool = False
) -> tuple[list[list[str]], list[str]]:
    """Features and gold label of every candidate pair the extractor would score: of the
    recognizer's candidates, or with `gold`, of the gold entities' own spans."""
    rows: list[list[str]] = []
    targets: list[str] = []

    def allowed(a: str, b: str) -> bool:
        return any(ontology.allows(label, a, b) for label in labels)

    for p in parsed:
        if gold:
            candidates, aligned = gold_candidates(p, ontology)
            p = Parsed(p.gold, p.scheme, p.doc, p.clean, candidates)
        else:
            aligned = _alignment(p)
        features = DocFeatures(p.doc, [(c.span, c.type) for c in p.candidates])
        for i, j in candidate_pairs(p.candidates, allowed):
            ci, cj = p.candidates[i], p.candidates[j]
            rows.append(features(ci.span, ci.type, cj.span, cj.type))
            targets.append(pair_label(p, aligned, i, j, labels, ontology))
    return rows, targets


def gold_candidates(parsed: Parsed, ontology: Ontology) -> tuple[tuple[Candidate, ...], list]:
    """The gold entities of a parsed article as candidates, with their alignment (each is
    itself): more, and cleaner, examples of what each relation looks like."""
    types = ontology.scheme_types.get(parsed.scheme, {})
    starts = {}
    for token in parsed.doc:
        start, _ = parsed.clean.offsets.span_to_original(token.idx, token.idx + len(token))
        starts[start] = token.i
    ends = {}
    for token in parsed.doc:
        _, end = parsed.clean.offsets.span_to_original(token.idx, token.idx + len(token))
        ends[end] = token.i + 1
    candidates, aligned = [], []
    for si, sentence in enumerate(parsed.gold.sentences):
        for ei, entity in enumerate(sentence.entities):
            etype = types.get(entity.label)
            first, last = starts.get(entity.start), ends.get(entity.end)
            if etype is None or first is None or last is None or last <= first:
                continue
            span = parsed.doc[first:last]
            if span.sent.start != parsed.doc[last - 1].sent.start:
                continue
            candidates.append(Candidate(span, etype))
            aligned.append((si, ei))
    return tuple(candidates), aligned
