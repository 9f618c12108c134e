"""The pattern extractor: token and dependency patterns from schema/patterns.yaml.

Patterns are kept where they add precision the trained model lacks: meetings, visits,
advisers and titles written next to a name. Each statement names the pattern that made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from flows.errors import ConfigError
from flows.grouped_matching import GroupedDependencyMatcher
from flows.ontology import Ontology
from flows.relations import Candidate, FoundRelation


class PatternRelations:
    name = "patterns"
    calibrated = False

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology
        self.version = ontology.patterns_version
        # The words of the lexicon a pattern takes its role from ("roles", "team_roles").
        self.role_words = {name: frozenset(words) for name, words in ontology.lexicons.items()}
        self._specs = {spec["id"]: spec for spec in ontology.patterns}
        self._vocab: Vocab | None = None
        self.matcher: Matcher
        self.dep_matcher: DependencyMatcher

    def _compile(self, vocab: Vocab) -> None:
        """Matchers are bound to a vocabulary: built for the first doc's pipeline."""
        self.matcher = Matcher(vocab)
        # spaCy's DependencyMatcher, with its node tokens matched once per group of like
        # tokens: the same matches at a fraction of the cost (flows/grouped_matching.py).
        self.dep_matcher = GroupedDependencyMatcher(vocab)
        for spec in self.ontology.patterns:
            try:
                if spec["kind"] == "token":
                    self.matcher.add(spec["id"], [spec["pattern"]])
                else:
                    self.dep_matcher.add(spec["id"], [spec["pattern"]])
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"patterns.yaml: {spec['id']}: {exc}") from None
        self._vocab = vocab

    def extract(self, doc: Doc, candidates: Sequence[Candidate]) -> list[FoundRelation]:
        if self._vocab is not doc.vocab:
            self._compile(doc.vocab)
        token_candidate = {t.i: i for i, c in enumerate(candidates) for t in c.span}
        found: dict[tuple[str, int, int], FoundRelation] = {}

        def add(spec: dict[str, Any], subj: Token, obj: Token, role_tokens: list[Token]) -> None:
            s, o = token_candidate.get(subj.i), token_candidate.get(obj.i)
            if s is None or o is None or s == o:
                return
            predicate = spec["predicate"]
            if not self.ontology.allows(predicate, candidates[s].type, candidates[o].type):
                return
            key = (predicate, s, o)
            confidence = float(spec.get("confidence", 0.5))
            if key in found and found[key].confidence >= confidence:
                return
            words = self.role_words.get(spec.get("role_from") or "", frozenset())
            role = " ".join(t.text for t in role_tokens if t.lower_ in words) or None
            found[key] = FoundRelation(
                predicate=predicate,
                subject=s,
                object=o,
                confidence=confidence,
                extractor=f"patterns:{spec['id']}",
                extractor_version=self.version,
                role=role,
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
        return sorted(found.values(), key=lambda r: (r.subject, r.object, r.predicate))

    def _token_arg(self, span: Span, arg: dict[str, Any]) -> Token | None:
        wanted = arg["label"] if isinstance(arg["label"], list) else [arg["label"]]
        labels = {label for etype in wanted for label in self.ontology.spacy_labels(etype)}
        tokens = [t for t in span if t.ent_type_ in labels]
        if not tokens:
            return None
        return tokens[-1] if arg.get("which") == "last" else tokens[0]
