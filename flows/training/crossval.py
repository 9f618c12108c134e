"""Held-out scores by cross-validation, and the decision thresholds chosen from them.

CrossRE's and CoNLL04's training articles are each split into folds (flows/training/
folds.py); fold k's model trains on every other fold and scores only fold k, whose CrossRE
articles fold k's recognizer read. So every score here comes from a
model that never saw the article it scores, through the product's own extract_doc and
resolve. The scores of CrossRE dev articles are the dev figures in the model card.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.tokens import Doc

from flows.across_articles import across
from flows.evaluation import Tally, score_conll04, score_crossre
from flows.extract import Extractor
from flows.model import ArticleGraph
from flows.ontology import Ontology
from flows.relations import Candidate, rule_extractors
from flows.relations.trained import NONE, LinearModel, TrainedRelations
from flows.resolve import resolve
from flows.training.examples import Parsed
from flows.training.folds import FOLDS, blocks
from flows.training.judged import JudgedDoc, JudgedRows

# The share right of the judged BBC statements (learning half, each scored by the fold
# model that did not learn from it) the thresholds must keep: CrossRE's precision says
# little of BBC's, where the thresholds CrossRE alone chose wrote about half wrong.
# Measured 2026-12-06 (CrossRE dev unlabeled F1; BBC statements per article, share right
# of the judged statements of the unlearned half): no floor 0.479, 4.15, 51.2%; 0.51
# 0.473, 3.59, 55.3%; 0.53 0.456, 3.13, 57.5%; 0.55 0.457, 2.97 (under the 3),
# 59.9%. Stop 58, with the per-type floors below: 0.51 put WORKS_FOR at 0.1 (3.78 per
# article, 55.1%); 0.55 0.4556, 3.36, 58.8%, and CoNLL04 test P 0.678.
BBC_FLOOR = 0.55
# And each type's own share, where it makes at least TYPE_FLOOR_MIN statements: a type
# the BBC's readers mostly judge wrong, or one that writes CoNLL04's relations badly, is
# held back however much CrossRE's F1 would gain from it. Measured 2026-12-06:
# - BBC, on one model (CrossRE dev unlabeled F1; BBC statements per article, unlearned
#   half's held share): none 0.4715, 3.69, 56.8%; 0.45 0.4612, 3.37, 58.3% (OPPOSES,
#   BASED_IN and DEFEATED held back); 0.50 0.4501, at the line.
# - CoNLL04, once the recognizer learned BBC names (docs/entities): none put WORKS_FOR at
#   0.05, CoNLL04 test P 0.585 (under the 0.60), 4.97 BBC statements per article;
#   0.60, or the overall floor at 0.70, 0.1 and P 0.607; 0.65 0.25, P 0.648, CrossRE dev
#   0.4743.
TYPE_FLOORS = {"bbc_judged": 0.45, "conll04_strict": 0.65}
TYPE_FLOOR_MIN = 30
# Decision thresholds tried for each relation type (flows/relations/trained.py).
THRESHOLDS = tuple(round(0.05 + 0.025 * i, 3) for i in range(37))
# The operating point: per-type thresholds that maximize the sum of the held-out F1 scores
# the product is judged by (CrossRE unlabeled and typed, CoNLL04 strict, the annotated BBC
# sentences), as long as held-out precision stays at least this. The bar is 0.60
# on both; the margin is for news the thresholds were not chosen on.
#
# The annotated BBC sentences (docs/relations/, learning half, out of fold) are a measure
# with gold, so their F1 joins the objective. Measured 2026-12-06 with 4,000 annotated
# sentences, one model, thresholds only (CrossRE dev unlabeled F1 at the chosen
# thresholds and nested, tools/nested_thresholds.py; BBC statements per article;
# precision on docs/relations/unlearned; judged right of 300): without MIN_F1 0.4394;
# MIN_F1 0.46 and a floor of 0.42 on the annotated precision out of fold 0.4577, nested
# 0.437, 3.91, 52.1%, 148 of 300; MIN_F1 0.465 and no floor 0.4775, 4.73, 44.5%, shipped:
# the floor bought BBC precision the judges did not see (stop 57's model: 144 of 300) with
# CrossRE's margin on held-out news.
MIN_PRECISION = {"crossre_unlabeled": 0.65, "conll04_strict": 0.65, "bbc_judged": BBC_FLOOR}
# The held-out F1 the thresholds should keep on CrossRE news, the line the held-out
# Reuters articles are scored on: each point under it costs ten of the objective, so the
# BBC's measures buy precision out of CrossRE's margin over the 0.45 and 0.35,
# not out of the line itself.
#
# Unlabeled 0.50, not 0.465 (stop 62): at 0.465 the figure chosen on the scored folds was
# 0.4842 but nested (each fold at thresholds chosen on the other four,
# tools/nested_thresholds.py) 0.4490, under the line the held-out news is scored on. At
# 0.50 the thresholds of AFFILIATED_WITH, BASED_IN, DEFEATED and HOLDS_POSITION come down
# and nested goes to 0.4750 (typed 0.3653 against 0.3648), for out-of-fold precision on
# the annotated BBC sentences of 0.410 against 0.452 (nested). The folds' counts give the
# same thresholds for any value from 0.485 to 0.51.
MIN_F1 = {"crossre_unlabeled": 0.50, "crossre_typed": 0.36}
F1_SHORTFALL_COST = 10.0
ROUNDS = 4  # of coordinate ascent over the types: it settles in two or three
# Thresholds whose objective is within this of the best are ties, and the highest of them
# wins: a few held-out relations more or less is noise, while a lower threshold costs
# precision on the news it is applied to (on BBC, WORKS_FOR at 0.125 against 0.25 added
# "X told Reuters" as working for Reuters to the seed graph for 0.001 of objective).
# 0.001 rather than 0.002: both keep WORKS_FOR at 0.375; the wider band also lifted
# HOLDS_POSITION from 0.075 to 0.15, for 0.006 less unlabeled F1 on CrossRE dev and no
# typed F1 (chosen on the same cross-validated predictions the card reports).
TIE = 0.001


@dataclass
class Scores:
    unlabeled: Tally = field(default_factory=Tally)  # CrossRE dev
    typed: Tally = field(default_factory=Tally)  # CrossRE dev
    strict: Tally = field(default_factory=Tally)  # CoNLL04 train and dev
    judged: Tally = field(default_factory=Tally)  # judged BBC statements: precision only
    annotated: Tally = field(default_factory=Tally)  # annotated BBC sentences

    def report(self) -> dict[str, Any]:
        return {
            "crossre_dev": {"unlabeled": self.unlabeled.report(), "typed": self.typed.report()},
            "conll04_train_dev": {"strict": self.strict.report()},
            "bbc_judged": self.judged.report(),
            "bbc_annotated": self.annotated.report(),
        }


class _Memo(TrainedRelations):
    """A fold's extractor that scores each doc once, whatever the thresholds tried."""

    def __init__(self, model: LinearModel, ontology: Ontology) -> None:
        super().__init__(model, ontology)
        self._memo: dict[int, list[tuple[int, int, str, float]]] = {}

    def scored(self, doc: Doc, candidates: Sequence[Candidate]) -> list:
        key = id(doc)
        if key not in self._memo:
            self._memo[key] = super().scored(doc, candidates)
        return self._memo[key]

    def with_model(self, model: LinearModel) -> _Memo:
        twin = _Memo(model, self.ontology)
        twin._memo = self._memo
        return twin


def graphs_with(
    extractor: Extractor, relations: TrainedRelations, parsed: Sequence[Parsed], ontology: Ontology
) -> list[ArticleGraph]:
    """The product's statements for parsed articles with `relations` as the trained
    extractor and the hand-written ones beside it: extract_doc and resolve, as `kg ingest`
    runs."""
    original = extractor.relation_extractors
    extractor.relation_extractors = (relations, *rule_extractors(ontology))
    try:
        return [
            resolve(extractor.extract_doc(p.doc, p.clean, list(p.candidates)), ontology)
            for p in parsed
        ]
    finally:
        extractor.relation_extractors = original


def cross_validate(
    extractor: Extractor,
    crossre: Sequence[Parsed],
    conll04: Sequence[Parsed],
    ontology: Ontology,
    train: Callable[[Sequence[Parsed], JudgedRows | None], LinearModel],
    choose: Callable[[dict[float, Scores]], dict[str, float]],
    grid_thresholds: Sequence[float] = THRESHOLDS,
    log: Callable[[str], None] = print,
    judged: JudgedRows | None = None,
) -> tuple[dict[str, float], dict[float, Scores], Scores, list[LinearModel]]:
    """(per-type thresholds chosen from uniform-threshold scores, those scores, the
    scores at the chosen thresholds, the fold models at those thresholds). Fold k's model
    learns from the judged BBC rows of the other folds and scores fold k's judged
    statements."""
    crossre_folds, conll_folds = blocks(crossre), blocks(conll04)
    judged_docs = [
        [d for d in (judged.docs if judged else ()) if d.fold == k] for k in range(FOLDS)
    ]
    fold_models: list[_Memo] = []
    grid = {t: Scores() for t in grid_thresholds}
    for k in range(FOLDS):
        training = [p for j in range(FOLDS) if j != k for p in crossre_folds[j] + conll_folds[j]]
        memo = _Memo(train(training, judged.without(k) if judged else None), ontology)
        fold_models.append(memo)
        for t in grid_thresholds:
            fold_model = memo.with_model(replace(memo.model, threshold=t))
            _score(extractor, fold_model, crossre_folds[k], conll_folds[k], ontology, grid[t])
            _score_judged(fold_model, judged_docs[k], grid[t].judged)
            _score_annotated(fold_model, judged_docs[k], grid[t].annotated)
        log(f"fold {k + 1}/{FOLDS} scored at {len(grid_thresholds)} thresholds")
    chosen = choose(grid)
    final = Scores()
    for k, memo in enumerate(fold_models):
        model = memo.with_model(replace(memo.model, thresholds=chosen))
        _score(extractor, model, crossre_folds[k], conll_folds[k], ontology, final)
        _score_judged(model, judged_docs[k], final.judged)
        _score_annotated(model, judged_docs[k], final.annotated)
    return chosen, grid, final, [replace(m.model, thresholds=chosen) for m in fold_models]


def _score_judged(relations: TrainedRelations, docs: Sequence[JudgedDoc], into: Tally) -> None:
    """Of the judged statements, those the model writes again, right or wrong: the
    share right of what it keeps (it cannot see what it would add)."""
    for d in docs:
        written = {
            (r.subject, r.object, r.predicate) for r in relations.extract(d.doc, list(d.candidates))
        }
        for i, j, predicate, right in d.verdicts:
            if (i, j, predicate) in written:
                into.statement(predicate, right)


def _score_annotated(relations: TrainedRelations, docs: Sequence[JudgedDoc], into: Tally) -> None:
    """Precision and recall on the annotated BBC sentences: a statement on one of their
    pairs is right when the readers gave the pair its type; a relation they wrote down
    between two of the product's candidates is found when the model writes it (a
    symmetric one, either way round, counts once)."""
    for d in docs:
        if not d.annotated:
            continue
        label = {(i, j): rel for i, j, rel in d.annotated}
        written = {
            (r.subject, r.object, r.predicate) for r in relations.extract(d.doc, list(d.candidates))
        }
        for i, j, predicate in written:
            if (i, j) in label:
                into.statement(predicate, label[(i, j)] == predicate)
        counted = set()
        for i, j, rel in d.annotated:
            if rel == NONE or (j, i, rel) in counted:
                continue
            counted.add((i, j, rel))
            into.gold(rel, (i, j, rel) in written or (j, i, rel) in written)


def _score(
    extractor: Extractor,
    relations: TrainedRelations,
    crossre: Sequence[Parsed],
    conll04: Sequence[Parsed],
    ontology: Ontology,
    into: Scores,
) -> None:
    dev = [p for p in crossre if p.gold.article.source == "crossre/dev"]
    graphs = across(graphs_with(extractor, relations, dev, ontology), ontology)
    score_crossre([p.gold for p in dev], graphs, ontology,
                  {"unlabeled": into.unlabeled, "typed": into.typed})  # fmt: skip
    graphs = across(graphs_with(extractor, relations, conll04, ontology), ontology)
    score_conll04([p.gold for p in conll04], graphs, ontology, into.strict)


@dataclass(frozen=True)
class _Counts:
    """Statements made and right at one threshold, per type, and gold relations."""

    right: dict[str, dict[str, int]]  # measure -> type -> right statements
    made: dict[str, dict[str, int]]  # measure -> type -> statements
    gold: dict[str, int]  # measure -> gold relations


def _counts(scores: Scores) -> _Counts:
    tallies = {"crossre_unlabeled": scores.unlabeled, "crossre_typed": scores.typed,
               "conll04_strict": scores.strict, "bbc_judged": scores.judged,
               "bbc_annotated": scores.annotated}  # fmt: skip
    return _Counts(
        right={m: dict(t.right) for m, t in tallies.items()},
        made={m: dict(t.right + t.wrong) for m, t in tallies.items()},
        gold={m: sum(t.found.values()) + sum(t.missed.values()) for m, t in tallies.items()},
    )


def _under_type_floor(counts: _Counts, label: str) -> int:
    """How many of TYPE_FLOORS the type's statements fall under."""
    under = 0
    for measure, floor in TYPE_FLOORS.items():
        made = counts.made[measure].get(label, 0)
        right = counts.right[measure].get(label, 0)
        under += made >= TYPE_FLOOR_MIN and right / made < floor
    return under


def best_thresholds(grid: dict[float, Scores], labels: Sequence[str]) -> dict[str, float]:
    """Per-type thresholds at the best operating point (MIN_PRECISION), by coordinate
    ascent over the uniform-threshold grid.

    Each measure is estimated from per-type counts: a type's statements at its threshold
    are the same whatever the other types' thresholds (one relation per pair aside), and
    a right statement is one gold relation found, so F1 = 2 * right / (gold + made)."""
    counts = {t: _counts(s) for t, s in grid.items()}
    gold = next(iter(counts.values())).gold

    def objective(chosen: dict[str, float]) -> float:
        # A type under its own floor costs more than any F1 gains, without making the
        # other types' choices moot: each is still weighed against the rest.
        total = -float(sum(_under_type_floor(counts[t], k) for k, t in chosen.items()))
        for measure, n_gold in gold.items():
            right = sum(counts[t].right[measure].get(k, 0) for k, t in chosen.items())
            made = sum(counts[t].made[measure].get(k, 0) for k, t in chosen.items())
            floor = MIN_PRECISION.get(measure)
            if floor is not None and made and right / made < floor:
                return -1.0
            if n_gold:  # the judged BBC statements have no gold: a floor, not a score
                # Under MIN_F1, each point of F1 lost costs F1_SHORTFALL_COST points.
                f1 = 2 * right / (n_gold + made)
                total += f1 - F1_SHORTFALL_COST * max(0.0, MIN_F1.get(measure, 0.0) - f1)
        return total

    chosen = {label: THRESHOLDS[-1] for label in labels}
    for _ in range(ROUNDS):
        for label in labels:
            scores = {t: objective({**chosen, label: t}) for t in THRESHOLDS}
            best_score = max(scores.values())
            chosen[label] = max(t for t, score in scores.items() if score >= best_score - TIE)
    return chosen
