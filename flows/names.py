"""Name normalization rules shared by extraction and resolution."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Written as escapes: they look like ASCII but are not, which is the point.
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# One-for-one replacements, so that text offsets do not move.
QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"'}
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)(?:\s+|$)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s$|'$", re.IGNORECASE)
_EDGE_JUNK = "-'\" ,;:!?()[]{}"
# Scores or figures a sports table or a list prints after a name ("Durham 114", "A. Dale 69",
# "I. Austin 4-37", a bowler's "Law 2-0-23-0", a tennis result's "Li Na 6-3 7-6"). One
# digit stays: "Channel 4", "Radio 1".
_TRAILING_FIGURE = re.compile(r"(?<=[^\W\d_])(?:[.,]?\s+(?:\d{2,}|\d+(?:[-/]\d+)+))+$")


def normalize_name(text: str) -> str:
    """The canonical written form of a mention: no leading article, no possessive,
    no trailing punctuation or hyphen, straight quotes, single spaces.

    >>> normalize_name("the Sejong Institute")
    'Sejong Institute'
    >>> normalize_name("South Korea\u2019s")
    'South Korea'
    >>> normalize_name("I. Austin 4-37")
    'I. Austin'
    """
    name = " ".join(text.translate(QUOTES).translate(DASHES).split())
    previous = None
    while name != previous:
        previous = name
        name = name.strip(_EDGE_JUNK)
        if name.endswith(".") and name.count(".") == 1:  # a full stop, not "U.S."
            name = name[:-1]
        name = _LEADING_ARTICLE.sub("", name)
        name = _TRAILING_FIGURE.sub("", name)
        # "Jones'" keeps its s; "Lee's" loses the 's.
        name = name[:-1] if name.endswith("s'") else _POSSESSIVE.sub("", name)
    return name


# Names repeat within and across articles, and nameparser takes about 0.5 ms a name.
@lru_cache(maxsize=1 << 16)
def without_title(name: str) -> str:
    """A person's name without the title or honorific before it ("Mr Greenspan" ->
    "Greenspan", "Prime Minister Tony Blair" -> "Tony Blair"), as nameparser reads titles:
    "Dean Smith" keeps its Dean. A name that is only a title stays as it is.

    >>> without_title("Ms Lomax")
    'Lomax'
    """
    from nameparser import HumanName  # here: its tables take 50 ms to import

    title = HumanName(name).title
    if title and name.startswith(title):
        rest = name[len(title) :].strip(_EDGE_JUNK)
        if rest:
            return rest
    return name


@lru_cache(maxsize=1)
def _first_name_titles() -> frozenset[str]:
    from nameparser.config import CONSTANTS

    return frozenset(CONSTANTS.first_name_titles)


@lru_cache(maxsize=1 << 16)
def given_name_after_title(name: str) -> bool:
    """Whether the name is one word after a title that goes before a first name ("Prince
    Charles", "Sir Clive", "Crown Prince Abdullah"), by nameparser's table of such titles:
    the word is not a surname. "Mr Blair" and "Lord Goldsmith" give a surname.

    >>> given_name_after_title("Prince Charles"), given_name_after_title("Mr Blair")
    (True, False)
    """
    words = name.replace(".", "").split()
    return len(words) >= 2 and any(w.lower() in _first_name_titles() for w in words[:-1])


@lru_cache(maxsize=1 << 16)
def without_legal_form(name: str) -> str:
    """A company name without its legal form ("General Motors Corp" -> "General Motors",
    "Huawei Technologies Co Ltd" -> "Huawei Technologies"), as cleanco reads them; a name
    that is only a legal form stays as it is.

    >>> without_legal_form("BAE Systems plc")
    'BAE Systems'
    """
    from cleanco import basename  # here: only resolution needs it

    base = name
    while (shorter := basename(base).strip(_EDGE_JUNK)) and shorter != base:
        base = shorter
    return base or name


@lru_cache(maxsize=1 << 16)
def match_form(name: str) -> str:
    """The form in which names are compared: case, accents, dots, hyphens and spacing
    do not count, so "U.S." == "US" and "Kang Jun-young" == "kang jun young"."""
    # Quotes and dashes after NFKD: it makes dashes of some compatibility forms ("\ufe58").
    decomposed = unicodedata.normalize("NFKD", name).translate(QUOTES).translate(DASHES)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    folded = folded.replace(".", "")
    return " ".join(re.sub(r"[-_]", " ", folded).split())


def entity_key(entity_type: str, canonical_name: str) -> str:
    """Stable, unique node key: type plus the match form of the canonical name."""
    return f"{entity_type.lower()}:{match_form(canonical_name).replace(' ', '-')}"
