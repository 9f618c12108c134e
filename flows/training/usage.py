"""Build the usage lexicon (flows/usage.py): `make train`, after the recognizer.

The corpus is the casing lexicon's (the BBC articles and the training splits of CrossRE
news and CoNLL04, never a dev or test split), read by the product's own spaCy pipeline and
recognizer: the lexicon says how the names the recognizer finds are used.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from flows.entity_repair import EntityRepair
from flows.names import match_form, normalize_name
from flows.ontology import Ontology
from flows.teams import plays_as_team
from flows.training.casing import corpus_texts
from flows.usage import (
    LEXICON_FILE,
    NameUsage,
    UsageLexicon,
    UsageWords,
    speaks,
    written_as_a_thing,
)

BATCH_SIZE = 32


def reads_as_a_team(ent: Span, repair: EntityRepair, ontology: Ontology) -> bool:
    """A place's name read as an organization: by the recognizer, or by the product's
    rules for teams (a results line, "Leicester have", "Leicester scrum-half")."""
    etype = ontology.entity_types[ent.label_]
    return etype == "Organization" or (
        etype == "Location"
        and (
            plays_as_team(ent, ontology.fixture_words)
            or "Organization" in repair.context_types(ent)
        )
    )


def build_lexicon(docs: Iterable[Doc], ontology: Ontology, version: str = "") -> UsageLexicon:
    """Count, for each name of an ontology type, the articles that read it, write it as a
    thing, make it speak, and read it, a place's name, as an organization's (a team's);
    names never a thing nor a team are left out."""
    words = UsageWords.of(ontology)
    repair = EntityRepair(ontology)
    articles: Counter[str] = Counter()
    thing: Counter[str] = Counter()
    speaker: Counter[str] = Counter()
    team: Counter[str] = Counter()
    for doc in docs:
        read, as_thing, speaking, as_team = set(), set(), set(), set()
        for ent in doc.ents:
            if ent.label_ not in ontology.entity_types:
                continue
            form = match_form(normalize_name(ent.text))
            read.add(form)
            if written_as_a_thing(ent, words):
                as_thing.add(form)
            if speaks(ent, words):
                speaking.add(form)
            if form in repair.places and reads_as_a_team(ent, repair, ontology):
                as_team.add(form)
        articles.update(read)
        thing.update(as_thing)
        speaker.update(speaking)
        team.update(as_team)
    names = {
        n: NameUsage(articles[n], thing[n], speaker[n], team[n])
        for n in sorted(set(thing) | set(team))
        if n
    }
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
        "read_by": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "trained_on": ["bbc articles", "crossre-news train", "conll04 train", "conll04 dev"],
        "training_data": files,
    }
    (out / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return card
