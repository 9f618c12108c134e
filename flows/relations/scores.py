"""The results-line extractor: "Pohang 3 Ulsan 2", "Minnesota 6 MILWAUKEE 1", and the
fixtures of the same pages, "France v Cyprus".

The sports pages give a match as a line of its own: a side and its score, then the other
side and its score. The side with more beat the other; a draw is two sides that played
each other (the predicates, and which types a side may have, are `results_lines` in
schema/patterns.yaml). The trained model reads the words round two names, not the value
of a number, so it calls such a pair opponents at best; CrossRE's annotators call it a
win (all 19 of its dev lines, the winner first). A line of fixtures pairs each side with
the one across its "v" ("France v Cyprus; Republic of Ireland v Switzerland"), where the
model, reading words and not the line's shape, pairs sides of different fixtures as often.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from flows.ontology import Ontology, ResultsLines
from flows.relations import Candidate, FoundRelation

# Goals, runs or points: at most three digits ("1996" is a year, "2-1" a result in prose).
MAX_SCORE_DIGITS = 3


class ResultsLineRelations:
    name = "scores"
    calibrated = False  # a rule: its confidence is the schema's prior

    def __init__(self, ontology: Ontology) -> None:
        self.lines: ResultsLines | None = ontology.results_lines
        # Its rule is read from schema/patterns.yaml, and versioned with it.
        self.version = ontology.patterns_version

    def extract(self, doc: Doc, candidates: Sequence[Candidate]) -> list[FoundRelation]:
        lines = self.lines
        if lines is None:
            return []
        sides = {c.span.start: i for i, c in enumerate(candidates) if c.type in lines.sides}
        found = []
        for i in sides.values():
            home = candidates[i].span
            if not _starts_its_line(home):
                continue
            home_score = _score_after(home)
            j = sides.get(home.end + 1)
            if home_score is None or j is None:
                continue
            away = candidates[j].span
            away_score = _score_after(away)
            if away_score is None or away.sent.start != home.sent.start:
                continue
            if home_score == away_score:
                subject, object_, predicate = i, j, lines.draw
            elif home_score > away_score:
                subject, object_, predicate = i, j, lines.win
            else:
                subject, object_, predicate = j, i, lines.win
            found.append(self._found(lines, predicate, subject, object_))
        if lines.fixture is not None:
            found += [
                self._found(lines, lines.fixture, i, j)
                for i, j in _fixtures(doc, candidates, sides, lines.fixture_words)
            ]
        return found

    def _found(
        self, lines: ResultsLines, predicate: str, subject: int, object_: int
    ) -> FoundRelation:
        return FoundRelation(
            predicate=predicate,
            subject=subject,
            object=object_,
            confidence=lines.confidence,
            extractor=self.name,
            extractor_version=self.version,
        )


def _fixtures(
    doc: Doc, candidates: Sequence[Candidate], sides: dict[int, int], words: frozenset[str]
) -> list[tuple[int, int]]:
    """(home, away) for each pair of sides with a fixture's word between them, and nothing
    else: "France v Cyprus"."""
    pairs = []
    for i in sides.values():
        home = candidates[i].span
        j = sides.get(home.end + 1)
        if (
            j is not None
            and doc[home.end].text in words
            and candidates[j].span.sent.start == home.sent.start
        ):
            pairs.append((i, j))
    return pairs


def _starts_its_line(span: Span) -> bool:
    """The name opens its sentence, after nothing but punctuation."""
    return all(t.is_punct or t.is_space for t in span.doc[span.sent.start : span.start])


def _score_after(span: Span) -> int | None:
    doc = span.doc
    if span.end >= len(doc):
        return None
    token = doc[span.end]
    if not token.is_digit or len(token.text) > MAX_SCORE_DIGITS:
        return None
    return int(token.text)
