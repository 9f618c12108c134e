"""Build the usage lexicon (flows/usage.py): `make train`, after the recognizer.

The corpus is the casing lexicon's (the BBC articles and the training splits of CrossRE
news and CoNLL04, never a dev or test split), read by the product's own spaCy pipeline and
recognizer: the lexicon says how the names the recognizer finds are used.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from flows.classifiers import classifying_noun, word_before
from flows.entity_repair import EntityRepair
from flows.names import match_form, normalize_name
from flows.ontology import Ontology
from flows.teams import in_a_team_line
from flows.training.casing import corpus_texts
from flows.usage import (
    LEXICON_FILE,
    NameUsage,
    UsageLexicon,
    UsageWords,
    led_by_honorific,
    speaks,
    written_as_a_thing,
)

BATCH_SIZE = 32
# "the film Pirates Of The Caribbean Dead Man's Chest" is longer; the titles that matter
# are the recognizer's names.
MAX_TITLE_WORDS = 5


def reads_as_a_team(
    ent: Span, repair: EntityRepair, ontology: Ontology, team_sport: bool = False
) -> bool:
    """A place's name read as an organization: by the recognizer, or by the product's
    rules for teams (a results line, "Leicester have", "Leicester scrum-half", and in an
    article about a team sport "against Barcelona")."""
    etype = ontology.entity_types[ent.label_]
    return etype == "Organization" or (
        etype == "Location"
        and (
            in_a_team_line(ent, ontology.fixture_words)
            or "Organization" in repair.context_types(ent)
            or (team_sport and repair.teams.set_against(ent))
        )
    )


def titles_of_works(doc: Doc, words: UsageWords) -> Iterator[Span]:
    """The titles a noun of a work introduces that the recognizer did not read: "movie The
    Aviator" (it reads "Aviator" only where no such noun stands before it). A title is the
    run of capitalised words after the noun and its "The", in one phrase with it."""
    for noun in doc:
        if noun.lower_ not in words.works or not noun.is_lower or noun.pos_ != "NOUN":
            continue
        start = noun.i + 1
        if start < len(doc) and doc[start].text == "The":
            start += 1
        end = start
        while end < len(doc) and end - start < MAX_TITLE_WORDS and doc[end].is_title:
            end += 1
        title = Span(doc, start, end)
        # A name the recognizer read is counted as it read it (`written_as_a_thing`).
        if title and not any(t.ent_type for t in title) and classifying_noun(title, words.works):
            yield title


def owned_noun(ent: Span) -> bool:
    """Whether the noun right before a name (and its "The") has a possessor."""
    noun = word_before(ent)
    return noun is not None and any(c.dep_ == "poss" for c in noun.children)


def build_lexicon(docs: Iterable[Doc], ontology: Ontology, version: str = "") -> UsageLexicon:
    """Count, for each name of an ontology type, the articles that read it, write it as a
    thing, make it speak, read it, a place's name, as an organization's (a team's), and
    read it as a person's with a noun before it that says a group's or someone's; names
    never a thing, a team nor a group are left out."""
    words = UsageWords.of(ontology)
    repair = EntityRepair(ontology)
    context = repair.words
    person = ontology.spacy_label("Person")
    columns = ("read", "thing", "speaker", "team", "group", "personal")
    counts: dict[str, Counter[str]] = {c: Counter() for c in columns}
    for doc in docs:
        seen: dict[str, set[str]] = {c: set() for c in columns}
        team_sport = repair.teams.about_a_team_sport(doc)
        for title in titles_of_works(doc, words):
            form = match_form(normalize_name(title.text))
            seen["read"].add(form)
            seen["thing"].add(form)
        for ent in doc.ents:
            if ent.label_ not in ontology.entity_types:
                continue
            form = match_form(normalize_name(ent.text))
            seen["read"].add(form)
            if written_as_a_thing(ent, words):
                seen["thing"].add(form)
            if speaks(ent, words):
                seen["speaker"].add(form)
            if form in repair.places and reads_as_a_team(ent, repair, ontology, team_sport):
                seen["team"].add(form)
            if ent.label_ == person:
                said = context.nouns.get(classifying_noun(ent, context.nouns) or "")
                if said == "Organization" and owned_noun(ent):
                    said = None  # "PowerPage's publisher Jason O-Grady": a role
                if said == "Organization":
                    seen["group"].add(form)
                elif said == "Person" or led_by_honorific(ent, context.honorifics):
                    seen["personal"].add(form)
        for column, forms in seen.items():
            counts[column].update(forms)
    kept = set(counts["thing"]) | set(counts["team"]) | set(counts["group"])
    names = {n: NameUsage(*(counts[c][n] for c in columns)) for n in sorted(kept) if n}
    if not version:
        rows = json.dumps(UsageLexicon(names, "").to_json()["names"], sort_keys=True)
        version = hashlib.sha256(rows.encode()).hexdigest()[:12]
    return UsageLexicon(names, version)


def train_usage(data: Path, out: Path, nlp: Language, ontology: Ontology, processes: int) -> dict:
    """Build and write the lexicon and its card; the card's contents."""
    texts, files = corpus_texts(data)
    docs = nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes)
    lexicon = build_lexicon(docs, ontology)
    out.mkdir(parents=True, exist_ok=True)
    lexicon.save(out / LEXICON_FILE)
    card = {
        "model": "usage",
        "version": lexicon.version,
        "artifact": f"usage/{LEXICON_FILE}",
        "names": len(lexicon.names),
        "things": sum(lexicon.is_thing(n) for n in lexicon.names),
        "club_towns": sum(lexicon.is_club_town(n) for n in lexicon.names),
        "groups": sum(lexicon.is_group(n) for n in lexicon.names),
        "read_by": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "trained_on": ["bbc articles", "crossre-news train", "conll04 train", "conll04 dev"],
        "training_data": files,
    }
    (out / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return card
