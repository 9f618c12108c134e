"""The trained relation extractor: a linear model over pair features, stored as JSON.

The model scores every ordered pair of candidates in a sentence whose types some
relation type allows, and keeps at most one relation per pair of entities. Its confidence
is the probability that the pair holds some relation at all (1 - P(none), over the labels
those argument types allow); its type is the most probable of them. A pair is kept when
that confidence reaches the type's decision threshold, and a subject keeps one object
per sentence of the types the ontology marks `one_object`. The weights are data (one row
of numbers per feature), never pickled code; `flows/training/` produces them.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from flows.errors import ConfigError
from flows.ontology import Ontology
from flows.relations import Candidate, FoundRelation, sentence_groups
from flows.relations.evidence import without_cue
from flows.relations.features import DocFeatures
from flows.relations.lists import listed_together, name_lists

FORMAT = "kg-linear-relations/1"
NONE = "none"
MODEL_FILE = "model.json.gz"
# Entities with more tokens than this between them are not paired: far pairs in long news
# sentences are almost all unrelated, and their number grows as the square. Cross-validated
# on CrossRE dev (sum of unlabeled, typed and CoNLL04 F1 at the chosen thresholds), 25 beat
# 15, 20 and 35.
MAX_GAP = 25


@dataclass(frozen=True)
class LinearModel:
    labels: tuple[str, ...]  # NONE first, then relation types
    features: dict[str, int]  # feature -> row of `weights`
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)
    threshold: float  # the decision threshold of a type without one of its own
    version: str
    # Per relation type: the lowest probability at which its held-out precision met the
    # target (flows/training/train.py). Types differ: a death is rarely guessed wrong.
    thresholds: dict[str, float] = field(default_factory=dict)

    def threshold_for(self, label: str) -> float:
        return self.thresholds.get(label, self.threshold)

    def probabilities(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """Softmax over labels for each row of features."""
        logits = np.tile(self.bias, (len(rows), 1))
        for i, row in enumerate(rows):
            index = [self.features[f] for f in row if f in self.features]
            if index:
                logits[i] += self.weights[index].sum(axis=0)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "labels": list(self.labels),
            "threshold": self.threshold,
            "thresholds": dict(sorted(self.thresholds.items())),
            "bias": [round(float(b), 5) for b in self.bias],
            "weights": {
                feature: [round(float(w), 5) for w in self.weights[row]]
                for feature, row in sorted(self.features.items())
            },
        }

    def save(self, path: Path) -> None:
        text = json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True)
        # mtime=0: the same model gives the same bytes, so a rebuild is checkable.
        with gzip.GzipFile(path, "wb", mtime=0) as out:
            out.write(text.encode("utf-8"))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT!r}")
        features = data["weights"]
        names = list(features)
        weights = np.array([features[n] for n in names], dtype=np.float64)
        if weights.size == 0:
            weights = np.zeros((0, len(data["labels"])))
        return cls(
            labels=tuple(data["labels"]),
            features={n: i for i, n in enumerate(names)},
            weights=weights,
            bias=np.array(data["bias"], dtype=np.float64),
            threshold=float(data["threshold"]),
            thresholds={k: float(v) for k, v in data.get("thresholds", {}).items()},
            version=str(data["version"]),
        )

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as raw:
                return cls.from_json(json.load(raw))
        except OSError as exc:
            raise ConfigError(f"relation model {path}: cannot read ({exc})") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"relation model {path}: malformed ({exc})") from None


def candidate_pairs(
    candidates: Sequence[Candidate], allowed: Callable[[str, str], bool]
) -> list[tuple[int, int]]:
    """Ordered pairs of candidates in one sentence, near enough, whose types (subject,
    object) some relation type allows, and not two items of one list of names."""
    out = []
    for group in sentence_groups(candidates):
        lists = name_lists(candidates[group[0]].span.sent)
        for i in group:
            for j in group:
                a, b = candidates[i], candidates[j]
                if (
                    i != j
                    and max(a.span.start - b.span.end, b.span.start - a.span.end) <= MAX_GAP
                    and allowed(a.type, b.type)
                    and not (lists and listed_together(lists, a.span, b.span))
                ):
                    out.append((i, j))
    return out


class TrainedRelations:
    """RelationExtractor backed by a LinearModel."""

    name = "trained"
    calibrated = True

    def __init__(self, model: LinearModel, ontology: Ontology) -> None:
        unknown = [t for t in model.labels[1:] if t not in ontology.relation_types]
        if unknown:
            raise ConfigError(f"relation model predicts types not in the ontology: {unknown}")
        self.model = model
        self.ontology = ontology
        self.version = model.version
        self._label_index = {label: i for i, label in enumerate(model.labels)}
        self._allowed: dict[tuple[str, str], np.ndarray] = {}
        # Types the ontology reads only in a sentence holding one of their cues (KILLED).
        self._cued = [
            (self._label_index[name], rtype.cues)
            for name, rtype in ontology.relation_types.items()
            if rtype.cues is not None and name in self._label_index
        ]

    @classmethod
    def from_dir(cls, directory: Path, ontology: Ontology) -> TrainedRelations:
        return cls(LinearModel.load(directory / MODEL_FILE), ontology)

    def allowed(self, subject_type: str, object_type: str) -> np.ndarray:
        """A mask over labels: "none" and the types that allow these argument types."""
        key = (subject_type, object_type)
        if key not in self._allowed:
            mask = np.zeros(len(self.model.labels), dtype=bool)
            mask[0] = True
            for label, i in self._label_index.items():
                if i and self.ontology.allows(label, subject_type, object_type):
                    mask[i] = True
            self._allowed[key] = mask
        return self._allowed[key]

    def pairs(self, candidates: Sequence[Candidate]) -> list[tuple[int, int]]:
        return candidate_pairs(candidates, lambda a, b: bool(self.allowed(a, b)[1:].any()))

    def scored(
        self, doc: Doc, candidates: Sequence[Candidate]
    ) -> list[tuple[int, int, str, float]]:
        """(subject, object, best label, confidence that some relation holds) for every
        allowed pair. A type whose cues the pair's sentence lacks is never its best label
        (KILLED in a match report): the pair is as likely related, and the likeliest of
        the other types says how."""
        pairs = self.pairs(candidates)
        if not pairs:
            return []
        features = DocFeatures(doc, [(c.span, c.type) for c in candidates])
        rows = [
            features(candidates[i].span, candidates[i].type, candidates[j].span, candidates[j].type)
            for i, j in pairs
        ]
        probabilities = self.model.probabilities(rows)
        uncued = self._uncued(doc, candidates, features.sentence_start)
        out = []
        for (i, j), p in zip(pairs, probabilities, strict=True):
            # Whether a pair is related and how are two questions: types split the mass of
            # a related pair ("role" or "physical" for a person and a country), so the best
            # type's own probability understates that the pair is related at all.
            mask = self.allowed(candidates[i].type, candidates[j].type)
            allowed = np.where(mask, p, 0.0)
            allowed /= allowed.sum()
            related = 1.0 - float(allowed[0])
            allowed[~mask] = -1.0
            allowed[uncued.get(features.sentence_start[candidates[i].span.start], [])] = -1.0
            allowed[0] = -0.5  # "none" only where no type may say how they are related
            best = int(allowed.argmax())
            out.append((i, j, self.model.labels[best], related))
        return out

    def _uncued(
        self, doc: Doc, candidates: Sequence[Candidate], sentence_start: list[int]
    ) -> dict[int, list[int]]:
        """For each sentence of the candidates (by its first token), the labels whose cues
        it lacks."""
        out: dict[int, list[int]] = {}
        if not self._cued:
            return out
        for start in {sentence_start[c.span.start] for c in candidates}:
            first = doc[start : start + 1]
            out[start] = [k for k, cues in self._cued if without_cue(first, cues)]
        return out

    def extract(self, doc: Doc, candidates: Sequence[Candidate]) -> list[FoundRelation]:
        return self._one_object_each(self._best_per_pair(doc, candidates))

    def _best_per_pair(self, doc: Doc, candidates: Sequence[Candidate]) -> list[FoundRelation]:
        best: dict[frozenset[int], FoundRelation] = {}
        for i, j, label, p in self.scored(doc, candidates):
            if label == NONE or p < self.model.threshold_for(label):
                continue
            key = frozenset((i, j))
            if key in best and best[key].confidence >= p:
                continue
            best[key] = FoundRelation(
                predicate=label,
                subject=i,
                object=j,
                confidence=round(p, 4),
                extractor="trained",
                extractor_version=self.version,
            )
        return sorted(best.values(), key=lambda r: (r.subject, r.object, r.predicate))

    def _one_object_each(self, found: list[FoundRelation]) -> list[FoundRelation]:
        """Of a subject's readings of a `one_object` type, the surest: a mention's pairs
        all lie in its sentence, so this is one object per subject, type and sentence."""
        surest: dict[tuple[int, str], FoundRelation] = {}
        kept = []
        for r in found:
            if not self.ontology.relation_types[r.predicate].one_object:
                kept.append(r)
            elif (r.subject, r.predicate) not in surest or (
                surest[(r.subject, r.predicate)].confidence < r.confidence
            ):
                surest[(r.subject, r.predicate)] = r
        kept += surest.values()
        return sorted(kept, key=lambda r: (r.subject, r.object, r.predicate))
