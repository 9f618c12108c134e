"""Place names the small model misreads, through the product's own recognizer and repair:
countries whose names join words ("Trinidad and Tobago"), read as two names, and towns
of two words or more read as people ("St Helens")."""

from __future__ import annotations

import pytest

from .test_extract import extract, mention_texts, relations


@pytest.mark.parametrize(
    ("text", "place", "not_names"),
    [
        (
            "Taran Rampersad, a blogger in Trinidad and Tobago, said the site was down.",
            "Trinidad and Tobago",
            ("Trinidad", "Tobago"),
        ),
        (
            "The Democratic Republic of Congo and Bosnia and Herzegovina signed the deal.",
            "Bosnia and Herzegovina",
            ("Bosnia", "Herzegovina"),
        ),
    ],
)
def test_a_country_whose_name_joins_words_is_one_place(
    extractor, ontology, text: str, place: str, not_names: tuple[str, ...]
) -> None:
    names = mention_texts(extract(extractor, ontology, text))
    assert names.get(place) == "Location"
    assert not set(not_names) & names.keys()


def test_a_body_named_after_such_a_country_is_one_organization(extractor, ontology) -> None:
    names = mention_texts(
        extract(extractor, ontology, "The Trinidad and Tobago Football Federation said he was fit.")
    )
    assert names == {"Trinidad and Tobago Football Federation": "Organization"}


def test_a_longer_name_holding_such_a_name_is_left_whole(extractor, ontology) -> None:
    names = mention_texts(
        extract(extractor, ontology, "Aid reached the Democratic Republic of the Congo on Monday.")
    )
    assert "Republic of the Congo" not in names
    assert any("Democratic Republic of the Congo" in name for name in names)


@pytest.mark.parametrize(
    ("text", "town"),
    [
        (
            "Wales are thought to be interested in a similar clinic with rivals St Helens.",
            "St Helens",
        ),
        ("Many of the issues discussed in Porto Alegre are Davos talking points.", "Porto Alegre"),
    ],
)
def test_a_town_of_two_words_is_no_person(extractor, ontology, text: str, town: str) -> None:
    names = mention_texts(extract(extractor, ontology, text))
    assert names.get(town) in ("Location", "Organization")


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Prince Edward will also join the UK delegation in Poland.", "Prince Edward"),
        ("In 1837 President Van Buren signed the bill.", "Van Buren"),
    ],
)
def test_a_titled_name_that_is_also_a_towns_is_a_person(
    extractor, ontology, text: str, person: str
) -> None:
    assert mention_texts(extract(extractor, ontology, text)).get(person) == "Person"


def test_an_organizations_arm_named_with_a_place_is_one_organization(extractor, ontology) -> None:
    """ "BBC Scotland's political correspondent": the recognizer reads Scotland apart, and
    the model then gave the correspondent a position for Scotland (flows/regional_arms.py).
    A place after a possessive, or qualifying the noun after it, stays a place."""
    x = extract(
        extractor,
        ontology,
        "BBC Scotland's political correspondent Glenn Campbell said no complaint had been made.",
    )
    assert mention_texts(x).get("BBC Scotland") == "Organization", x.mentions
    assert "Scotland" not in mention_texts(x), x.mentions
    assert not {r for r in relations(x) if r[2] == "Scotland"}, relations(x)
    kept = {
        "Pro-Moscow leaders in Chechnya have criticised Tim Guldimann, the Swiss diplomat who "
        "heads the OSCE Chechnya mission.": "OSCE",
        "Details were hammered out at a meeting at Mr Kilroy-Silk's Buckinghamshire home on "
        "Sunday.": "Buckinghamshire",
    }
    for text, name in kept.items():
        assert name in mention_texts(extract(extractor, ontology, text)), text
