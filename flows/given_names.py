"""Given names, from gender-guesser's dictionary (Jörg Michael's `nam_dict`, about 61,000
first names of many countries): whether a name of common words can be a person's, and
whether the capitalised word a sentence starts with belongs to the name after it.

The recognizer reads titles, bands and shops in title case as people: "Tsunami Blog",
"Massive Attack", "Talking Heads", "Body Shop", "Finding Nemo", "Led Zeppelin". Their
first words are common words, as the corpus writes them in lower case; a person's name
that starts so has a given name in it ("Will Young", "Bill Gates", "Mark Wood", "Fat Joe")
or a title ("Inspector Paul Miller").
"""

from __future__ import annotations

from functools import lru_cache

import gender_guesser.detector as detector
from spacy.tokens import Span

from flows.casing import CasingLexicon
from flows.names import without_title


@lru_cache(maxsize=1)
def _names() -> detector.Detector:
    return detector.Detector(case_sensitive=False)


def is_given_name(word: str) -> bool:
    return _names().get_gender(word) != "unknown"


def sex_of_given_name(word: str) -> str | None:
    """ "man" or "woman" where the dictionary gives the name as mostly one sex's."""
    gender = _names().get_gender(word)
    if gender in ("male", "mostly_male"):
        return "man"
    if gender in ("female", "mostly_female"):
        return "woman"
    return None


def common_words_as_a_person(span: Span, casing: CasingLexicon) -> bool:
    """A name of two words or more, each a common word, the first no given name."""
    return (
        len(span) > 1
        and all(casing.is_common_word(token.text) for token in span)
        and not is_given_name(span[0].text)
    )


def capitals_as_a_person(span: Span, casing: CasingLexicon) -> bool:
    """A name of two words or more whose first word the corpus mostly writes in lower case,
    with no given name, title or honorific in it: "Finding Nemo", "Led Zeppelin", "Ask
    Jeeves", "Pop Idol". A given name after the first word keeps it ("Fat Joe", "Crown
    Prince Frederik"), as does a title ("Inspector Paul Miller")."""
    first = span[0]
    return (
        len(span) > 1
        and len(first) > 1
        and first.is_alpha
        and casing.is_mostly_lower_case(first.text)
        and not any(is_given_name(token.text) for token in span)
        and without_title(span.text) == span.text
    )


def without_capital_of_the_sentence(span: Span, casing: CasingLexicon | None) -> Span:
    """A person's name without the word before it that starts the sentence or headline,
    capitalised only for that: "Dogged Federer claims Dubai crown", "Sprinter Mark
    Lewis-Francis". The word is one the corpus writes in lower case, and no given name
    ("Will Young", "Mark Wood" stay). A word of two letters may be a romanized name's
    syllable, whatever else it spells ("Wi Sung lac": "wi" of "wi-fi")."""
    first = span[0]
    if (
        casing is None
        or len(span) < 2
        or len(first) < 3
        or not first.is_sent_start
        or not first.is_title
        or not (casing.is_common_word(first.text) or casing.is_only_lower_case(first.text))
        or is_given_name(first.text)
    ):
        return span
    return Span(span.doc, span.start + 1, span.end, label=span.label_)
