"""Stage 3, resolve: mentions become entities with stable keys; relations become statements.

Pure functions over plain data. Rules, in order:
1. normalize each mention (names.normalize_name);
2. fix its type from the gazetteer; drop a person's title ("Mr", "President");
   drop a compound of places ("China-Japan" in "the China-Japan dispute");
3. map it through the alias table to a canonical name;
4. give each name one type in an article: the one most of its mentions have;
5. attach short forms ("Lee", "Xi") to the one full name of the same type in the article
   that starts or ends with them;
6. key = type + match form of the canonical name (a company's without its legal form), so
   variants across articles ("Kang Jun-young", "Kang Jun young"; "General Motors Corp",
   "General Motors") land on one node.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Collection

from flows.model import ArticleGraph, Entity, Extraction, Mention, Statement
from flows.names import (
    entity_key,
    match_form,
    normalize_name,
    without_legal_form,
    without_title,
)
from flows.ontology import Ontology
from flows.places import country_forms, place_forms, region_forms

SHORT_FORM_TYPES = frozenset({"Person", "Organization"})
# A lone word read as a person is a weak reading ("Pirelli", "Yukos"): half a vote.
LONE_PERSON_VOTE = 0.5


def canonical_names(
    mentions: tuple[Mention, ...], ontology: Ontology
) -> list[tuple[str, str] | None]:
    """(type, canonical name) for each mention, or None where it is not an entity."""
    places = (
        place_forms(ontology.min_city_population) if ontology.min_city_population else frozenset()
    )
    known_places = (
        places
        | {f for f, t in ontology.gazetteer_types.items() if t == "Location"}
        | {f for t, f in ontology.aliases if t == "Location"}
    )
    resolved: list[tuple[str, str] | None] = []
    titled: set[str] = set()  # "Mr Ebbers", "President Bush": surnames a title calls people's
    for mention in mentions:
        name = normalize_name(mention.text)
        form = match_form(name)
        if (
            not form
            or form in ontology.drop
            or not any(c.isalpha() for c in form)
            or _is_place_compound(name, known_places)
        ):
            resolved.append(None)
            continue
        etype = ontology.gazetteer_types.get(form, mention.label)
        if etype == "Person":
            # Titles are not names: "Mr Greenspan" is Greenspan, and joins Alan Greenspan.
            untitled = without_title(name)
            if untitled != name and " " not in untitled:
                titled.add(match_form(untitled))
            name, form = untitled, match_form(untitled)
        if form in ontology.demonyms and etype == "Location":
            name = ontology.demonyms[form]
            form = match_form(name)
        name = ontology.aliases.get((etype, form), name)
        resolved.append((etype, name))
    countries = (
        country_forms(ontology.min_city_population) if ontology.min_city_population else frozenset()
    )
    one_type = _one_type_per_name(resolved, places, countries, ontology.optional_name_words)
    typed = _titled_full_names_are_people(one_type, titled, places)
    regions = (
        region_forms() | {form for t, form in ontology.aliases if t == "Location"}
        if ontology.min_city_population
        else frozenset()
    )
    return _attach_short_forms(typed, places, regions)


def _titled_full_names_are_people(
    resolved: list[tuple[str, str] | None], titled: set[str], places: frozenset[str]
) -> list[tuple[str, str] | None]:
    """ "Mr Ebbers" says Ebbers is a person: so is the one full name in the article that
    ends with that surname, whatever type the model gave it ("Bernie Ebbers" read as a
    company). A known place is left alone, and so is a surname two full names end with."""
    ending: dict[str, set[str]] = defaultdict(set)
    for item in resolved:
        if item is not None and item[0] != "Person":
            words = match_form(item[1]).split()
            if len(words) > 1 and words[-1] in titled and match_form(item[1]) not in places:
                ending[words[-1]].add(item[1])
    people = {name for names in ending.values() if len(names) == 1 for name in names}
    return [
        ("Person", item[1]) if item is not None and item[1] in people else item for item in resolved
    ]


def _is_place_compound(name: str, places: Collection[str]) -> bool:
    """ "China-Japan" or "South Korea-U.S.": known places joined by hyphens, as a modifier,
    not a place of its own. A place whose own name has a hyphen ("Guinea-Bissau") stays."""
    parts = name.split("-")
    return (
        len(parts) > 1
        and match_form(name) not in places
        and all(match_form(p) in places for p in parts)
    )


def _one_type_per_name(
    resolved: list[tuple[str, str] | None],
    places: frozenset[str],
    countries: frozenset[str],
    optional_words: Collection[str],
) -> list[tuple[str, str] | None]:
    """A name written with several types in one article gets the type most of its mentions
    have ("Seoul" six times a place, once a person). A lone word read as a person does not
    vote: news names a person in full first, so a country or US state read only as a lone
    person ("Kenya") is the place; a city is not ("Lincoln" and "Kennedy" are cities too).
    An organization's name votes for the name it is keyed by ("Labour Party" for "Labour",
    whose node it shares), and keeps its own type; a lone person's reading of that name
    does not vote. A word of a full person name in the
    article is left to the short-form rule. Ties go to a known place, then to the first
    mention."""
    person_words = {
        w
        for item in resolved
        if item is not None and item[0] == "Person" and len(item[1].split()) > 1
        for w in match_form(item[1]).split()
    }
    # The names organizations' longer names are keyed by ("Labour Party": "labour").
    party_names = {
        base
        for item in resolved
        if item is not None and item[0] == "Organization"
        if (base := _key_form(*item, optional_words)) != match_form(item[1])
    }
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for item in resolved:
        if item is None:
            continue
        etype, name = item
        form = match_form(name)
        lone_person = etype == "Person" and " " not in form
        if lone_person and form in countries and form not in person_words:
            etype = "Location"  # "Kenya" alone, read as a person: the country
        if etype == "Organization":
            form = _key_form(etype, name, optional_words)
        elif lone_person and form in party_names:
            continue  # "Labour" beside "the Labour Party": the article has said what it is
        votes[form][etype] += LONE_PERSON_VOTE if lone_person else 1
    chosen: dict[str, str] = {}
    for form, tally in votes.items():
        # Part of a person's name ("Jordan" beside Michael Jordan): short forms decide.
        if form in person_words:
            continue
        if len(tally) < 2:
            if set(tally) == {"Location"} or form in party_names:
                chosen[form] = next(iter(tally))
            continue
        best = max(tally.values())
        tied = [t for t, n in tally.items() if n == best]  # in first-mention order
        chosen[form] = "Location" if form in places and "Location" in tied else tied[0]
    return [
        item
        if item is None or match_form(item[1]) not in chosen
        else (chosen[match_form(item[1])], item[1])
        for item in resolved
    ]


def initials(name: str) -> str:
    """ "World Trade Organization" -> "WTO": capitalised words only ("of", "the" skipped)."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w[:1].isupper())


def is_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _another_organization(short: list[str], name: str, regions: frozenset[str]) -> bool:
    """Whether a longer organization's name names another than its first or last words do:
    an arm in a region ("Yukos USA", "BBC Scotland": not "Real Madrid"), or two firms
    joined by a hyphen ("Fiat-GM")."""
    words = match_form(name).split()
    parts = name.split("-")
    return (words[: len(short)] == short and " ".join(words[len(short) :]) in regions) or (
        len(parts) > 1 and short in (match_form(parts[0]).split(), match_form(parts[-1]).split())
    )


def _attach_short_forms(
    resolved: list[tuple[str, str] | None], places: frozenset[str], regions: frozenset[str]
) -> list[tuple[str, str] | None]:
    """Short forms join the one full name in the article they belong to:
    - a name that starts or ends a longer name of the same type ("Lee", "Xi"), unless that
      name is another organization's ("Yukos" beside "Yukos USA", "GM" beside "Fiat-GM");
    - a single word that ends exactly one person's name, whatever type the model gave it
      ("Major" as an organization beside "John Major"), unless it is a known place;
    - an acronym that is the initials of exactly one organization or place ("WTO").
    The full name's type wins: it is the better evidence."""
    full: dict[str, tuple[str, list[str]]] = {}  # name -> (type, words)
    for item in resolved:
        if item is not None:
            full.setdefault(item[1], (item[0], match_form(item[1]).split()))
    out: list[tuple[str, str] | None] = []
    for item in resolved:
        if item is None:
            out.append(item)
            continue
        etype, name = item
        words = match_form(name).split()
        longer: list[str] = []
        if etype in SHORT_FORM_TYPES:
            longer = [
                other
                for other, (other_type, other_words) in full.items()
                if other_type == etype
                and len(other_words) > len(words)
                and (other_words[: len(words)] == words or other_words[-len(words) :] == words)
                and not (etype == "Organization" and _another_organization(words, other, regions))
            ]
        if not longer and len(words) == 1 and match_form(name) not in places:
            longer = [
                other
                for other, (other_type, other_words) in full.items()
                if other_type == "Person" and len(other_words) > 1 and other_words[-1] == words[0]
            ]
        if not longer and is_acronym(name):
            letters = name.replace(".", "")
            longer = [
                other
                for other, (other_type, other_words) in full.items()
                if other_type in ("Organization", "Location")
                and len(other_words) > 1
                and initials(other) == letters
            ]
        # Only an unambiguous short form is attached; "Kim" with two Kims stays apart.
        if len({match_form(o) for o in longer}) == 1:
            target = max(longer, key=lambda o: (len(o), o))
            out.append((full[target][0], target))
        else:
            out.append(item)
    return out


def _key(etype: str, name: str, optional_words: Collection[str]) -> str:
    # "General Motors Corp" and "General Motors" are one company, "the Labour Party" and
    # "Labour" one party; the name shown is the one the mentions use most.
    if etype != "Organization":
        return entity_key(etype, name)
    name = without_legal_form(name)
    head, _, last = name.rpartition(" ")
    return entity_key(etype, head if head and last.lower() in optional_words else name)


def _key_form(etype: str, name: str, optional_words: Collection[str]) -> str:
    """The name a key is made of, as `match_form` writes it ("Labour Party": "labour")."""
    return _key(etype, name, optional_words).split(":", 1)[1].replace("-", " ")


def statement_id(article_id: str, predicate: str, subject: str, obj: str, start: int) -> str:
    raw = "\x1f".join([article_id, predicate, subject, obj, str(start)])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def resolve(extraction: Extraction, ontology: Ontology) -> ArticleGraph:
    names = canonical_names(extraction.mentions, ontology)
    optional = ontology.optional_name_words
    keys: list[str | None] = [None if n is None else _key(*n, optional) for n in names]

    grouped: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if key is not None:
            grouped[key].append(i)

    entities = []
    for key, indexes in sorted(grouped.items()):
        etype, _ = names[indexes[0]]
        candidates = [names[i][1] for i in indexes]
        # The fullest name wins; ties go to the first written, so the choice is stable.
        name = max(candidates, key=lambda n: (len(n), -candidates.index(n)))
        forms = tuple(sorted({normalize_name(extraction.mentions[i].text) for i in indexes}))
        entities.append(Entity(key=key, name=name, type=etype, count=len(indexes), forms=forms))

    statements: dict[str, Statement] = {}
    article_id = extraction.article.id
    for rel in extraction.relations:
        subject, obj = keys[rel.subject], keys[rel.object]
        if subject is None or obj is None or subject == obj:
            continue
        subject_type, object_type = names[rel.subject][0], names[rel.object][0]
        if not ontology.allows(rel.predicate, subject_type, object_type):
            continue
        sentence = extraction.sentences[rel.sentence]
        sid = statement_id(article_id, rel.predicate, subject, obj, sentence.start)
        if sid in statements and statements[sid].confidence >= rel.confidence:
            continue
        statements[sid] = Statement(
            id=sid,
            subject=subject,
            predicate=rel.predicate,
            object=obj,
            sentence=sentence.text,
            start=sentence.start,
            end=sentence.end,
            confidence=rel.confidence,
            extractor=rel.extractor,
            extractor_version=rel.extractor_version,
            role=rel.role,
            past=rel.past,
        )
    return ArticleGraph(
        article=extraction.article,
        entities=tuple(entities),
        statements=tuple(sorted(statements.values(), key=lambda s: (s.start, s.id))),
        provenance=extraction.provenance,
        tokens=extraction.tokens,
    )
