"""The model card: card.json (read by tests and `kg eval`) and MODEL_CARD.md (for people)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _row(name: str, o: dict[str, Any]) -> str:
    return (
        f"| {name} | {o['precision']:.3f} | {o['recall']:.3f} | {o['f1']:.3f} | "
        f"{o['right']}/{o['statements']} | {o['found']}/{o['gold']} |"
    )


def _judged_lines(judged: dict[str, Any] | None) -> list[str]:
    if not judged:
        return []
    return [
        f"- judged BBC statements: {judged['statements']} verdicts on statements of the",
        f"  three quarters of the BBC articles learned from, as {judged['rows']} rows of the",
        f"  pairs the product scores (sha256 `{judged['sha256']}`; flows/training/judged.py).",
        "  Samples of record are drawn from the last quarter, which no model learned from.",
    ]


def write_card(directory: Path, card: dict[str, Any]) -> None:
    (directory / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    metrics = card["metrics"]
    dev = metrics["crossre_dev_cross_validated"]
    lines = [
        f"# Relation model `{card['version']}`",
        "",
        "A multinomial logistic regression over features of a pair of entity mentions in one",
        "sentence (dependency path, words between, heads, types), run on every article by",
        "`kg ingest` as the `trained` relation extractor. Its weights are plain JSON",
        f"(`{card['artifact']}`, format `{card['format']}`); nothing in it is executable.",
        "",
        "## How it was made",
        "",
        "`make train` (`python -m flows.training`) from the data in `../shared/data/`:",
        "",
        *(
            f"- `{name}`: sha256 `{digest}`"
            for name, digest in sorted(card["training_data"].items())
        ),
        "",
        f"- trained on: {', '.join(card['trained_on'])}",
        *_judged_lines(card.get("judged")),
        f"- entity recognizer: `models/ner` version `{card['recognizer']['version']}`, the",
        "  spaCy model's own fine-tuned on "
        + ", ".join(card["recognizer"]["trained_on"])
        + f" ({json.dumps(card['recognizer']['hyperparameters'])})",
        f"- spaCy pipeline: `{card['spacy_model']}`",
        f"- seed {card['seed']}; hyperparameters `{json.dumps(card['hyperparameters'])}`",
        f"- code: sha256 `{card['code_sha256']}` of {', '.join(card['code'])}",
        "",
        "## What it scores, through the product (`kg eval`)",
        "",
        "| measure | precision | recall | F1 | statements right | gold found |",
        "|---|---|---|---|---|---|",
        _row("CrossRE news dev, unlabeled (cross-validated)", dev["unlabeled"]),
        _row("CrossRE news dev, typed (cross-validated)", dev["typed"]),
        _row("CoNLL04 test, strict", metrics["conll04_test_strict"]),
        _row(
            "CoNLL04 train and dev, strict (cross-validated)",
            metrics["conll04_train_dev_cross_validated"],
        ),
        "",
        "Cross-validated figures: CrossRE train and dev, and CoNLL04 train and dev, are each",
        f"split into {card['hyperparameters']['folds']} contiguous folds (flows/training/",
        "folds.py); each article is scored by the model trained on the other folds, never on",
        "it, and each CrossRE article is read by the fold recognizer (models/ner-folds) that",
        "never trained on it. CoNLL04 test was never trained on, nor used to choose anything.",
        "The CrossRE dev fold models ship (`models/"
        + card["folds"]["directory"]
        + "`, with the shipped thresholds), so `kg eval",
        "crossre --split dev` scores dev through the product's own transform with them, and",
        "the dev figures above are what it measures. Their sha256:",
        "",
        *(f"- `{fold}`: `{digest}`" for fold, digest in sorted(card["folds"]["sha256"].items())),
        "",
        "",
        "The CoNLL04 train and dev figures flatter the model: the recognizer trained on those",
        "sentences. They only serve to choose thresholds.",
        "",
        "Confidence is the probability that a pair holds some relation at all; its type is",
        "the most probable one. Decision thresholds, per relation type: those that maximize",
        "the sum of the three cross-validated F1 scores (CrossRE unlabeled and typed, CoNLL04",
        "strict) while held-out precision stays at least "
        + " and ".join(
            f"{floor} ({measure.replace('_', ' ')})"
            for measure, floor in sorted(card["hyperparameters"]["min_precision"].items())
        )
        + ". They were chosen on the same",
        "cross-validated predictions that the dev figures score, so those figures are a",
        "little flattered. Every Statement keeps its confidence: the saved question",
        "`sure-relations`, or `KG_RELATION_MIN_CONFIDENCE=0.8` at ingest, keeps the surer",
        "ones (BBC judgements in docs/judged/README.md).",
        "",
        *(
            f"- `{label}`: {t}"
            for label, t in sorted(card["hyperparameters"]["thresholds"].items())
        ),
        "",
        "## Limits",
        "",
        "- One sentence at a time: a relation stated across sentences is not found.",
        "- Only relations between people, organizations and places: CrossRE relations with a",
        "  `misc` argument (events, nationalities as adjectives, products) count as missed.",
        "- Trained on Reuters (1996) and TREC newswire: other registers score lower.",
    ]
    (directory / "MODEL_CARD.md").write_text("\n".join(lines) + "\n")
