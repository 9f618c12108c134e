"""CrossRE news and CoNLL04 as articles with gold entities and relations.

Both come tokenized. The tokens are joined back into text, one sentence a paragraph, so
the product reads them as it reads any article: raw text in, its own recognizer and
extractors, statements out. Gold spans become character spans in that text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from flows.errors import ConfigError
from flows.model import Article
from flows.read import make_article

PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
QUOTES = {"``": '"', "''": '"'}
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'re", "n't", "'m",
                   "'ll", "'d", "'ve", "'S"}  # fmt: skip
NO_SPACE_AFTER = {"(", "[", "{", "$"}
CROSSRE_FILES = {
    "train": ("core-news-train.json", "extension-news-train.json"),
    "dev": ("core-news-dev.json", "extension-news-dev.json"),
    "test": ("core-news-test.json", "extension-news-test.json"),
}
# Consecutive CrossRE sentences are read as articles of this many sentences: the source
# articles' boundaries were dropped, and short forms resolve only within an article.
SENTENCES_PER_ARTICLE = 12


@dataclass(frozen=True)
class GoldEntity:
    start: int  # characters in the article text
    end: int
    label: str  # the scheme's own label: "person", "Peop", "misc"
    text: str


@dataclass(frozen=True)
class GoldRelation:
    head: int  # index into the sentence's entities
    tail: int
    label: str  # the scheme's own label: "role", "Work_For"


@dataclass(frozen=True)
class GoldSentence:
    start: int
    end: int
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]


@dataclass(frozen=True)
class GoldArticle:
    article: Article
    sentences: tuple[GoldSentence, ...]


def detokenize(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text from tokens, with each token's character span in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    open_quote = False
    glue_next = False
    for raw in tokens:
        token = QUOTES.get(raw, PTB.get(raw, raw))
        is_quote = token == '"'
        closing = is_quote and open_quote
        space = (
            bool(parts)
            and not glue_next
            and token not in NO_SPACE_BEFORE
            and not closing
            and not (token.startswith("'") and token.lower() in NO_SPACE_BEFORE)
        )
        if space:
            parts.append(" ")
            length += 1
        spans.append((length, length + len(token)))
        parts.append(token)
        length += len(token)
        if is_quote:
            open_quote = not open_quote
        glue_next = token in NO_SPACE_AFTER or (is_quote and open_quote)
    return "".join(parts), spans


@dataclass(frozen=True)
class _RawSentence:
    tokens: tuple[str, ...]
    entities: tuple[tuple[int, int, str], ...]  # first token, end token (exclusive), label
    relations: tuple[tuple[int, int, str], ...]  # head entity, tail entity, label


def _article(article_id: str, source: str, sentences: Sequence[_RawSentence]) -> GoldArticle:
    texts, gold = [], []
    offset = 0
    for s in sentences:
        text, spans = detokenize(s.tokens)
        entities = tuple(
            GoldEntity(
                start=offset + spans[a][0],
                end=offset + spans[b - 1][1],
                label=label,
                text=text[spans[a][0] : spans[b - 1][1]],
            )
            for a, b, label in s.entities
        )
        relations = tuple(GoldRelation(h, t, label) for h, t, label in s.relations)
        gold.append(GoldSentence(offset, offset + len(text), entities, relations))
        texts.append(text)
        offset += len(text) + 2
    article = make_article(article_id, source, "\n\n".join(texts) + "\n")
    return GoldArticle(article, tuple(gold))


def _read_lines(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON Lines ({exc})") from None


def crossre_files(data_dir: Path, split: str) -> list[Path]:
    if split not in CROSSRE_FILES:
        raise ConfigError(f"CrossRE has no split {split!r}; use one of {', '.join(CROSSRE_FILES)}")
    paths = [data_dir / name for name in CROSSRE_FILES[split]]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ConfigError(f"CrossRE {split}: missing {', '.join(missing)}")
    return paths


def read_crossre(data_dir: Path, split: str) -> list[GoldArticle]:
    """CrossRE news sentences, in source order, as articles of consecutive sentences."""
    sentences = []
    for path in crossre_files(data_dir, split):
        for record in _read_lines(path):
            entity_index = {(a, b): i for i, (a, b, _) in enumerate(record["ner"])}
            sentences.append(
                _RawSentence(
                    tokens=tuple(record["sentence"]),
                    entities=tuple((a, b + 1, label) for a, b, label in record["ner"]),
                    relations=tuple(
                        (entity_index[(h1, h2)], entity_index[(t1, t2)], label)
                        for h1, h2, t1, t2, label, *_ in record["relations"]
                        if (h1, h2) in entity_index and (t1, t2) in entity_index
                    ),
                )
            )
    return [
        _article(f"crossre-{split}-{i // SENTENCES_PER_ARTICLE:04d}", f"crossre/{split}", chunk)
        for i, chunk in _chunks(sentences, SENTENCES_PER_ARTICLE)
    ]


def _chunks(items: list, size: int) -> Iterator[tuple[int, list]]:
    for i in range(0, len(items), size):
        yield i, items[i : i + size]


def conll04_file(data_dir: Path, split: str) -> Path:
    path = data_dir / f"conll04_{split}.json"
    if not path.is_file():
        raise ConfigError(f"CoNLL04 {split}: missing {path}")
    return path


def read_conll04(data_dir: Path, split: str) -> list[GoldArticle]:
    """CoNLL04 sentences, each its own article (as a user would ingest them)."""
    path = conll04_file(data_dir, split)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read as JSON ({exc})") from None
    return [
        _article(
            f"conll04-{split}-{i:04d}",
            f"conll04/{split}",
            [
                _RawSentence(
                    tokens=tuple(r["tokens"]),
                    entities=tuple((e["start"], e["end"], e["type"]) for e in r["entities"]),
                    relations=tuple((x["head"], x["tail"], x["type"]) for x in r["relations"]),
                )
            ],
        )
        for i, r in enumerate(records)
    ]


def sha256_of(paths: Sequence[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
