"""The type a name takes across articles (flows/across_articles.py). Each article types its
names by itself, and the recognizer mistypes a name now and then: a party or club as a
person when it modifies a noun ("Tory and Lib Dem leaders", "Manchester United's
players"), a person as an organization in a list ("Johnny Depp, Cate Blanchett and
Leonardo DiCaprio"). Each rule decides from how many articles give the name each type,
so it is a function of the set of articles:

- **a lone word** read as a person takes the non-person type most articles give it, or
  as many as read it as a person (`lone_type`); one read as a place that no place list
  knows takes the organization type where ten times as many articles give it
  (`place_type`: "Nokia", "Everton");
- **a full name** that starts with a given name or an initial ("Cate Blanchett", "S
  Parisse") is a person everywhere when an article that reads it so also calls it by its
  surname, or more articles read it as a person than as anything else, and is never
  retyped away from Person: a firm named like a person ("William Hill", the bookmaker)
  and a person in a list are told apart only by such evidence. Any other full name read
  as a person takes the non-person type that at least twice as many articles give it,
  and at least three ("Lib Dem": an organization in 26 BBC articles, a person in 13)
  (`full_type`).

Neither rule trades one non-person type for another: a club and its town are two
entities, and the per-article rule of team sport tells them apart.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from flows.given_names import is_given_name
from flows.ontology import Ontology
from flows.places import place_forms

PERSON = "Person"
PLACE = "Location"
ORGANIZATION = "Organization"
# A full name read as a person gives way to a non-person type only where that many more
# articles give it, and at least this many: 2 articles against 1 is no evidence.
FULL_DOMINANCE = 2
FULL_MIN_ARTICLES = 3
# A lone word read as a place that no place list knows gives way to an organization only
# on overwhelming evidence: a town and its club are two entities, and a club's town may be
# too small for the lists ("Burnley": a club in 6 BBC articles, the town in 1).
PLACE_DOMINANCE = 10
PLACE_MIN_ARTICLES = 10
# The places that keep their place readings whatever the count: GeoNames' towns of this
# many people or more (Fulham, a London district of 87,000, "football indoors in Fulham";
# not Nokia, a Finnish town of 36,000, "companies such as Nokia, Sagem, Sony").
KNOWN_PLACE_POPULATION = 50_000


def _leading_other(by_type: Counter[str]) -> str | None:
    """The one non-person type most articles give the name; None on a tie or none."""
    others = {t: n for t, n in by_type.items() if t != PERSON and n > 0}
    if not others:
        return None
    best = max(sorted(others), key=lambda t: others[t])
    return best if list(others.values()).count(others[best]) == 1 else None


def lone_type(by_type: Counter[str]) -> str | None:
    """The type rule for a lone word read as a person: the non-person type most articles
    give the name, when exactly one leads and at least as many articles give it as give
    Person. A lone word is rarely all a person is called, so a tie goes to the other type
    ("Somerset", "Ericsson": a person in one article, an organization in another)."""
    best = _leading_other(by_type)
    return best if best is not None and by_type[best] >= by_type[PERSON] else None


def place_type(by_type: Counter[str], form: str, ontology: Ontology) -> str | None:
    """The type rule for a lone word read as a place ("Nokia, Sagem, Sony and Thomson",
    "loaned to Everton", "lost faith in Labour"): an organization where at least ten times
    as many articles, and ten, read it so, and no place list knows the name."""
    if form in known_places(ontology):
        return None
    enough = max(PLACE_MIN_ARTICLES, PLACE_DOMINANCE * by_type[PLACE])
    return ORGANIZATION if by_type[ORGANIZATION] >= enough else None


def known_places(ontology: Ontology) -> frozenset[str]:
    """The places of the lists (flows/places.py) and the schema, as key forms."""
    population = min(ontology.min_city_population, KNOWN_PLACE_POPULATION)
    return _known_places(
        population,
        frozenset(form for etype, form in ontology.aliases if etype == PLACE)
        | frozenset(form for form, etype in ontology.gazetteer_types.items() if etype == PLACE),
    )


@cache
def _known_places(min_city_population: int, schema_places: frozenset[str]) -> frozenset[str]:
    listed = place_forms(min_city_population) if min_city_population else frozenset()
    return frozenset(f.replace(" ", "-") for f in listed | schema_places)


def starts_like_a_person(form: str) -> bool:
    """A full name (a key's match form) whose first word is a given name or an initial:
    "cate-blanchett", "s-parisse" (a team sheet's "S Parisse")."""
    first = form.split("-", 1)[0]
    return (len(first) == 1 and first.isalpha()) or is_given_name(first)


def full_type(by_type: Counter[str], form: str, read_as: str, called: int) -> str:
    """The type an article's reading of a full name takes, given how many articles give
    the name each type, and how many of those reading it as a person also call it by its
    surname ("Blanchett"). Only a name some article reads as a person and some as something
    else is decided; every other reading stands."""
    people = by_type[PERSON]
    others = sum(n for t, n in by_type.items() if t != PERSON)
    if not people or not others:
        return read_as
    if starts_like_a_person(form):
        # A person where an article calls it by its surname or most articles read it so;
        # else it stays as read: "William Hill" and "Johnson Controls" are firms.
        return PERSON if called or people > others else read_as
    if read_as != PERSON:
        return read_as
    best = _leading_other(by_type)
    if best is None or by_type[best] < max(FULL_MIN_ARTICLES, FULL_DOMINANCE * people):
        return read_as
    return best


def counterpart(ontology: Ontology, predicate: str, subject: str, object_: str) -> str | None:
    """The predicate a statement takes once its arguments are these types: itself where
    it allows them, else the one relation type that allows them and covers a label it
    covers in some annotation scheme ("Barentsburg LIVES_IN Russia" is LOCATED_IN once
    Barentsburg is a place: both are CrossRE's `physical`); None where there is not
    exactly one."""
    if ontology.allows(predicate, subject, object_):
        return predicate
    labels = ontology.relation_types[predicate].schemes
    fits = [
        name
        for name, rtype in ontology.relation_types.items()
        if ontology.allows(name, subject, object_)
        and any(set(found) & set(rtype.schemes.get(scheme, ())) for scheme, found in labels.items())
    ]
    return fits[0] if len(fits) == 1 else None
