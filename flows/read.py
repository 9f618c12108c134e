"""Stage 1, read: files, JSON Lines and feeds become Articles, or Rejections that name the
item and the reason. flows/clean.py then makes their text ready for NLP."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path

from flows.errors import RejectedDocument
from flows.model import Article, Rejection

TEXT_SUFFIXES = frozenset({".txt", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES
TITLE_MAX_CHARS = 200
# A whole web page saved as .txt or .md: its markup would become "text" and "names".
_HTML_PAGE = re.compile(r"\s*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)


def discover(paths: Iterable[Path]) -> Iterator[Path | Rejection]:
    """Every readable document under `paths`, in a stable order; a Rejection for bad paths
    and for files of other types, whether given directly or found in a folder (hidden
    files and folders aside)."""
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            yield from (p if p.suffix.lower() in SUFFIXES else _unsupported(p) for p in found)
        elif path.is_file():
            yield path if path.suffix.lower() in SUFFIXES else _unsupported(path)
        else:
            yield Rejection(shown(display_path(path)), "no such file or directory")


def _unsupported(path: Path) -> Rejection:
    return Rejection(
        shown(display_path(path)),
        f"unsupported file type {path.suffix or '(none)'!r}; expected .txt, .md or .jsonl",
    )


def count_items(paths: Iterable[Path]) -> int:
    """How many articles the local paths hold (a JSON Lines file: its non-blank lines)."""
    total = 0
    for found in discover(paths):
        if isinstance(found, Path) and found.suffix.lower() in JSONL_SUFFIXES:
            with found.open("rb") as lines:
                total += sum(1 for line in lines if line.strip())
        else:
            total += 1
    return total


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is below it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def source_name(path: Path, root: Path) -> str:
    """A found file's stable name, its Article's id: its path below the source root it was
    found under, headed by that root's own name ("seeds/000.txt" for `kg ingest seeds/`).
    It does not depend on the directory the command runs from. A file given directly is
    found under its own folder, so `kg ingest seeds/000.txt` names it the same."""
    if root.is_dir() and path != root:
        return (Path(folder_name(root)) / path.relative_to(root)).as_posix()
    return (Path(path.resolve().parent.name) / path.name).as_posix()


def folder_name(folder: Path) -> str:
    """What the ids of the files found under `folder` start with (see `source_name`)."""
    return folder.resolve().name


def shown(item: str) -> str:
    """An item's name fit for one line of output: control characters (a newline in a file
    name), and bytes a file name holds that are not UTF-8, written as escapes."""
    if item.isprintable():
        return item
    return "".join(_escaped(c) for c in item)


def _escaped(char: str) -> str:
    if char.isprintable():
        return char
    if 0xDC80 <= ord(char) <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


def _bad_name(item: str) -> str | None:
    """Why a file's name cannot be an article id or source, if it cannot."""
    try:
        item.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    return None


def decode(data: bytes, item: str) -> str:
    """Bytes to text, or RejectedDocument saying exactly why not."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise RejectedDocument(item, "not valid UTF-16 despite its byte-order mark") from None
    if b"\x00" in data:
        raise RejectedDocument(item, "binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RejectedDocument(
            item, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def make_article(
    article_id: str, source: str, text: str, title: str | None = None, **metadata: str | None
) -> Article:
    """An Article from decoded text; rejects empty text. `metadata`: url, published_at,
    feed, fetched_at."""
    if not text.strip():
        raise RejectedDocument(source, "empty or whitespace-only text")
    if not title:
        first_line = next(line.strip() for line in text.splitlines() if line.strip())
        title = first_line[:TITLE_MAX_CHARS]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Article(
        id=article_id, source=source, title=title, text=text, content_hash=digest, **metadata
    )


def storable(item: str, **fields: str | None) -> None:
    """RejectedDocument unless every field is text the stores can hold: no NUL (FalkorDB
    cuts a query short at one) and no lone surrogate (not encodable as UTF-8). A UTF-16
    file, JSON escapes and web pages can each produce both."""
    for name, value in ((k, v) for k, v in fields.items() if isinstance(v, str)):
        if "\x00" in value:
            raise RejectedDocument(item, f"{name} contains a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise RejectedDocument(
                item, f"{name} is not valid Unicode (lone surrogate at character {exc.start})"
            ) from None


def _not_a_web_page(item: str, text: str) -> None:
    if _HTML_PAGE.match(text):
        raise RejectedDocument(item, "an HTML page, not plain text; ingest it by its URL")


def read_file(path: Path, max_bytes: int, name: str | None = None) -> Article:
    """One file as an Article. Its id is `name` (see `source_name`), else its display
    path; errors name it by its display path, the path as the user sees it."""
    item = display_path(path)
    if reason := _bad_name(item):
        raise RejectedDocument(item, reason)
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
    text = decode(data, item)
    _not_a_web_page(item, text)
    storable(item, text=text)
    name = name or item
    return make_article(name, name, text)


def read_jsonl(
    path: Path, max_bytes: int, name: str | None = None
) -> Iterator[Article | Rejection]:
    """One Article per line: {"id", "title", "text"} and optionally "url", "published",
    "source" (else the file's `name`). A bad line is a Rejection named by file and line;
    the others go on."""
    item = display_path(path)
    if reason := _bad_name(item):
        yield Rejection(shown(item), reason)
        return
    try:
        lines = path.open("rb")
    except OSError as exc:
        yield Rejection(shown(item), f"cannot read ({exc.strerror})")
        return
    with lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            where = f"{item}:{number}"
            try:
                record = _json_object(decode(raw, where).strip(), where)
                if not isinstance(record, dict):
                    raise RejectedDocument(where, "expected a JSON object")
                missing = [k for k in ("id", "text") if not isinstance(record.get(k), str)]
                if missing:
                    raise RejectedDocument(where, f"missing or non-string {', '.join(missing)}")
                fields = {
                    "id": record["id"],
                    "source": str(record.get("source") or name or item),
                    "text": record["text"],
                    "title": record.get("title") if isinstance(record.get("title"), str) else None,
                    "url": _optional_str(record.get("url")),
                    "published": _optional_str(record.get("published")),
                }
                storable(where, **fields)
                if len(record["text"].encode("utf-8")) > max_bytes:
                    raise RejectedDocument(where, f"text is over the {max_bytes:,}-byte limit")
                _not_a_web_page(where, record["text"])
                yield make_article(
                    fields["id"],
                    fields["source"],
                    fields["text"],
                    title=fields["title"],
                    url=fields["url"],
                    published_at=fields["published"],
                )
            except RejectedDocument as exc:
                yield Rejection(shown(where), exc.reason)


def _json_object(line: str, where: str) -> object:
    """One parsed JSON Lines record, or RejectedDocument with the parser's reason."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        # Some messages end "... at" and expect the position to follow.
        where_in_line = f" column {exc.colno}" if exc.msg.endswith(" at") else ""
        raise RejectedDocument(where, f"not valid JSON ({exc.msg}{where_in_line})") from None
    except RecursionError:
        raise RejectedDocument(where, "not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise RejectedDocument(where, f"not valid JSON ({str(exc).split(':')[0]})") from None


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def is_url(source: str) -> bool:
    """Whether a source is a web address (a feed or a page) rather than a local path."""
    return source.startswith(("http://", "https://"))


def read_all(
    paths: Iterable[Path | str], max_bytes: int, fetcher=None
) -> Iterator[Article | Rejection]:
    """Articles from files, folders, JSON Lines and (with a `fetcher`) web feeds."""
    local: list[Path] = []
    for path in paths:
        if isinstance(path, str) and is_url(path):
            if fetcher is None:
                yield Rejection(path, "web sources are not enabled here")
            else:
                yield from (_checked(item) for item in fetcher(path))
        else:
            local.append(Path(path))
    for root in local:
        for found in discover([root]):
            if isinstance(found, Rejection):
                yield found
                continue
            name = source_name(found, root)
            if found.suffix.lower() in JSONL_SUFFIXES:
                yield from read_jsonl(found, max_bytes, name)
            else:
                try:
                    yield read_file(found, max_bytes, name)
                except RejectedDocument as exc:
                    yield Rejection(shown(exc.item), exc.reason)


def _checked(item: Article | Rejection) -> Article | Rejection:
    """A fetched article, or its Rejection if it holds text the stores cannot."""
    if isinstance(item, Rejection):
        return item
    try:
        storable(item.id, **asdict(item))
    except RejectedDocument as exc:
        return Rejection(shown(exc.item), exc.reason)
    return item
