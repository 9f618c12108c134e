"""The shipped recognizer is stored at half precision and computes at full precision."""

from __future__ import annotations

import numpy as np
import srsly

from flows.extract import load_nlp
from flows.settings import REPO_ROOT, load_settings
from flows.weights import WEIGHTS_FILE

NER = REPO_ROOT / "models" / "ner"


def test_the_stored_weights_are_float16_and_load_as_float32() -> None:
    stored = srsly.msgpack_loads((NER / WEIGHTS_FILE).read_bytes())
    arrays = [v for p in stored["params"] for v in p.values() if isinstance(v, np.ndarray)]
    assert arrays and all(a.dtype == np.float16 for a in arrays)

    ner = load_nlp(load_settings().spacy_model, NER).get_pipe("ner")
    loaded = [
        node.get_param(name)
        for node in ner.model.walk()
        for name in node.param_names
        if node.has_param(name)
    ]
    assert len(loaded) == len(arrays)
    assert all(a.dtype == np.float32 for a in loaded)
    assert sum(a.size for a in loaded) == sum(a.size for a in arrays)
    # Exactly the stored values, widened: nothing is lost on the way in.
    assert sorted(float(a.astype(np.float64).sum()) for a in loaded) == sorted(
        float(a.astype(np.float64).sum()) for a in arrays
    )
