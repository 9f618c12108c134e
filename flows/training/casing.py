"""Build the casing lexicon (flows/casing.py) from news text: `make train`, first step.

The corpus is the BBC articles and the training splits of CrossRE news and CoNLL04 (never
a dev or test split). A word's case is counted only away from the start of a sentence,
and never in an all-capitals paragraph (a headline, a table), where case says nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from flows.casing import LEXICON_FILE, CasingLexicon, Usage
from flows.training.data import (
    conll04_file,
    crossre_files,
    read_conll04,
    read_crossre,
    sha256_of,
)

MIN_SEEN = 2  # words seen less often are left out: an unknown word is no common word
WORD = re.compile(r"[^\W\d_]+")
SENTENCE_END = re.compile(r"[.!?:;]['\"\u2019\u201d)]*\s*$")


def is_all_caps(paragraph: str) -> bool:
    """At least 80% of the letters are capitals, in two words of two letters or more."""
    letters = [c for c in paragraph if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return False
    return sum(1 for w in WORD.findall(paragraph) if len(w) >= 2 and w.isupper()) >= 2


def corpus_texts(data: Path) -> tuple[list[str], dict[str, str]]:
    """The texts the lexicon learns from, and the sha256 of each file they came from."""
    bbc = data / "bbc" / "articles.jsonl"
    texts = [
        json.loads(line)["text"] for line in bbc.read_text(encoding="utf-8").splitlines() if line
    ]
    texts += [g.article.text for g in read_crossre(data / "crossre-news", "train")]
    texts += [g.article.text for s in ("train", "dev") for g in read_conll04(data / "conll04", s)]
    files = [bbc, *crossre_files(data / "crossre-news", "train")]
    files += [conll04_file(data / "conll04", s) for s in ("train", "dev")]
    return texts, sha256_of(files)


def build_lexicon(texts: Iterable[str], version: str = "") -> CasingLexicon:
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        for paragraph in re.split(r"\n\s*\n", text):
            if is_all_caps(paragraph):
                continue
            for match in WORD.finditer(paragraph):
                word = match.group()
                key = word.lower()
                seen[key] += 1
                before = paragraph[: match.start()]
                if not before.strip() or SENTENCE_END.search(before):
                    continue  # sentence-initial: capitalised whatever the word is
                if word.islower():
                    lower[key] += 1
                elif word[0].isupper():
                    capitalised[key] += 1
    words = {key: Usage(lower[key], capitalised[key]) for key, n in seen.items() if n >= MIN_SEEN}
    if not version:
        rows = sorted((k, u.lower, u.capitalised) for k, u in words.items())
        version = hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:12]
    return CasingLexicon(words, version)


def train_casing(data: Path, out: Path) -> dict:
    """Build and write the lexicon and its card; the card's contents."""
    texts, files = corpus_texts(data)
    lexicon = build_lexicon(texts)
    out.mkdir(parents=True, exist_ok=True)
    lexicon.save(out / LEXICON_FILE)
    card = {
        "model": "casing",
        "version": lexicon.version,
        "artifact": f"casing/{LEXICON_FILE}",
        "words": len(lexicon.words),
        "min_seen": MIN_SEEN,
        "trained_on": ["bbc articles", "crossre-news train", "conll04 train", "conll04 dev"],
        "training_data": files,
    }
    (out / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return card
