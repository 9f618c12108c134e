"""A place's name that stands for a sports team, told by where it is written.

Sports pages name teams by their city, state or country, and the recognizer, like the
place gazetteer, reads them as places. Two layouts say "team" whatever the name:

- a results or standings line: the name opens the line, or follows a score, and a score
  follows it ("Pohang 3 Ulsan 2", "CHICAGO 71 64 .526 10", "Australia 228-9 in 50 overs");
- a fixture list in capitals: a place on either side of a fixture word of
  schema/gazetteer.yaml, with another name on the other side ("BOSTON AT OAKLAND").

Economic tables also open lines with places, but their figures are decimals or
percentages, not scores.

In running text, British sports writing puts a team's name with a plural verb, where a
place's takes a singular one: "Nice have been unable to win", "Deportivo were unable to
capitalise" (`agrees_as_team`). And in an article about a team sport (`TeamSport`: a word
of its positions or its team competitions anywhere in it), a town that has a club (the
usage lexicon, flows/usage.py) is the club wherever the article does not write it as a
place: "Leicester will visit the winners", "Burnley or Blackburn v Leicester", "H Ellis
(Leicester)", but "a club in Leicester".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from flows.names import match_form

if TYPE_CHECKING:
    from flows.ontology import Ontology

# A goal count or a run total: at most three digits, or runs-wickets ("228-9").
_SCORE = re.compile(r"^\d{1,3}(-\d{1,2})?$")


class TeamSport:
    """Whether an article is about a team sport: one of `team_sport_words`
    (schema/patterns.yaml) anywhere in it. Tennis and athletics use none of them."""

    def __init__(self, words: Iterable[str]) -> None:
        either = "|".join(map(re.escape, sorted(words)))
        self._words = re.compile(rf"\b(?:{either})\b") if either else None

    def __call__(self, doc: Doc) -> bool:
        return self._words is not None and self._words.search(doc.text.lower()) is not None


def _is_score(token: Token | None) -> bool:
    return token is not None and bool(_SCORE.match(token.text))


def _in_a_name(token: Token | None) -> bool:
    return token is not None and token.ent_iob_ in ("B", "I")


def in_a_team_line(span: Span, fixture_words: frozenset[str]) -> bool:
    """A name in a results or standings line, or on either side of a fixture word in a
    fixture list: the module's first two layouts."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.text in fixture_words:
        return span.end + 1 < len(doc) and _in_a_name(doc[span.end + 1])
    if before is not None and before.text in fixture_words:
        return span.start >= 2 and _in_a_name(doc[span.start - 2])
    return _is_score(after) and (span[0].is_sent_start or _is_score(before))


def agrees_as_team(span: Span) -> bool:
    """A one-word singular proper name as the subject of a plural verb ("Nice have",
    "Deportivo were"), not one of two subjects joined ("Lens and Nice have")."""
    if len(span) != 1:
        return False
    name = span[0]
    # Any tag but a plural one: the tagger takes "Nice" at a sentence's start for "nice".
    if name.dep_ not in ("nsubj", "nsubjpass") or name.tag_ in ("NNS", "NNPS"):
        return False
    if any(child.dep_ == "conj" for child in name.children):
        return False
    verb = name.head
    finite = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    # Past tense: only "were" shows the number. Present: the VBP form ("have", "are").
    return any(t.tag_ == "VBP" or t.lower_ == "were" for t in finite)


def club_of_a_town(
    span: Span, towns: frozenset[str], place_preps: frozenset[str], travel_verbs: frozenset[str]
) -> bool:
    """A town that has a club (`towns`: match forms), not written as a place: in an
    article about a team sport, the club. A place is written after "in", "near" and the
    like, after a journey's "to" ("Wales travel to Edinburgh", "when Italy come to
    Edinburgh"), and before "-based"."""
    if match_form(span.text) not in towns or names_a_base(span):
        return False
    before = [t.lower_ for t in span.doc[max(span.start - 2, 0) : span.start]]
    after_a_journey = before[-1:] == ["to"] and len(before) == 2
    if after_a_journey and span.doc[span.start - 2].lemma_ in travel_verbs:
        return False
    return not before or before[-1] not in place_preps


def names_a_base(span: Span) -> bool:
    """ "Edinburgh-based", "a London-based bank": the name is where something is based."""
    doc = span.doc
    return (
        span.end + 1 < len(doc)
        and doc[span.end].text == "-"
        and doc[span.end + 1].lower_ == "based"
    )


class Opponents:
    """Whether a sentence sets a name against someone's side: "against Scotland", "v
    France", "a win over Ireland", "the Scotland game", "will face England", "take on
    Ireland"; not "against Israel's Jonathan Erlich", whose side Israel is. The words are
    `opponent_words`, `win_nouns`, `match_nouns` and `opponent_verbs` in
    schema/patterns.yaml."""

    def __init__(self, ontology: Ontology) -> None:
        lexicon = ontology.lexicons.get
        self._against = frozenset(lexicon("opponent_words", ())) | ontology.fixture_separators
        self._wins = frozenset(lexicon("win_nouns", ()))
        self._match_nouns = frozenset(lexicon("match_nouns", ()))
        # A verb alone ("face") or with its particle ("take on"), by lemma.
        playing = [tuple(v.split()) for v in lexicon("opponent_verbs", ())]
        self._playing = frozenset(v for v in playing if len(v) == 1)
        self._playing_with = frozenset(v for v in playing if len(v) == 2)

    def __call__(self, span: Span) -> bool:
        root, doc = span.root, span.doc
        if span.end < len(doc) and doc[span.end].tag_ == "POS":  # "Israel's"
            return False
        before = doc[span.start - 1] if span.start > span.sent.start else None
        head = root.head
        return (
            (before is not None and before.lower_ in self._against)
            or (root.dep_ == "pobj" and head.lower_ in self._against)
            or (root.dep_ == "pobj" and head.lower_ == "over" and head.head.lemma_ in self._wins)
            or (root.dep_ in ("compound", "nmod", "amod") and head.lemma_ in self._match_nouns)
            or (root.dep_ == "dobj" and self._plays_against(head))
        )

    def _plays_against(self, verb: Token) -> bool:
        """ "face", "take on": the verb's object is the other side."""
        lemma = verb.lemma_.lower()
        return (lemma,) in self._playing or any(
            (lemma, t.lower_) in self._playing_with for t in verb.children if t.dep_ == "prt"
        )


class Teams:
    """Which places an article writes as teams: a place in a results, standings or fixture
    line ("CHICAGO 71 64"), and in an article about a team sport a town that has a club
    and is not written as a place, or a town set against a side ("against Cardiff")."""

    def __init__(
        self, ontology: Ontology, countries: frozenset[str], club_towns: frozenset[str]
    ) -> None:
        lexicon = ontology.lexicons.get
        self.about_a_team_sport = TeamSport(
            w for name in ("team_sport_words", "club_sport_words") for w in lexicon(name, ())
        )
        self._fixture_words = ontology.fixture_words
        # A country's side stays the country's node, as in results lines.
        self._countries = countries
        self._club_towns = club_towns - countries
        self._place_preps = frozenset(lexicon("place_preps", ()))
        self._travel_verbs = frozenset(lexicon("travel_verbs", ()))
        self._opponents = Opponents(ontology)
        self._separators = ontology.fixture_separators
        self._match_nouns = frozenset(lexicon("match_nouns", ()))

    def plays_as_team(self, place: Span, team_sport: bool) -> bool:
        """Whether a place's name is a team's where it is written (`team_sport`: whether
        the article is about a team sport)."""
        return in_a_team_line(place, self._fixture_words) or (
            team_sport
            and (
                club_of_a_town(place, self._club_towns, self._place_preps, self._travel_verbs)
                or self.set_against(place)
            )
        )

    def set_against(self, place: Span) -> bool:
        """A place other than a country that the sentence sets against a side ("against
        Cardiff", "face Rome"), or that faces one: in a fixture ("Coventry v Crewe") or in
        a match between the two ("the tie between Millwall and Liverpool")."""
        if match_form(place.text) in self._countries:
            return False
        return self._opponents(place) or self._faces(place) or self._in_a_match_between(place)

    def _faces(self, place: Span) -> bool:
        doc = place.doc
        return (
            place.end + 1 < len(doc)
            and doc[place.end].lower_ in self._separators
            and _in_a_name(doc[place.end + 1])
        )

    def _in_a_match_between(self, place: Span) -> bool:
        side = place.root.head if place.root.dep_ == "conj" else place.root
        between = side.head
        return (
            side.dep_ == "pobj"
            and between.lower_ == "between"
            and between.head.lemma_ in self._match_nouns
        )
