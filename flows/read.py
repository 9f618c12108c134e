"""Stage 1, read and clean: files become Articles, Articles become clean text for NLP.

Cleaning keeps an offset map, because provenance must point into the original text.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from flows.errors import RejectedDocument
from flows.model import Article, CleanArticle, OffsetMap, Rejection
from flows.names import QUOTES

TEXT_SUFFIXES = frozenset({".txt", ".md"})
TITLE_MAX_CHARS = 200
_WORDS_OR_SPACE = re.compile(r"\S+|\s+")


def discover(paths: Iterable[Path]) -> Iterator[Path | Rejection]:
    """Every readable document under `paths`, in a stable order; a Rejection for bad paths."""
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in TEXT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            yield from found
        elif path.is_file():
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield path
            else:
                yield Rejection(
                    display_path(path),
                    f"unsupported file type {path.suffix or '(none)'!r}; expected .txt or .md",
                )
        else:
            yield Rejection(display_path(path), "no such file or directory")


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is below it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def decode(data: bytes, item: str) -> str:
    """Bytes to text, or RejectedDocument saying exactly why not."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise RejectedDocument(item, "not valid UTF-16 despite its byte-order mark") from None
    if b"\x00" in data[:8192]:
        raise RejectedDocument(item, "binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RejectedDocument(
            item, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def make_article(article_id: str, source: str, text: str, title: str | None = None) -> Article:
    """An Article from decoded text; rejects empty text."""
    if not text.strip():
        raise RejectedDocument(source, "empty or whitespace-only text")
    if title is None:
        first_line = next(line.strip() for line in text.splitlines() if line.strip())
        title = first_line[:TITLE_MAX_CHARS]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Article(id=article_id, source=source, title=title, text=text, content_hash=digest)


def read_file(path: Path, max_bytes: int) -> Article:
    """One file as an Article. Its id is its display path, stable across runs."""
    item = display_path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise RejectedDocument(
                item, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise RejectedDocument(item, f"cannot read ({exc.strerror})") from None
    if not data.strip():
        raise RejectedDocument(item, "empty or whitespace-only file")
    return make_article(item, item, decode(data, item))


def read_all(paths: Iterable[Path], max_bytes: int) -> Iterator[Article | Rejection]:
    for found in discover(paths):
        if isinstance(found, Rejection):
            yield found
            continue
        try:
            yield read_file(found, max_bytes)
        except RejectedDocument as exc:
            yield Rejection(exc.item, exc.reason)


def clean(article: Article, drop_lines: Iterable[re.Pattern[str]]) -> CleanArticle:
    """Drop boilerplate lines, normalize quotes, collapse whitespace; map offsets back.

    Lines are kept as paragraphs separated by a blank line, so a sentence never spans two.
    """
    rules = tuple(drop_lines)
    pieces: list[str] = []
    clean_starts: list[int] = []
    original_starts: list[int] = []
    length = 0
    dropped: list[str] = []

    def emit(text: str, original_start: int) -> None:
        nonlocal length
        # Extend the current segment when this piece continues it in the original too.
        if not clean_starts or original_start - original_starts[-1] != length - clean_starts[-1]:
            clean_starts.append(length)
            original_starts.append(original_start)
        pieces.append(text)
        length += len(text)

    line_start = 0
    for line in article.text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped and any(rule.fullmatch(stripped) for rule in rules):
            dropped.append(stripped)
        elif stripped:
            if pieces:
                # The separator maps onto the line break that precedes this line.
                emit("\n\n", max(line_start - 2, 0))
            for run in _WORDS_OR_SPACE.finditer(body):
                if run.group().isspace():
                    inner = run.start() > 0 and run.end() < len(body.rstrip())
                    if inner:
                        emit(" ", line_start + run.start())
                else:
                    emit(run.group().translate(QUOTES), line_start + run.start())
        line_start += len(line)
    return CleanArticle(
        article=article,
        text="".join(pieces),
        offsets=OffsetMap(tuple(clean_starts) or (0,), tuple(original_starts) or (0,)),
        dropped_lines=tuple(dropped),
    )
