"""How a news corpus uses a name: which names it writes as a kind of thing, not as someone.

The recognizer reads the names of products and works as organizations, people or places:
"Xbox" and "iPod" as organizations, "Harry Potter" as a person, "Windows" as a place. One
article seldom says which it is, but a corpus does: news writes such a name, in a large
share of the articles that give it, as a kind of thing. It comes right before a noun
naming a product or a work ("the Xbox games console", "the Harry Potter films", "a
Windows virus"), heads a common noun's phrase after an article, a possessive or "new"
("an iPod", "his Budget", "the next Xbox"), or follows a noun that says a work ("the film
Vera Drake": `classifier_nouns` in schema/gazetteer.yaml). People, organizations and
places are seldom written so: of the BBC's names, "a unified Labour Party" and the like
make 5 of the 39 articles naming it, and a maker's products ("Apple laptops") 6 of
Apple's 48. And a thing never speaks: a name that is the subject of "said" is someone's.

A corpus also says which towns have a club: a place's name read as an organization, by
the recognizer or as a team in a results line, with a plural verb or before a side's
role ("Leicester have", "Leicester scrum-half Harry Ellis": flows/teams.py,
flows/classifiers.py), in enough of the articles naming it. In an article about a team
sport such a town is its club wherever the article does not write it as a place
("Burnley or Blackburn v Leicester", "H Ellis (Leicester)"); London and Dublin, seldom so
read, stay places ("the trip to Dublin").

And a corpus says which "people" are groups: a name the recognizer reads as a person's
that a noun before it calls a band, a group or a firm in a few articles ("Scottish rock
band Franz Ferdinand", "Glasgow group Franz Ferdinand"), and that no noun or honorific
anywhere calls someone, is an organization's wherever the article writes it bare.

The lexicon is data (`models/usage/lexicon.json.gz`): for each name, in how many articles
the recognizer read it, wrote it as a thing, made it speak, read it as a team, and called
it, read as a person's, a group's or someone's. `make train` builds it from the casing
lexicon's corpus (flows/training/usage.py); the words it reads are in schema/patterns.yaml
(`thing_nouns`, `show_nouns`, `thing_words`, `speech_verbs`) and schema/gazetteer.yaml
(`classifier_nouns`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.tokens import Span

from flows.classifiers import classifying_noun
from flows.given_names import is_given_name
from flows.lexicon_file import load_lexicon, save_lexicon

if TYPE_CHECKING:
    from flows.ontology import Ontology

FORMAT = "kg-usage/2"
LEXICON_FILE = "lexicon.json.gz"
# A name is a thing where the corpus writes it as one in at least this many articles and
# this share of those naming it, and in SPEAKER_RATIO times as many as make it speak. On
# the BBC corpus the things start at a share of 0.2 ("Oscar" 18 of 74; "Xbox" 0.48,
# "Harry Potter" 0.33), and the names of someone end at 0.13 ("Labour Party", "Apple";
# "UKIP", 3 of 13, is kept by the one article where it speaks).
THING_MIN_ARTICLES = 3
THING_SHARE = 0.2
SPEAKER_RATIO = 4
# A town has a club where at least this many articles, and this share of those naming it,
# read it as an organization: "Newcastle" 17 of 52 BBC articles, "Leicester" ...; not
# "London" (... of 273) or "Madrid" (4 of 44: Real and Atletico are named in full).
CLUB_MIN_ARTICLES = 3
CLUB_SHARE = 0.1
# A name read as a person's is a group's where a noun before it says so in at least this
# many articles and this share of those naming it, and nothing says it is someone's: a band
# is named so in a few of its articles ("Scottish rock band Franz Ferdinand", 2 of 17 BBC
# articles) and written as a bare name in the rest.
GROUP_MIN_ARTICLES = 2
GROUP_SHARE = 0.1
# "a BBC World Service and WGBH-Boston co-production": the article is the phrase's.
COORDINATORS = frozenset({"and", "or", "&"})


@dataclass(frozen=True)
class UsageWords:
    """The words a name's use is read by (schema/patterns.yaml)."""

    nouns: frozenset[str]  # "console", "film": a name right before one is a thing's
    determiners: frozenset[str]  # "an", "his", "next": a name they qualify is a thing's
    speech_verbs: frozenset[str]  # "say": a name that is their subject is someone's
    works: Mapping[str, None]  # "film": the name right after it is a work's
    shows: frozenset[str]  # "programme": a person's name right before it is a show's
    person_label: str

    @classmethod
    def of(cls, ontology: Ontology) -> UsageWords:
        def lexicon(name: str) -> frozenset[str]:
            return frozenset(ontology.lexicons.get(name, ()))

        return cls(
            lexicon("thing_nouns"),
            lexicon("thing_words"),
            lexicon("speech_verbs"),
            {noun: None for noun, etype in ontology.classifier_nouns.items() if etype is None},
            lexicon("show_nouns"),
            ontology.spacy_label("Person"),
        )


def led_by_honorific(span: Span, honorifics: frozenset[str]) -> bool:
    """Whether an honorific comes right before a name or starts it ("Mr Frost")."""
    doc = span.doc
    return any(
        t.lower_.rstrip(".") in honorifics for t in doc[max(span.start - 1, 0) : span.start + 1]
    )


def written_as_a_thing(span: Span, words: UsageWords) -> bool:
    """Whether this mention writes the name as a kind of thing: after a noun that says a
    work, right before a product's or a work's noun in one phrase with it (a show's, for a
    name read as a person's), or as its
    phrase's head after an article, a possessive or "new" as written in lower case ("A
    Troncon" in a team sheet is an initial)."""
    root, doc = span.root, span.doc
    if classifying_noun(span, words.works) is not None:
        return True
    if root.dep_ == "compound":
        # The noun it qualifies, in lower case: the tagger calls "games" of "the Xbox games
        # console" a proper noun as often as not.
        head = root.head
        noun = head.lemma_.lower() if head.pos_ == "NOUN" else head.lower_.removesuffix("s")
        shows = words.shows if span.label_ == words.person_label else frozenset()
        return head.i >= span.end and head.is_lower and (noun in words.nouns or noun in shows)
    if span.end < len(doc) and doc[span.end].lower_ in COORDINATORS:
        return False
    return any(
        t.i < span.start and t.dep_ in ("det", "poss", "amod") and t.text in words.determiners
        for t in root.children
    )


def speaks(span: Span, words: UsageWords) -> bool:
    """Whether this mention makes the name speak: "Sony said", "Mr Frost added"."""
    root = span.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in words.speech_verbs


@dataclass(frozen=True)
class NameUsage:
    articles: int  # articles where the recognizer read the name
    thing: int  # ... and wrote it as a thing at least once
    speaker: int  # ... and made it speak at least once
    team: int = 0  # ... and read it, a place's name, as a team's at least once
    group: int = 0  # ... and a noun before it says a person's name is a group's ("band")
    personal: int = 0  # ... and a noun or an honorific before it says it is someone's

    def enough(self, count: int, minimum: int, share: float) -> bool:
        """Whether `count` of the articles naming it is at least `minimum` and `share`."""
        return count >= minimum and count >= share * self.articles


@dataclass(frozen=True)
class UsageLexicon:
    names: dict[str, NameUsage]  # match form -> usage; names never a thing nor a team left out
    version: str

    def is_thing(self, form: str) -> bool:
        usage = self.names.get(form)
        return (
            usage is not None
            and usage.enough(usage.thing, THING_MIN_ARTICLES, THING_SHARE)
            and usage.thing >= SPEAKER_RATIO * usage.speaker
        )

    def names_a_thing(
        self, span: Span, form: str, honorifics: frozenset[str], name_words: set[str]
    ) -> bool:
        """Whether this mention of a name (`form`, its match form) is a thing's: the name
        is one, no honorific leads the mention ("Mr Frost" is a man's), and it is not one
        word that may be someone's: a word of a longer name in the article (`name_words`),
        or a given name ("Ray", a film on the BBC, is James Earl Ray in CoNLL04)."""
        if not self.is_thing(form):
            return False
        if len(span) == 1 and (span[0].lower_ in name_words or is_given_name(span[0].text)):
            return False
        return not led_by_honorific(span, honorifics)

    def is_group(self, form: str) -> bool:
        """Whether a name read as a person's is a group's: "Glasgow group Franz Ferdinand",
        "Scottish rock band Franz Ferdinand", and nothing anywhere says it is someone's."""
        usage = self.names.get(form)
        return (
            usage is not None
            and usage.enough(usage.group, GROUP_MIN_ARTICLES, GROUP_SHARE)
            and usage.personal == 0
        )

    def is_club_town(self, form: str) -> bool:
        usage = self.names.get(form)
        return usage is not None and usage.enough(usage.team, CLUB_MIN_ARTICLES, CLUB_SHARE)

    @property
    def club_towns(self) -> frozenset[str]:
        return frozenset(filter(self.is_club_town, self.names))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "names": {
                n: [u.articles, u.thing, u.speaker, u.team, u.group, u.personal]
                for n, u in sorted(self.names.items())
            },
        }

    def save(self, path: Path) -> None:
        save_lexicon(path, self.to_json())

    @classmethod
    def load(cls, path: Path) -> UsageLexicon:
        def parse(data: dict[str, Any]) -> UsageLexicon:
            names = {n: NameUsage(*map(int, counts)) for n, counts in data["names"].items()}
            return cls(names, str(data["version"]))

        return load_lexicon(path, "usage lexicon", FORMAT, parse)
