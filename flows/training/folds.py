"""The folds every held-out figure is measured on, for the recognizer and the relation model.

The shipped recognizer and relation model train on CrossRE news train and dev together,
about 2,050 Reuters sentences; dev alone is four times train. So that dev still measures
text a model never saw, CrossRE's articles (train, then dev, in source order) are cut into
FOLDS contiguous blocks, and each block is read by a recognizer trained on every other
block (`models/ner-folds/fold-K`), then scored by a relation model trained likewise
(`models/relations-folds/fold-K`). Both ship, so `kg eval` scores dev through the
product's own transform with each fold's models, training nothing.
Blocks are contiguous, not every fifth article, because consecutive articles of 12
sentences often come from one Reuters story: the same teams, names and table layout on
both sides of a split would flatter the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from flows.pool import ExtractConfig

FOLDS = 5
FOLDS_DIR = "ner-folds"
RELATION_FOLDS_DIR = "relations-folds"
T = TypeVar("T")


def blocks(items: Sequence[T]) -> list[list[T]]:
    """`items` in FOLDS contiguous blocks of (nearly) equal size, in order."""
    out: list[list[T]] = [[] for _ in range(FOLDS)]
    for i, item in enumerate(items):
        out[i * FOLDS // len(items)].append(item)
    return out


def crossre_folds(data_dir: Path) -> dict[str, int]:
    """Article id -> fold, for CrossRE news train and dev."""
    from flows.training.data import read_crossre

    articles = [a for split in ("train", "dev") for a in read_crossre(data_dir, split)]
    return {a.article.id: k for k, block in enumerate(blocks(articles)) for a in block}


def fold_recognizer(models_dir: Path, fold: int) -> Path:
    return models_dir / FOLDS_DIR / f"fold-{fold}"


def fold_relations(models_dir: Path, fold: int) -> Path:
    return models_dir / RELATION_FOLDS_DIR / f"fold-{fold}"


def fold_config(config: ExtractConfig, fold: int) -> ExtractConfig:
    """The product's transform with fold `fold`'s recognizer and relation model in place
    of the shipped ones (a recognizer or model of the user's own stays)."""
    models_dir = Path(config.models_dir)
    shipped_recognizer = config.recognizer == str(models_dir / "ner")
    return replace(
        config,
        recognizer=str(fold_recognizer(models_dir, fold))
        if shipped_recognizer
        else config.recognizer,
        relation_model=config.relation_model or str(fold_relations(models_dir, fold)),
    )
