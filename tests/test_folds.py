"""The folds held-out figures are measured on: contiguous blocks, each article in one, and
a recognizer shipped for each that never saw its articles."""

import json

from flows.settings import REPO_ROOT
from flows.training.data import read_crossre
from flows.training.folds import FOLDS, blocks, crossre_folds, fold_recognizer

from .conftest import SHARED

MODELS = REPO_ROOT / "models"
CROSSRE = SHARED / "data" / "crossre-news"


def test_blocks_are_contiguous_and_cover_every_item_once() -> None:
    items = list(range(172))
    folds = blocks(items)
    assert len(folds) == FOLDS
    assert [i for fold in folds for i in fold] == items  # in order, each once
    assert max(map(len, folds)) - min(map(len, folds)) <= 1
    assert blocks([1, 2]) == [[1], [], [2], [], []]  # fewer items than folds: some empty


def test_every_crossre_article_has_one_fold_and_dev_spans_them_all() -> None:
    fold_of = crossre_folds(CROSSRE)
    dev = read_crossre(CROSSRE, "dev")
    train = read_crossre(CROSSRE, "train")
    assert len(fold_of) == len(dev) + len(train)
    assert {fold_of[a.article.id] for a in dev} == set(range(FOLDS))
    # Source order: a fold is one stretch of articles, never every fifth.
    order = [fold_of[a.article.id] for a in [*train, *dev]]
    assert order == sorted(order)


def test_each_fold_has_a_recognizer_named_in_the_card() -> None:
    card = json.loads((MODELS / "ner" / "card.json").read_text())
    assert "crossre-news dev" in card["trained_on"]
    for fold in range(FOLDS):
        directory = fold_recognizer(MODELS, fold)
        name = str(directory.relative_to(MODELS))
        assert (directory / "VERSION").read_text().strip() == card["folds"][name]
        assert {p.name for p in directory.iterdir()} >= {"cfg", "model", "moves"}
    assert len(set(card["folds"].values()) | {card["version"]}) == FOLDS + 1
