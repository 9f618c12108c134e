"""What the words round a name say it is, for every mention of that name in the article.

News introduces a name with what it is, right before it: "Russian oil giant Yukos",
"Premiership side Chelsea", "the port city Basra", "the film Vera Drake". Sports writing
gives a team a plural verb: "Nice have been unable to win". An award is won:
"Oscar-winning". And some names end in a word only organizations end in: "Manchester
United". Such context is better
evidence of the type than the recognizer's guess at a name it has not seen, so every
mention of the name in the article takes the type it says, or goes when it says a work or
an award (no type of the ontology). The nouns, and what each says, are in
schema/gazetteer.yaml (`classifier_nouns`, `award_participles`, `organization_heads`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from spacy.tokens import Doc, Span, Token

from flows.names import match_form
from flows.non_names import words
from flows.teams import agrees_as_team


def classifying_noun(span: Span, nouns: Mapping[str, str | None]) -> str | None:
    """The classifier noun right before a name and in one phrase with it, as it is listed
    ("giant" of "oil giants"), or None. A "The" between is the title's own: "the film The
    Aviator"."""
    doc = span.doc
    i = span.start - 1
    if i > 0 and doc[i].text == "The" and not doc[i].is_sent_start:
        i -= 1
    if i < 0:
        return None
    noun: Token = doc[i]
    if noun.pos_ != "NOUN" or not noun.is_lower:
        return None
    listed = noun.lower_ if noun.lower_ in nouns else noun.lemma_.lower()
    if listed not in nouns:
        return None
    # One phrase: the noun is a compound inside the name's phrase ("oil giant Yukos"), or
    # the name is in apposition to it ("the band, Franz Ferdinand" is not: a comma stops
    # the adjacency above).
    if span.start <= noun.head.i < span.end or span.root.head.i == noun.i:
        return listed
    return None


class ContextTypes:
    """The types the context of one mention says its name has: none, one or more."""

    def __init__(
        self,
        nouns: Mapping[str, str | None],
        award_participles: frozenset[str],
        organization_heads: frozenset[str],
        countries: frozenset[str],
        type_of: Callable[[str], str | None],
    ) -> None:
        self.nouns, self.award_participles = nouns, award_participles
        self.organization_heads = organization_heads
        self.countries, self.type_of = countries, type_of

    def __call__(self, span: Span) -> list[str | None]:
        said: list[str | None] = []
        listed = classifying_noun(span, self.nouns)
        if listed is not None:
            said.append(self.nouns[listed])
        # A country's team stays its country's node, as in results lines (entity_repair).
        if (
            self.type_of(span.label_) == "Location"
            and agrees_as_team(span)
            and match_form(span.text) not in self.countries
        ):
            said.append("Organization")
        if self._hyphened_to_an_award_participle(span):
            said.append(None)
        # Not context but the name's own last word, and as sure: "Manchester United".
        if len(span) >= 2 and span[-1].text in self.organization_heads:
            said.append("Organization")
        return said

    def _hyphened_to_an_award_participle(self, span: Span) -> bool:
        doc = span.doc
        return (
            span.end + 1 < len(doc)
            and doc[span.end].text == "-"
            and not span[-1].whitespace_
            and not doc[span.end].whitespace_
            and doc[span.end + 1].lower_ in self.award_participles
        )


def classified(
    doc: Doc,
    spans: list[Span],
    context_types: Callable[[Span], list[str | None]],
    type_of: Callable[[str], str | None],
    label_of: Callable[[str], str],
) -> list[Span]:
    """The spans, each name whose context somewhere in the doc says its type retyped to
    it, or left out when the context says a work. A name two contexts disagree on ("club"
    and "city" for Liverpool) keeps the recognizer's types."""
    said: dict[tuple[str, ...], set[str | None]] = {}
    for span in spans:
        types = context_types(span)
        if types:
            said.setdefault(words(span), set()).update(types)
    decided = {name: types.pop() for name, types in said.items() if len(types) == 1}
    if not decided:
        return spans
    kept = []
    for span in spans:
        name = words(span)
        if name not in decided:
            kept.append(span)
            continue
        etype = decided[name]
        if etype is None:
            continue
        if type_of(span.label_) != etype:
            span = Span(doc, span.start, span.end, label=label_of(etype))
        kept.append(span)
    return kept
