"""Fitting the linear relation model: multinomial logistic regression over pair features.

scikit-learn fits it; the result is copied into a LinearModel (plain numbers), so the
product never loads anything scikit-learn wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from flows.relations.trained import NONE, LinearModel


def fit(
    rows: Sequence[Sequence[str]],
    targets: Sequence[str],
    *,
    c: float,
    min_count: int,
    seed: int,
    threshold: float,
    version: str,
    weights: Sequence[float] | None = None,
) -> LinearModel:
    counts = Counter(f for row in rows for f in set(row))
    vocabulary = {
        f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))
    }
    indptr, indices = [0], []
    for row in rows:
        indices.extend(sorted({vocabulary[f] for f in row if f in vocabulary}))
        indptr.append(len(indices))
    x = csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(rows), len(vocabulary)),
    )
    classifier = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    classifier.fit(x, list(targets), sample_weight=None if weights is None else np.array(weights))
    classes = [str(k) for k in classifier.classes_]
    order = [classes.index(NONE), *(i for i, k in enumerate(classes) if k != NONE)]
    coef = classifier.coef_
    intercept = classifier.intercept_
    if len(classes) == 2:  # binary: scikit-learn keeps one row, for the second class
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    table = coef[order].T
    # Features whose weights are all but zero change no decision: leave them out.
    keep = np.abs(table).max(axis=1) >= 1e-4
    names = [f for f, i in sorted(vocabulary.items(), key=lambda kv: kv[1]) if keep[i]]
    return LinearModel(
        labels=tuple(classes[i] for i in order),
        features={f: i for i, f in enumerate(names)},
        weights=np.round(table[keep], 5),
        bias=np.round(intercept[order], 5),
        threshold=threshold,
        version=version,
    )
