"""The short forms a full name goes by: a person's surname, an organization's or place's
initials, and whether an article calls a full name by one (flows/across_articles.py).
Names are read as node keys, `type:match-form` (flows/resolve.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from flows.given_names import sex_of_given_name
from flows.model import Entity
from flows.names import match_form
from flows.ontology import Ontology


# Names and keys repeat across the articles of a batch, and every rule reads them.
@lru_cache(maxsize=1 << 16)
def name_words(name: str) -> tuple[str, ...]:
    return tuple(match_form(name).split())


@lru_cache(maxsize=1 << 16)
def short_of(key: str) -> str | None:
    """The one word a full name may go by: a person's last name ("person:tony-blair" ->
    "blair"), an organization's or place's initials ("international-monetary-fund" ->
    "imf", function words left out as in "Bank of England"); None for a one-word name."""
    etype, form = key.split(":", 1)
    words = form.split("-")
    if len(words) < 2:
        return None
    if etype == "person":
        return words[-1]
    letters = "".join(w[0] for w in words if w[:1].isalpha() and w not in STOP_WORDS)
    return letters if len(letters) >= 2 else None


def same_name(key: str, other: str) -> bool:
    """Whether two full names are one name written more or less fully: the same first and
    last word, and the words of one among the other's ("George Bush", "George W Bush")."""
    if key == other:
        return True
    a, b = key.split(":", 1)[1].split("-"), other.split(":", 1)[1].split("-")
    short, long = sorted((a, b), key=len)
    return (a[0], a[-1]) == (b[0], b[-1]) and set(short) <= set(long)


def calls_by_short(entity: Entity) -> bool:
    """Whether the article calls this full name by its short form too ("Mr Blair" beside
    "Tony Blair", "IMF" beside "International Monetary Fund")."""
    short = short_of(entity.key)
    if not short:
        return False
    full = name_words(entity.name)
    before = full[-2] if len(full) > 1 else None  # "tony" in "Tony Blair"
    for form in entity.forms:
        words = name_words(form)
        # The short form alone, or after a title ("Mr Blair"), not the full name itself
        # ("Prime Minister Tony Blair"). Words, not nameparser: the load stage reads every
        # form of every full name, and nameparser takes 0.5 ms a name.
        if words[-1:] == (short,) and (len(words) == 1 or words[-2] != before):
            return True
    return False


@lru_cache(maxsize=1 << 14)
def given_name_sex(key: str) -> str | None:
    """ "man" or "woman" where a person's full name starts with a given name mostly one
    sex's ("person:charles-kennedy": "man"), else None."""
    etype, form = key.split(":", 1)
    return sex_of_given_name(form.split("-")[0]) if etype == "person" else None


@dataclass(frozen=True)
class Titles:
    """The titles that say a person named after them is a man or a woman (in lower case,
    `schema/patterns.yaml`)."""

    of_men: frozenset[str]
    of_women: frozenset[str]

    @classmethod
    def of(cls, ontology: Ontology) -> Titles:
        def lexicon(name: str) -> frozenset[str]:
            return frozenset(ontology.lexicons.get(name, ()))

        return cls(lexicon("titles_of_men"), lexicon("titles_of_women"))

    def sex_of(self, forms: tuple[str, ...]) -> str | None:
        """What the titles an article writes a name with say: "Mr Brown" a man's,
        "Baroness Kennedy" a woman's; None where none says or they disagree."""
        sexes = set()
        for form in forms:
            words = form.split()
            title = words[0].lower().rstrip(".") if len(words) > 1 else ""
            if title in self.of_men:
                sexes.add("man")
            elif title in self.of_women:
                sexes.add("woman")
        return sexes.pop() if len(sexes) == 1 else None
