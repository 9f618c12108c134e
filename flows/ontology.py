"""The vocabulary in schema/: entity and relation types, aliases, gazetteer, patterns, cleaning.

Labels and relationship types end up in Cypher text (they cannot be parameters), so every
one of them is checked here, once, as a plain identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from flows.errors import ConfigError
from flows.names import match_form

# Annotation schemes the ontology maps to: training data and evaluations read through them.
SCHEMES = ("crossre", "conll04")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_identifier(name: str) -> str:
    """Return `name` if it is safe to put into Cypher text as a label or type, else raise."""
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        raise ConfigError(f"ontology: {name!r} is not a valid label or relationship type")
    return name


@dataclass(frozen=True)
class RelationType:
    name: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    description: str = ""
    symmetric: bool = False
    # The subject lies inside the object: geography can rule a reading out (a country does
    # not lie inside a city, flows/places.py).
    within: bool = False
    # Whether two names in one list can hold it (flows/relations/evidence.py).
    in_a_list: bool = True
    # A subject holds it with one object per sentence: a trained extractor keeps the surest.
    one_object: bool = False
    # Its subject and object are of one type: an alias names the same kind of thing.
    same_type: bool = False
    # It covers a role held before, and a statement read so is marked `past`.
    may_be_past: bool = False
    # The only verbs that may lie between its names (lemmas), or None: any may.
    verbs: frozenset[str] | None = None
    # Words (lemmas) of which its sentence must hold one, or None: a killing is stated
    # only where the sentence speaks of a death or an attack.
    cues: frozenset[str] | None = None
    # Whether its object may be a place that only qualifies a thing ("the Iraq war").
    qualifier: bool = True
    # The type it is read as between a person and a country in an article about a team
    # sport, where the country is a side the person plays for or coaches
    # (flows/relations/sides.py), or None.
    for_a_side: str | None = None
    # Labels of annotation schemes this type covers: {"crossre": (...), "conll04": (...)}.
    schemes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def covers(self, scheme: str, label: str) -> bool:
        return label in self.schemes.get(scheme, ())


@dataclass(frozen=True)
class ResultsLines:
    """How the sports pages' results lines are read (flows/relations/scores.py): the types
    a side may have, the predicates of a win and of a draw, and the confidence written;
    and their fixtures ("France v Cyprus"): the words between the sides and the predicate."""

    sides: frozenset[str]
    win: str
    draw: str
    confidence: float
    fixture: str | None = None
    fixture_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Ontology:
    entity_types: dict[str, str]  # spaCy label -> ontology type
    # Scheme -> its entity label -> ontology type, e.g. {"conll04": {"Peop": "Person"}}.
    scheme_types: dict[str, dict[str, str]]
    demonym_label: str  # the spaCy label of nationalities, "NORP"
    relation_types: dict[str, RelationType]
    aliases: dict[tuple[str, str], str]  # (type, alias match form) -> canonical name
    gazetteer_types: dict[str, str]  # match form -> forced type
    gazetteer_names: dict[str, str]  # name as written -> type, for the entity ruler
    drop: frozenset[str]  # match forms never kept as entities
    not_person_heads: frozenset[str]  # "the Lee administration" is not a person
    event_heads: frozenset[str]  # "the UEFA Cup" is an event: no type of the ontology
    market_words: frozenset[str]  # "the Nikkei average", "Eurodollar futures": no entity
    optional_name_words: frozenset[str]  # "the Labour Party" is "Labour"
    fixture_words: frozenset[str]  # "BOSTON AT OAKLAND": the places are teams
    # Noun -> the type of the name it comes right before ("oil giant Yukos"); None: a work.
    classifier_nouns: dict[str, str | None]
    award_participles: frozenset[str]  # "Oscar-winning": Oscar is an award
    award_nouns: frozenset[str]  # "Oscar nominee": Oscar is an award
    titles_of: frozenset[str]  # "Speaker of the House" titles no work
    organization_heads: frozenset[str]  # "Manchester United" is an organization
    organization_words: frozenset[str]  # "U.S. Forces Korea" is one too
    demonyms: dict[str, str]  # demonym match form -> country name
    min_city_population: int | None  # GeoNames places (flows/places.py); None: none
    drop_lines: tuple[re.Pattern[str], ...]
    patterns: tuple[dict[str, Any], ...]
    lexicons: dict[str, tuple[str, ...]]
    patterns_version: str
    results_lines: ResultsLines | None = None

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.entity_types.values())))

    @property
    def fixture_separators(self) -> frozenset[str]:
        """The words between a fixture's sides ("France v Cyprus"), as the results lines
        read them; none where the schema has no results lines."""
        lines = self.results_lines
        return lines.fixture_words if lines is not None else frozenset()

    def spacy_labels(self, etype: str) -> tuple[str, ...]:
        """The spaCy labels of an ontology type, its main one first; a Location is also
        written as a demonym."""
        labels = tuple(label for label, t in self.entity_types.items() if t == etype)
        return (*labels, self.demonym_label) if etype == "Location" else labels

    def spacy_label(self, etype: str) -> str:
        """The label the gazetteer writes back for an ontology type."""
        return self.spacy_labels(etype)[0]

    def relation_types_for(self, scheme: str, label: str) -> tuple[RelationType, ...]:
        return tuple(r for r in self.relation_types.values() if r.covers(scheme, label))

    def allows(self, predicate: str, subject_type: str, object_type: str) -> bool:
        rel = self.relation_types.get(predicate)
        return (
            rel is not None
            and subject_type in rel.subject
            and object_type in rel.object
            and (subject_type == object_type or not rel.same_type)
        )


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None


def _expand_lexicons(node: Any, lexicons: dict[str, tuple[str, ...]], where: str) -> Any:
    """Replace "$name" strings in a pattern with the named lexicon's list."""
    if isinstance(node, dict):
        return {k: _expand_lexicons(v, lexicons, where) for k, v in node.items()}
    if isinstance(node, list):
        return [_expand_lexicons(v, lexicons, where) for v in node]
    if isinstance(node, str) and node.startswith("$"):
        if node[1:] not in lexicons:
            raise ConfigError(f"{where}: unknown lexicon {node}")
        return list(lexicons[node[1:]])
    return node


@cache
def load_ontology(schema_dir: Path) -> Ontology:
    onto = _read_yaml(schema_dir / "ontology.yaml") or {}
    try:
        entity_types = {
            spacy_label: check_identifier(etype)
            for etype, spec in onto["entity_types"].items()
            for spacy_label in spec["spacy"]
        }
        scheme_types: dict[str, dict[str, str]] = {}
        for etype, spec in onto["entity_types"].items():
            for scheme in SCHEMES:
                for label in spec.get(scheme) or ():
                    scheme_types.setdefault(scheme, {})[label] = etype
        relation_types = {
            check_identifier(name): RelationType(
                name=name,
                subject=tuple(check_identifier(t) for t in spec["subject"]),
                object=tuple(check_identifier(t) for t in spec["object"]),
                description=spec.get("description", ""),
                symmetric=bool(spec.get("symmetric", False)),
                within=bool(spec.get("within", False)),
                in_a_list=bool(spec.get("in_a_list", True)),
                qualifier=bool(spec.get("qualifier", True)),
                one_object=bool(spec.get("one_object", False)),
                same_type=bool(spec.get("same_type", False)),
                may_be_past=bool(spec.get("may_be_past", False)),
                verbs=None if spec.get("verbs") is None else frozenset(spec["verbs"]),
                cues=None if spec.get("cues") is None else frozenset(spec["cues"]),
                for_a_side=spec.get("for_a_side"),
                schemes={s: tuple(spec[s]) for s in SCHEMES if spec.get(s)},
            )
            for name, spec in onto["relation_types"].items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{schema_dir / 'ontology.yaml'}: malformed ({exc!r})") from None
    known_types = set(entity_types.values())
    for rel in relation_types.values():
        unknown = (set(rel.subject) | set(rel.object)) - known_types
        if unknown:
            raise ConfigError(f"ontology: {rel.name} names unknown types {sorted(unknown)}")
        if rel.for_a_side is not None and rel.for_a_side not in relation_types:
            raise ConfigError(f"ontology: {rel.name} is read for a side as {rel.for_a_side!r}")

    aliases: dict[tuple[str, str], str] = {}
    for etype, table in (_read_yaml(schema_dir / "aliases.yaml") or {}).items():
        if etype not in known_types:
            raise ConfigError(f"aliases.yaml: unknown entity type {etype!r}")
        for canonical, others in table.items():
            for name in [canonical, *others]:
                aliases[(etype, match_form(name))] = canonical

    gaz = _read_yaml(schema_dir / "gazetteer.yaml") or {}
    gazetteer_types = {match_form(k): v for k, v in (gaz.get("types") or {}).items()}
    for name, etype in gazetteer_types.items():
        if etype not in known_types:
            raise ConfigError(f"gazetteer.yaml: {name!r} has unknown type {etype!r}")
    demonyms = {match_form(k): v for k, v in (gaz.get("demonyms") or {}).items()}
    classifier_nouns: dict[str, str | None] = {}
    for etype, nouns in (gaz.get("classifier_nouns") or {}).items():
        if etype != "none" and etype not in known_types:
            raise ConfigError(f"gazetteer.yaml: classifier_nouns: unknown entity type {etype!r}")
        says = None if etype == "none" else etype
        classifier_nouns.update({noun.lower(): says for noun in nouns})

    cleaning = _read_yaml(schema_dir / "cleaning.yaml") or {}
    try:
        drop_lines = tuple(
            re.compile(rf"\s*(?:{p})\s*", re.IGNORECASE) for p in cleaning.get("drop_lines", [])
        )
    except re.error as exc:
        raise ConfigError(f"cleaning.yaml: bad pattern ({exc})") from None

    pat = _read_yaml(schema_dir / "patterns.yaml") or {}
    lexicons = {k: tuple(v) for k, v in (pat.get("lexicons") or {}).items()}
    patterns = []
    for spec in pat.get("patterns") or []:
        where = f"patterns.yaml: {spec.get('id', '?')}"
        if spec.get("predicate") not in relation_types:
            raise ConfigError(f"{where}: predicate {spec.get('predicate')!r} not in ontology")
        if spec.get("kind") not in ("token", "dependency"):
            raise ConfigError(f"{where}: kind must be 'token' or 'dependency'")
        patterns.append({**spec, "pattern": _expand_lexicons(spec["pattern"], lexicons, where)})

    return Ontology(
        entity_types=entity_types,
        scheme_types=scheme_types,
        demonym_label=str(onto.get("demonym_label", "NORP")),
        relation_types=relation_types,
        aliases=aliases,
        gazetteer_types=gazetteer_types,
        gazetteer_names=dict(gaz.get("types") or {}),
        drop=frozenset(match_form(d) for d in gaz.get("drop") or []),
        not_person_heads=frozenset(w.lower() for w in gaz.get("not_person_heads") or []),
        event_heads=frozenset(w.lower() for w in gaz.get("event_heads") or []),
        market_words=frozenset(w.lower() for w in gaz.get("market_words") or []),
        optional_name_words=frozenset(w.lower() for w in gaz.get("optional_name_words") or []),
        fixture_words=frozenset(gaz.get("fixture_words") or []),
        classifier_nouns=classifier_nouns,
        award_participles=frozenset(w.lower() for w in gaz.get("award_participles") or []),
        award_nouns=frozenset(w.lower() for w in gaz.get("award_nouns") or []),
        titles_of=frozenset(w.lower() for w in gaz.get("titles_of") or []),
        organization_heads=frozenset(gaz.get("organization_heads") or []),
        organization_words=frozenset(gaz.get("organization_words") or []),
        demonyms=demonyms,
        min_city_population=(gaz.get("places") or {}).get("min_city_population"),
        drop_lines=drop_lines,
        patterns=tuple(patterns),
        lexicons=lexicons,
        patterns_version=str(pat.get("version", "0")),
        results_lines=_results_lines(pat.get("results_lines"), relation_types, entity_types),
    )


def _results_lines(
    spec: Any, relation_types: dict[str, RelationType], entity_types: dict[str, str]
) -> ResultsLines | None:
    if not spec:
        return None
    where = "patterns.yaml: results_lines"
    try:
        lines = ResultsLines(
            sides=frozenset(spec["sides"]),
            win=spec["win"],
            draw=spec["draw"],
            confidence=float(spec["confidence"]),
            fixture=spec.get("fixture"),
            fixture_words=frozenset(spec.get("fixture_words") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: needs sides, win, draw and confidence ({exc})") from None
    for predicate in (lines.win, lines.draw, *([lines.fixture] if lines.fixture else [])):
        if predicate not in relation_types:
            raise ConfigError(f"{where}: predicate {predicate!r} not in ontology")
    unknown = sorted(lines.sides - set(entity_types.values()))
    if unknown:
        raise ConfigError(f"{where}: side type {unknown[0]!r} not in ontology")
    return lines
