"""How words are written across a news corpus: which capitalised words are common words.

The recognizer reads case, and a capitalised common word can look like a name to it: a
heading ("Attendance", "Schedule"), a word opening a headline ("Broadband", "Tsunami"), a
generic noun ("Government", "Telecoms"). Whether a one-word entity is such a word is
decided from how the corpus writes it away from the start of a sentence, never from a
list of the junk seen so far: a word written in lower case nearly every time is a common
word, not a name.

The lexicon is data (`models/casing/lexicon.json.gz`): for each word, how often it was
seen in lower case and capitalised away from the start of a sentence. `make train` builds
it (flows/training/casing.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from flows.lexicon_file import load_lexicon, save_lexicon

FORMAT = "kg-casing/1"
LEXICON_FILE = "lexicon.json.gz"
_WORDS = re.compile(r"[^\W\d_]+")
# A word is common, not a name, when it is written in lower case at least this share of
# the times it is seen mid-sentence, and seen at least COMMON_MIN_SEEN times. 0.8 rather
# than 0.9: on CrossRE dev it drops 6 more wrong nodes ("Education", "Winter") and no
# right one; on BBC it drops "Digital", "Euro" and "Skills" as names, and loses "Sale"
# (the rugby club) and "Respect" (the party), about one real name in five of what it drops.
COMMON_SHARE = 0.8
COMMON_MIN_SEEN = 10


@dataclass(frozen=True)
class Usage:
    lower: int  # seen in lower case, away from the start of a sentence
    capitalised: int  # seen capitalised (or in capitals), away from the start of a sentence


@dataclass(frozen=True)
class CasingLexicon:
    words: dict[str, Usage]  # lower-case word -> usage
    version: str

    def is_common_word(self, word: str) -> bool:
        usage = self.words.get(word.lower())
        if usage is None:
            return False
        seen = usage.lower + usage.capitalised
        return seen >= COMMON_MIN_SEEN and usage.lower >= COMMON_SHARE * seen

    def is_mostly_lower_case(self, word: str) -> bool:
        """A word the corpus writes in lower case more often than not, seen so at least
        twice: an English word, where a romanized given name ("chon", "lac") is unseen."""
        usage = self.words.get(word.lower())
        return usage is not None and usage.lower >= 2 and usage.lower > usage.capitalised

    def is_only_lower_case(self, word: str) -> bool:
        """Seen in lower case and never capitalised away from a sentence's start, however
        rare: "faultless"."""
        usage = self.words.get(word.lower())
        return usage is not None and usage.lower > 0 and usage.capitalised == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "words": {w: [u.lower, u.capitalised] for w, u in sorted(self.words.items())},
        }

    def save(self, path: Path) -> None:
        save_lexicon(path, self.to_json())

    @classmethod
    def load(cls, path: Path) -> CasingLexicon:
        def parse(data: dict[str, Any]) -> CasingLexicon:
            words = {w: Usage(int(lo), int(cap)) for w, (lo, cap) in data["words"].items()}
            return cls(words, str(data["version"]))

        return load_lexicon(path, "casing lexicon", FORMAT, parse)


def in_capitals(span: Span) -> bool:
    """Whether the span's line is a headline or a table row: at least three words, all in
    capitals. The line, not the sentence: the parser often splits a headline at a dash."""
    # Found token by token, and given up at the first lower-case letter: a line of prose
    # is a whole paragraph, and `doc.text` rebuilds the whole article.
    doc = span.doc
    if _has_lower(span.text):
        return False
    start, end = span.start, span.end
    while start > 0 and not _breaks_line(doc[start - 1]):
        start -= 1
        if _has_lower(doc[start].text):
            return False
    while end < len(doc) and not _breaks_line(doc[end]):
        if _has_lower(doc[end].text):
            return False
        end += 1
    words = _WORDS.findall(doc[start:end].text)
    return len(words) >= 3 and all(w.isupper() for w in words)


def _has_lower(text: str) -> bool:
    return not text.isupper() and any(c.islower() for c in text)


def _breaks_line(token: Token) -> bool:
    """spaCy keeps line breaks in whitespace tokens of their own."""
    return token.is_space and "\n" in token.text


def is_lower_case_noun(token: Token, lexicon: CasingLexicon | None) -> bool:
    """A noun the corpus writes in lower case more often than not."""
    return (
        token.tag_ in ("NN", "NNS")
        and lexicon is not None
        and lexicon.is_mostly_lower_case(token.text)
    )


def without_lower_case_tail(
    span: Span, roles: frozenset[str], lexicon: CasingLexicon | None = None
) -> Span:
    """A name the recognizer ran on into the words after it ("Clinton counterparts",
    "Surrey captain", "Slammer worm", "Mac mini", "Banc One and"), cut back: a name does not
    end in a plural noun, a conjunction, a role or, by the lexicon, a common noun written in
    lower case. A romanized given
    name in lower case stays ("Kang Jun young", "Pak Jong chon": not common words)."""
    end = span.end
    while end - span.start > 1:
        last = span.doc[end - 1]
        if not (last.is_lower and last.is_alpha):
            break
        common_noun = (
            last.tag_ == "NN" and lexicon is not None and lexicon.is_common_word(last.text)
        )
        if not (last.tag_ in ("NNS", "CC") or last.lower_ in roles or common_noun):
            break
        end -= 1
    return span if end == span.end else Span(span.doc, span.start, end, label=span.label_)


def without_common_words_in_capitals(span: Span, lexicon: CasingLexicon) -> Span | None:
    """A span of a line all in capitals cut down to its name: a headline's words around it
    ("ATHLETICS", "DEFEATS", "CLUB FINED") are words the corpus writes in lower case. None
    when every word is one. Elsewhere the span is left as it is."""
    if not span.text.isupper() or not in_capitals(span):
        return span
    words = [i for i, t in enumerate(span) if not (t.is_punct or lexicon.is_common_word(t.text))]
    if not words:
        return None
    start, end = span.start + words[0], span.start + words[-1] + 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(span.doc, start, end, label=span.label_)


def without_hyphened_words(span: Span, casing: CasingLexicon | None) -> Span | None:
    """A span without the words a prefix and a hyphen make of a name or before one
    ("ex-England seamer", "anti-Yeltsin") or after it ("Surinam ex-rebel"): they qualify
    someone, they do not name. The prefix is a common word by the lexicon, so that a
    name's own particle stays ("al-Islamiya"). None when nothing else is left."""
    if casing is None:
        return span
    doc, start, end = span.doc, span.start, span.end
    if _prefixed(doc, start, casing) and end - start >= 3:
        start += 3
    if end - start >= 4 and _prefixed(doc, end - 3, casing) and doc[end - 1].is_lower:
        end -= 3
    if start >= end:
        return None
    return (
        span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label_)
    )


def _prefixed(doc: Doc, i: int, casing: CasingLexicon) -> bool:
    """Tokens i, i+1 and i+2 are one hyphened word with a prefix: "ex-England"."""
    return (
        i + 2 < len(doc)
        and doc[i].is_lower
        and casing.is_common_word(doc[i].text)
        and doc[i + 1].text == "-"
        and not doc[i].whitespace_
        and not doc[i + 1].whitespace_
    )
