"""CoNLL04: strict scoring rules, and the trained model's figures on the real test split."""

import json
from pathlib import Path

import pytest

from flows.conll04 import Sentence, gold_triples, read_split, score

from .conftest import SHARED

CONLL04 = SHARED / "data" / "conll04"


def sentence() -> Sentence:
    return Sentence(
        tokens=("John", "Wilkes", "Booth", "shot", "President", "Lincoln", "."),
        entities=((0, 3, "Peop"), (4, 6, "Peop")),
        relations=((0, 1, "Kill"),),
    )


def test_an_exact_match_scores_perfectly() -> None:
    s = sentence()
    assert score([s], [gold_triples(s)])["overall"] == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    "predicted",
    [
        ((1, 3, "Peop"), (4, 6, "Peop"), "Kill"),  # a head span one token short
        ((0, 3, "Peop"), (5, 6, "Peop"), "Kill"),  # a tail span without the title
        ((0, 3, "Org"), (4, 6, "Peop"), "Kill"),  # a wrong entity type
        ((0, 3, "Peop"), (4, 6, "Peop"), "Live_In"),  # a wrong relation type
        ((4, 6, "Peop"), (0, 3, "Peop"), "Kill"),  # the wrong direction
    ],
)
def test_strict_scoring_counts_any_difference_as_wrong(predicted) -> None:
    overall = score([sentence()], [{predicted}])["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (0, 1, 1)


def test_splits_are_read_with_ptb_brackets_undone() -> None:
    test = read_split(CONLL04, "test")
    assert len(test) == 288
    assert sum(len(s.relations) for s in test) == 422
    assert not any(t in ("-LRB-", "-RRB-") for s in test for t in s.tokens)


def test_trained_model_meets_the_bar_on_the_test_split(run_kg, tmp_path: Path) -> None:
    args = ("eval", "conll04", str(CONLL04), "--split", "test", "--json")
    first = run_kg(*args, "--data-dir", str(tmp_path), graph="conll")
    assert first.returncode == 0, first.stderr
    assert "training the CoNLL04 model once" in first.stderr
    scores = json.loads(first.stdout)
    overall = scores["overall"]
    assert overall["f1"] >= 0.50, overall
    assert overall["precision"] >= 0.60, overall
    assert overall["tp"] + overall["fn"] == 422  # every gold relation of the split counted
    assert set(scores["per_type"]) == {"Kill", "Live_In", "Located_In", "OrgBased_In", "Work_For"}

    again = run_kg(*args, "--data-dir", str(tmp_path), graph="conll")
    assert "training" not in again.stderr  # the saved model is reused
    assert json.loads(again.stdout) == scores
