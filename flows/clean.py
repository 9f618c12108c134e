"""Stage 1b, clean: an Article's text made ready for NLP. Boilerplate lines go, quotes
are normalized, whitespace collapsed; an offset map is kept, because provenance must point
into the original text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flows.model import Article, CleanArticle, OffsetMap
from flows.names import QUOTES

# Whitespace that cleaning changes: a run of several, or one that is not a plain space.
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")


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
        # Rules see the line as cleaning would leave it, so that clean text cleans the same.
        as_kept = " ".join(stripped.split()).translate(QUOTES)
        if stripped and any(rule.fullmatch(as_kept) for rule in rules):
            dropped.append(stripped)
        elif stripped:
            if pieces:
                # The separator maps onto the line break that precedes this line.
                emit("\n\n", max(line_start - 2, 0))
            # Text between odd spaces is kept as it is, one piece: quotes map one
            # character to one, so offsets within it carry over unchanged.
            start, end = len(body) - len(body.lstrip()), len(body.rstrip())
            for space in _ODD_SPACE.finditer(body, start, end):
                emit(body[start : space.start()].translate(QUOTES), line_start + start)
                emit(" ", line_start + space.start())
                start = space.end()
            emit(body[start:end].translate(QUOTES), line_start + start)
        line_start += len(line)
    return CleanArticle(
        article=article,
        text="".join(pieces),
        offsets=OffsetMap(tuple(clean_starts) or (0,), tuple(original_starts) or (0,)),
        dropped_lines=tuple(dropped),
    )
