"""A line-up: the players of a side listed by initial and surname, each with the club
they come from in brackets, as sports pages print squads and teams ("Italy: R de
Marigny; M Pini, A Masi ... M Bortolami (capt)", "Replacements: S Grimes (Newcastle), N
Lloyd (Saracens)").

The recognizer reads many such names as organizations or places ("M Bortolami" an
organization, "L Nitoglia" a place), keeps only the surname ("Dellape"), or misses them,
and it reads the clubs as places or people ("Saracens", "Munster"). Where a sentence
lists at least MIN_PLAYERS names written so, each is a player's, a person's, and a name
in brackets right after one is the player's club, an organization's (a country's name
there stays its place: entity repair makes any country a Location).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from spacy.tokens import Doc, Span, Token

from flows.ontology import Ontology

# Two initialled names could be a list of anything ("J Sainsbury, M Spencer"); three
# separated by commas or semicolons are a team sheet's layout.
MIN_PLAYERS = 3
# What comes before a player's initial: the list's start, or the mark closing the item
# before it ("(Bath)", "capt)").
_OPENERS = frozenset({",", ";", ":", ")", "-", "and"})
_MAX_SURNAME_WORDS = 3
# Most articles hold no line-up: a look at the text spares them the walk over every token.
_INITIAL = re.compile(r"(?:^|[,;:)] )[A-Z] [A-Z]", re.MULTILINE)
# What ends a player's name.
_CLOSERS = frozenset({",", ";", "(", ".", "and"})


class LineUps:
    """Called on a doc and its entities, returns them with each line-up's players as
    people's names and their clubs as organizations' in place of whatever spans
    overlapped them."""

    def __init__(self, ontology: Ontology) -> None:
        self.person = ontology.spacy_label("Person")
        self.organization = ontology.spacy_label("Organization")
        self.notes = frozenset(ontology.lexicons.get("line_up_notes", ()))

    def __call__(self, doc: Doc, ents: Iterable[Span]) -> list[Span]:
        ents = list(ents)
        if len(_INITIAL.findall(doc.text)) < MIN_PLAYERS - 1:
            return ents
        players, clubs = [], []
        for sent in doc.sents:
            found = [p for p in (_player_at(doc, t) for t in sent) if p is not None]
            if len(found) < MIN_PLAYERS:
                continue
            players += [Span(doc, start, end, label=self.person) for start, end in found]
            for _, end in found:
                club = self._club_after(doc, end)
                if club is not None:
                    clubs.append(Span(doc, club.start, club.end, label=self.organization))
        if not players:
            return ents
        claimed = [*players, *clubs]
        kept = [e for e in ents if not any(e.start < c.end and c.start < e.end for c in claimed)]
        return sorted([*kept, *claimed], key=lambda e: e.start)

    def _club_after(self, doc: Doc, end: int) -> Span | None:
        """The club in the brackets right after a player's name, up to a comma or the
        closing bracket ("(Toulouse, capt)"), unless it is only a note ("(capt)")."""
        if end >= len(doc) or doc[end].text != "(":
            return None
        close = end + 1
        while close < len(doc) and doc[close].text not in {")", ",", ";"}:
            close += 1
        words = doc[end + 1 : close]
        if not len(words) or close >= len(doc) or words.text.lower() in self.notes:
            return None
        if not all(_capitalized(t) or t.text in {"-", "&"} for t in words):
            return None
        return words


def _player_at(doc: Doc, token: Token) -> tuple[int, int] | None:
    """The token bounds of a player's name that opens at `token`: an initial (one capital
    letter, no stop), then a capitalized surname of up to three words (a hyphen joining
    two of them), ended by a comma, a semicolon, a bracket or the sentence's end."""
    if not (len(token.text) == 1 and token.text.isupper() and token.is_alpha):
        return None
    if token.i > token.sent.start and doc[token.i - 1].lower_ not in _OPENERS:
        return None
    end, words = token.i + 1, 0
    while end < token.sent.end and words < _MAX_SURNAME_WORDS:
        word = doc[end]
        joined = word.text == "-" and end + 1 < token.sent.end and _capitalized(doc[end + 1])
        if not (_capitalized(word) or word.text in _particles() or joined):
            break
        end, words = end + 1, words + (word.text != "-")
    if words == 0 or not _capitalized(doc[end - 1]):
        return None
    if end < token.sent.end and doc[end].lower_ not in _CLOSERS:
        return None
    return token.i, end


def _capitalized(word: Token) -> bool:
    """A surname's word: "Bortolami", "O'Driscoll", "D'Arcy"."""
    return word.text[:1].isupper() and word.text.replace("'", "").isalpha()


@cache
def _particles() -> frozenset[str]:
    """Lower-case words inside a surname ("R de Marigny", "D van der Westhuizen"):
    nameparser's table of name prefixes, read only where a text holds a line-up (its
    tables take 50 ms to import)."""
    from nameparser.config import CONSTANTS

    return frozenset(CONSTANTS.prefixes)
