"""How much choosing the thresholds on the scored folds flatters the dev figures.

`make train` chooses the per-type decision thresholds on the same cross-validated
predictions the model card then reports. Here each fold is scored at thresholds chosen on
the other four folds only (nested), beside the card's way, from the same fold models:

    .venv/bin/python tools/nested_thresholds.py [--data ../shared/data]

It trains the five fold models as `make train` does, with the judged BBC rows of the
other folds (flows/training/judged.py; about four minutes), and writes no model. C was
chosen on the same folds too; this does not undo that.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from flows.evaluation import Tally
from flows.pool import ExtractConfig, build_extractor
from flows.settings import REPO_ROOT, load_settings
from flows.training.crossval import (
    THRESHOLDS,
    Scores,
    _Memo,
    _score,
    _score_annotated,
    _score_judged,
    best_thresholds,
)
from flows.training.folds import FOLDS, blocks
from flows.training.judged import judged_rows
from flows.training.train import DEFAULT_THRESHOLD, read_corpus, relation_labels, train_model


def _merged(parts: Sequence[Scores]) -> Scores:
    merged = Scores()
    for name in ("unlabeled", "typed", "strict", "judged", "annotated"):
        into: Tally = getattr(merged, name)
        for part in parts:
            tally: Tally = getattr(part, name)
            for counter in ("found", "missed", "right", "wrong"):
                getattr(into, counter).update(getattr(tally, counter))
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    config = ExtractConfig.of(load_settings())
    extractor, ontology = build_extractor(replace(config, relation_extractors=()))
    corpus = read_corpus(config, args.data)
    labels = sorted(relation_labels(ontology))
    judged = judged_rows(extractor, args.data, relation_labels(ontology))
    judged_docs = [[d for d in judged.docs if d.fold == k] for k in range(FOLDS)]
    crossre, conll = blocks(corpus.crossre), blocks(corpus.conll04)
    models: list[_Memo] = []
    grids: list[dict[float, Scores]] = []  # per fold: threshold -> that fold's scores
    for k in range(FOLDS):
        training = [p for j in range(FOLDS) if j != k for p in crossre[j] + conll[j]]
        fold_model = train_model(training, ontology, DEFAULT_THRESHOLD, "fold", judged.without(k))
        memo = _Memo(fold_model, ontology)
        models.append(memo)
        grid = {t: Scores() for t in THRESHOLDS}
        for t in THRESHOLDS:
            model = memo.with_model(replace(memo.model, threshold=t))
            _score(extractor, model, crossre[k], conll[k], ontology, grid[t])
            _score_judged(model, judged_docs[k], grid[t].judged)
            _score_annotated(model, judged_docs[k], grid[t].annotated)
        grids.append(grid)
        print(f"fold {k + 1}/{FOLDS} scored", flush=True)

    def scored(k: int, thresholds: dict[str, float]) -> Scores:
        into = Scores()
        model = replace(models[k].model, thresholds=thresholds)
        _score(extractor, models[k].with_model(model), crossre[k], conll[k], ontology, into)
        _score_judged(models[k].with_model(model), judged_docs[k], into.judged)
        _score_annotated(models[k].with_model(model), judged_docs[k], into.annotated)
        return into

    everywhere = best_thresholds({t: _merged([g[t] for g in grids]) for t in THRESHOLDS}, labels)
    same_folds = _merged([scored(k, everywhere) for k in range(FOLDS)])
    nested_parts = []
    for k in range(FOLDS):
        others = {t: _merged([g[t] for j, g in enumerate(grids) if j != k]) for t in THRESHOLDS}
        nested_parts.append(scored(k, best_thresholds(others, labels)))
    nested = _merged(nested_parts)
    report = {}
    for name, scores in (("chosen on the scored folds", same_folds), ("nested", nested)):
        r = scores.report()
        report[name] = {
            "crossre_dev_unlabeled": r["crossre_dev"]["unlabeled"]["overall"],
            "crossre_dev_typed": r["crossre_dev"]["typed"]["overall"],
            "conll04_train_dev_strict": r["conll04_train_dev"]["strict"]["overall"],
            "bbc_judged": r["bbc_judged"]["overall"],
            "bbc_annotated": r["bbc_annotated"]["overall"],
        }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
