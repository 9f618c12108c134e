"""A national side's player: what a person tied to a country means in team sport.

"Italy's De Marigny", "C Paterson (Scotland)", "Charlie Hodgson put England in front":
in an article about rugby, football or cricket, the country is a side the person plays
for or coaches, not where they live. CrossRE annotates these `role` (4 of 4 of its person
and country relations in team-sport sentences; 64 `physical` elsewhere, golf and tennis
lists among them), and the judges of the BBC samples called 33 such LIVES_IN statements
a wrong relation, against 13 right, in articles this test flags.

A relation type says which type it is read as there (`for_a_side` in
schema/ontology.yaml); `team_sport_words` in schema/patterns.yaml says what makes an
article one about a team sport: a word of its positions or of its team competitions,
anywhere in the article. Tennis and athletics ("Slovakia's Hantuchova") use none of them,
but the Davis Cup is a team competition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Doc

from flows.names import match_form
from flows.ontology import Ontology
from flows.relations import Candidate, FoundRelation
from flows.teams import TeamSport


class Sides:
    """Reads an article's relations as a team sport's report reads them."""

    def __init__(self, ontology: Ontology, countries: frozenset[str]) -> None:
        self.about_a_team_sport = TeamSport(ontology.lexicons.get("team_sport_words", ()))
        self._as = {
            name: rtype.for_a_side
            for name, rtype in ontology.relation_types.items()
            if rtype.for_a_side is not None
        }
        # Who can hold the side's type: its subjects (a person), as the ontology says.
        self._players = {
            name: frozenset(ontology.relation_types[side].subject)
            for name, side in self._as.items()
        }
        self._countries = countries

    def read(
        self, found: Iterable[FoundRelation], candidates: list[Candidate], doc: Doc
    ) -> list[FoundRelation]:
        """The relations, those between a person and a country read as the side's where
        the article is about a team sport."""
        found = list(found)
        if not any(r.predicate in self._as for r in found) or not self.about_a_team_sport(doc):
            return found
        return [
            replace(r, predicate=self._as[r.predicate])
            if r.predicate in self._as
            and candidates[r.subject].type in self._players[r.predicate]
            and match_form(candidates[r.object].span.text) in self._countries
            else r
            for r in found
        ]
