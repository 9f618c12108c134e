"""A lexicon learned from a corpus, as a file: gzipped JSON with its format's name, data
and never code (loading a pickle runs code). The same lexicon gives the same bytes, so a
rebuild by `make train` is checkable."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flows.errors import ConfigError

T = TypeVar("T")


def save_lexicon(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    with gzip.GzipFile(path, "wb", mtime=0) as out:  # mtime=0: same data, same bytes
        out.write(text.encode("utf-8"))


def load_lexicon(path: Path, what: str, fmt: str, parse: Callable[[dict[str, Any]], T]) -> T:
    """The lexicon `parse` makes of the file's data; a file that cannot be read, is of
    another format or is malformed is one ConfigError naming `what` and the path."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as raw:
            data = json.load(raw)
        if data.get("format") != fmt:
            raise ValueError(f"format {data.get('format')!r}, expected {fmt!r}")
        return parse(data)
    except OSError as exc:
        raise ConfigError(f"{what} {path}: cannot read ({exc})") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{what} {path}: malformed ({exc})") from None
