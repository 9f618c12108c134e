"""What the words round a name say it is, for every mention of that name in the article.

News introduces a name with what it is, right before it: "Russian oil giant Yukos",
"Premiership side Chelsea", "the port city Basra", "the film Vera Drake"; or right after
it, in an appositive: "Titan, a California-based company". Sports writing gives a team a
plural verb: "Nice have been unable to win". An award is won or hoped for:
"Oscar-winning", "Oscar nominee", "Grand Slam winner". A party has leaders: "Lib Dem
leader Charles Kennedy". A club, not its town, has players: "Leicester scrum-half Harry
Ellis". A work's title runs on through "of the": "Lord of the Rings",
"Eternal Sunshine of the Spotless Mind". And some names end in a word only organizations
end in: "Manchester United".

Such context is better evidence of the type than the recognizer's guess at a name it has
not seen, so every mention of the name in the article takes the type it says, or goes when
it says a work or an award (no type of the ontology). The words, and what each says, are
in schema/gazetteer.yaml and schema/patterns.yaml (`ContextWords`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from flows.names import match_form
from flows.non_names import words
from flows.teams import agrees_as_team

if TYPE_CHECKING:
    from flows.ontology import Ontology


def word_before(span: Span) -> Token | None:
    """The word right before a name, past a "The" that is the title's own ("the film The
    Aviator"), or None at the start of the doc."""
    doc = span.doc
    i = span.start - 1
    if i > 0 and doc[i].text == "The" and not doc[i].is_sent_start:
        i -= 1
    return doc[i] if i >= 0 else None


def classifying_noun(span: Span, nouns: Mapping[str, str | None]) -> str | None:
    """The classifier noun right before a name and in one phrase with it, as it is listed
    ("giant" of "oil giants"), or None."""
    noun = word_before(span)
    if noun is None or noun.pos_ != "NOUN" or not noun.is_lower:
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


def appositive_noun(span: Span, nouns: Mapping[str, str | None]) -> str | None:
    """The classifier noun heading an appositive that a comma sets right after a name, as
    it is listed: "Titan, a California-based company", "Varig, Brazil's flagship
    airline", "Vertigo, the first single from the new album". The appositive opens with
    an article or a possessive, so "well done Robbie, good show" says nothing; and its
    noun is not one classifying a name after it ("Annie Lennox, metal group
    Motorhead")."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].text != ",":
        return None
    for noun in span.root.children:
        if noun.dep_ != "appos" or noun.pos_ != "NOUN" or not noun.is_lower:
            continue
        listed = noun.lower_ if noun.lower_ in nouns else noun.lemma_.lower()
        opener = noun.left_edge
        if listed not in nouns or opener.i != span.end + 1:
            continue
        # A possessive opens it when a name owns it: "Brazil's flagship airline", "New
        # Zealand's", not "the late Willie Rushden, superb children's programme".
        opened = opener.lower_ in ("a", "an", "the") or (
            opener.pos_ == "PROPN"
            and not opener.is_lower
            and any(t.tag_ == "POS" for t in doc[opener.i : noun.i])
        )
        names_next = noun.i + 1 < len(doc) and doc[noun.i + 1].pos_ == "PROPN"
        if opened and not names_next:
            return listed
    return None


# Lower-case words between a party and the title of its person: "Lib Dem home affairs
# spokesman Mark Oaten".
MAX_WORDS_TO_A_TITLE = 4


@dataclass(frozen=True)
class ContextWords:
    """The lexicons context is read with."""

    nouns: Mapping[str, str | None]  # classifier noun -> the type it says; None: a work
    award_participles: frozenset[str]  # "Oscar-winning"
    award_nouns: frozenset[str]  # "Oscar nominee", "Grand Slam winner"
    organization_heads: frozenset[str]  # "Manchester United"
    organization_words: frozenset[str]  # "U.S. Forces Korea": anywhere after the first word
    # A capitalised word before "of the" that makes no title of a work: an office
    # ("Speaker of the House") or an institution ("Federation of the Red Cross").
    titles_of: frozenset[str]  # in lower case
    person_titles: frozenset[str]  # "leader", "spokesman": a person's, after a party
    team_roles: frozenset[str]  # "striker", "scrum-half": a side's, not a town's
    not_person_heads: frozenset[str]  # "the Dole campaign": a person's institution
    honorifics: frozenset[str]  # "Mr", "Ms": what follows is a person's name

    def led_by_honorific(self, span: Span) -> bool:
        """Whether a name starts with an honorific: "Mr Ebbers", "Dr. Lee"."""
        return span[0].lower_.rstrip(".") in self.honorifics

    @classmethod
    def of(cls, ontology: Ontology) -> ContextWords:
        """The lexicons as `schema/` gives them."""

        def lexicons(*names: str) -> frozenset[str]:
            return frozenset(w for name in names for w in ontology.lexicons.get(name, ()))

        return cls(
            nouns=ontology.classifier_nouns,
            award_participles=ontology.award_participles,
            award_nouns=ontology.award_nouns,
            organization_heads=ontology.organization_heads,
            organization_words=ontology.organization_words,
            titles_of=ontology.titles_of,
            person_titles=lexicons("roles", "staff_nouns", "team_roles"),
            team_roles=lexicons("team_roles"),
            not_person_heads=ontology.not_person_heads,
            honorifics=lexicons("honorifics"),
        )


class ContextTypes:
    """The types the context of one mention says its name has: none, one or more."""

    def __init__(
        self,
        words: ContextWords,
        countries: frozenset[str],
        type_of: Callable[[str], str | None],
    ) -> None:
        self.words, self.countries, self.type_of = words, countries, type_of

    def __call__(self, span: Span) -> list[str | None]:
        said: list[str | None] = []
        words = self.words
        listed = classifying_noun(span, words.nouns)
        if listed is None and match_form(span.text) not in self.countries:
            # A country is one whatever its appositive calls it: "France, the flag carrier
            # of cinema".
            listed = appositive_noun(span, words.nouns)
        # A country is no person whatever the noun before it: "the most successful
        # chancellor Britain has had".
        if listed is not None and not (
            words.nouns[listed] == "Person" and match_form(span.text) in self.countries
        ):
            said.append(words.nouns[listed])
        # A country's team stays its country's node, as in results lines (entity_repair).
        if (
            self.type_of(span.label_) == "Location"
            and agrees_as_team(span)
            and match_form(span.text) not in self.countries
        ):
            said.append("Organization")
        if self._hyphened_to_an_award_participle(span):
            said.append(None)
        # An organization has nominees: "Supreme Court nominee".
        if self.type_of(span.label_) in ("Person", "Location") and self._before_an_award_noun(span):
            said.append(None)
        if self._in_a_title_of_the(span):
            said.append(None)
        if self.type_of(span.label_) == "Person" and self._before_a_persons_title(span):
            said.append("Organization")
        # A town has no strikers: "Liverpool striker Milan Baros" plays for the club. A
        # country's side stays the country's node (the patterns read the position).
        if (
            self.type_of(span.label_) == "Location"
            and match_form(span.text) not in self.countries
            and self._before_a_sides_role(span)
        ):
            said.append("Organization")
        # Not context but the name's own words, and as sure: its last ("Manchester
        # United"), or one only organizations hold after their first ("U.S. Forces Korea").
        if len(span) >= 2 and (
            span[-1].text in words.organization_heads
            or any(t.text in words.organization_words for t in span[1:])
        ):
            said.append("Organization")
        return said

    def _before_an_award_noun(self, span: Span) -> bool:
        """A name right before an award noun: "Oscar nominee Alan Alda", "Oscar
        nominations". By adjacency, as the parser often reads the noun as a verb."""
        doc = span.doc
        if span.end >= len(doc) or not doc[span.end].is_lower:
            return False
        word = doc[span.end].lower_
        nouns = self.words.award_nouns
        return word in nouns or (word.endswith("s") and word[:-1] in nouns)

    def _in_a_title_of_the(self, span: Span) -> bool:
        """Either side of "of the" in a title: "Lord of the Rings", "Eternal Sunshine of
        the Spotless Mind". Not after a person ("Hensel of the Economist Intelligence
        Unit"), an office or an institution ("Speaker of the House"), nor a country
        ("Republic of the Congo")."""
        doc = span.doc
        start, end = span.start, span.end
        if span[0].lower_ == "the":  # the recognizer's "the Spotless Mind"
            start += 1
        after_of_the = (
            start >= 3
            and doc[start - 2].lower_ == "of"
            and doc[start - 1].text == "the"
            and self._titles_a_work(doc[start - 3])
            and not self._names_a_person(doc[start - 3])
            and match_form(span.text) not in self.countries
        )
        before_of_the = (
            end + 2 < len(doc)
            and doc[end].text == "of"
            and doc[end + 1].text == "the"
            and doc[end + 2].is_title
            and self.type_of(span.label_) != "Person"
            and self._titles_a_work(span[-1])
        )
        return after_of_the or before_of_the

    def _titles_a_work(self, word: Token) -> bool:
        return (
            word.is_title
            and word.is_alpha
            and not word.is_sent_start
            and word.lower_ not in self.words.titles_of
            and word.lower_ not in self.words.person_titles
            and word.text not in self.words.organization_heads
        )

    def _names_a_person(self, word: Token) -> bool:
        return word.ent_type_ != "" and self.type_of(word.ent_type_) == "Person"

    def _before_a_sides_role(self, span: Span) -> bool:
        """A side's role word ("scrum-half", written as one word) right after the name,
        and a person right after it: "Leicester scrum-half Harry Ellis"."""
        doc = span.doc
        j = span.end
        while j < len(doc) and (j == span.end or not doc[j - 1].whitespace_):
            j += 1
        word = doc[span.end : j].text.lower()
        return (
            span.end < j < len(doc)
            and word in self.words.team_roles
            and self._names_a_person(doc[j])
            and doc[j].ent_iob_ == "B"
        )

    def _before_a_persons_title(self, span: Span) -> bool:
        """A person-read name before a person's title and a person: "Lib Dem leader
        Charles Kennedy" is a party's leader. A person has no leader, but may have a lawyer:
        "Mr Ebbers' lawyer Reid Weingarten" (no party is called Mr)."""
        doc = span.doc
        if self.words.led_by_honorific(span):
            return False
        j = span.end
        while j < len(doc) and j - span.end < MAX_WORDS_TO_A_TITLE and doc[j].is_lower:
            j += 1
        return (
            span.end < j < len(doc)
            # One noun phrase: "Kennedy and wounded former Texas Gov. John Connally" is not.
            and all(t.pos_ in ("NOUN", "ADJ") for t in doc[span.end : j])
            and doc[j - 1].pos_ == "NOUN"
            and doc[j - 1].lower_ in self.words.person_titles
            # "Dole campaign manager Scott Reed" manages Dole's campaign.
            and not any(t.lower_ in self.words.not_person_heads for t in doc[span.end : j])
            and self._names_a_person(doc[j])
            and doc[j].ent_iob_ == "B"
        )

    def _hyphened_to_an_award_participle(self, span: Span) -> bool:
        doc = span.doc
        return (
            span.end + 1 < len(doc)
            and doc[span.end].text == "-"
            and not span[-1].whitespace_
            and not doc[span.end].whitespace_
            and doc[span.end + 1].lower_ in self.words.award_participles
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
