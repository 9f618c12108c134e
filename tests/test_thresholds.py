"""How the decision thresholds are chosen from cross-validated counts (crossval.py)."""

from __future__ import annotations

from flows.training.crossval import THRESHOLDS, Scores, best_thresholds


def _grid(judged_low: tuple[int, int]) -> dict[float, Scores]:
    """LIVES_IN finds 10 of 20 CrossRE relations below 0.5 and 5 from 0.5 on, always at
    precision 0.83; below 0.5 it keeps `judged_low` (right, wrong) judged BBC statements,
    from 0.5 on 20 right and 5 wrong."""
    grid = {}
    for t in THRESHOLDS:
        scores = Scores()
        found, right, wrong = (10, 10, 2) if t < 0.5 else (5, 5, 1)
        judged_right, judged_wrong = judged_low if t < 0.5 else (20, 5)
        for measure in (scores.unlabeled, scores.typed):
            for k in range(20):
                measure.gold("physical", k < found)
            for _ in range(right):
                measure.statement("LIVES_IN", True)
            for _ in range(wrong):
                measure.statement("LIVES_IN", False)
        for _ in range(judged_right):
            scores.judged.statement("LIVES_IN", True)
        for _ in range(judged_wrong):
            scores.judged.statement("LIVES_IN", False)
        grid[t] = scores
    return grid


def test_a_type_judged_mostly_wrong_on_bbc_is_held_back() -> None:
    # Below 0.5, LIVES_IN doubles its CrossRE relations; judged BBC statements of it are
    # 40% right there (under its BBC floor, TYPE_FLOORS), so the floor keeps it at 0.5 or more.
    held_back = best_thresholds(_grid(judged_low=(24, 36)), ["LIVES_IN"])
    assert held_back["LIVES_IN"] >= 0.5
    # Judged 70% right, nothing holds it back from the lower threshold's F1.
    free = best_thresholds(_grid(judged_low=(42, 18)), ["LIVES_IN"])
    assert free["LIVES_IN"] < 0.5


def _annotated_grid(right_low: int) -> dict[float, Scores]:
    """As `_grid`, with the judged statements all right, and annotated BBC sentences: 40
    relations written down; below 0.5 LIVES_IN makes 60 statements on them, `right_low`
    of them right, from 0.5 on 20 statements, 16 right."""
    grid = _grid(judged_low=(60, 0))
    for t, scores in grid.items():
        right, made = (right_low, 60) if t < 0.5 else (16, 20)
        for k in range(40):
            scores.annotated.gold("LIVES_IN", k < right)
        for k in range(made):
            scores.annotated.statement("LIVES_IN", k < right)
    return grid


def test_the_annotated_bbc_sentences_keep_their_precision_floor() -> None:
    # Below 0.5, LIVES_IN doubles its CrossRE relations but its statements on the
    # annotated BBC sentences are 30% right: under their floor (MIN_PRECISION), so it stays
    # at 0.5 or more, where they are 80% right.
    assert best_thresholds(_annotated_grid(right_low=18), ["LIVES_IN"])["LIVES_IN"] >= 0.5
    # At 60% right, the lower threshold's F1 wins.
    assert best_thresholds(_annotated_grid(right_low=36), ["LIVES_IN"])["LIVES_IN"] < 0.5
