"""The fine-tuned recognizer's weights, stored at half precision.

spaCy writes a pipe's weights as thinc msgpack in float32: 6.2 MB for the recognizer.
`make train` rewrites that file with every float32 array as float16 (3.1 MB, still plain
msgpack: data, never code), and loading casts them back to float32 before thinc sees
them, so the model computes exactly as one trained at full precision with these weights.
On CrossRE news dev, CoNLL04 test and the 2,225 BBC articles, the product's entities and
statements are the same as with the float32 file (measured when the change was made).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import srsly
from spacy.pipeline import EntityRecognizer
from thinc.util import convert_recursive, is_xp_array

WEIGHTS_FILE = "model"
STORAGE = "float16 weights in spaCy's msgpack, cast to float32 on load (flows/weights.py)"


def _cast(data: dict[str, Any], cast: Callable[[np.ndarray], np.ndarray]) -> dict[str, Any]:
    for params in data["params"]:
        for name, value in params.items():
            if isinstance(value, np.ndarray) and value.dtype.kind == "f":
                params[name] = cast(value)
    return data


def store_half_precision(directory: Path) -> None:
    """Rewrite a spaCy pipe directory's weights with float16 arrays."""
    path = directory / WEIGHTS_FILE
    data = srsly.msgpack_loads(path.read_bytes())
    path.write_bytes(srsly.msgpack_dumps(_cast(data, lambda a: a.astype(np.float16))))


def load_recognizer(ner: EntityRecognizer, directory: Path) -> None:
    """`ner.from_disk(directory)`, with its weights cast to float32 on the way in."""
    ner.from_disk(directory, exclude=[WEIGHTS_FILE])
    data = srsly.msgpack_loads((directory / WEIGHTS_FILE).read_bytes())
    widened = _cast(data, lambda a: a.astype(np.float32))
    # What thinc's Model.from_bytes does once it has unpacked the bytes: no second pack.
    ner.model.from_dict(convert_recursive(is_xp_array, ner.model.ops.asarray, widened))
