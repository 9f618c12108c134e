"""A place's name in a results, standings or fixture line is a team (flows/teams.py)."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from flows.teams import TeamSport, club_of_a_town, in_a_team_line

from .test_extract import extract, mention_texts

NLP = spacy.blank("en")
NLP.add_pipe("sentencizer")
FIXTURE_WORDS = frozenset({"AT"})


def _span(text: str, name: str, label: str = "GPE") -> Span:
    doc = NLP(text)
    start = doc.text.index(name)
    span = doc.char_span(start, start + len(name), label=label)
    assert span is not None
    doc.ents = [span]
    return span


def _other_names(text: str, *names: str) -> Span:
    """The first name as a span, with every name marked as an entity."""
    doc = NLP(text)
    spans = [doc.char_span(text.index(n), text.index(n) + len(n), label="GPE") for n in names]
    doc.ents = spans
    return spans[0]


def test_a_place_in_a_results_or_standings_line_plays_as_a_team() -> None:
    assert in_a_team_line(_span("CHICAGO 71 64 .526 10", "CHICAGO"), FIXTURE_WORDS)
    assert in_a_team_line(_span("Australia 228-9 in 50 overs.", "Australia"), FIXTURE_WORDS)
    # After a score, mid-line: the second team of a result.
    assert in_a_team_line(_span("Pohang 3 Ulsan 2 (halftime 1-0)", "Ulsan"), FIXTURE_WORDS)


def test_a_place_with_figures_that_are_not_scores_stays_a_place() -> None:
    assert not in_a_team_line(_span("Germany 3.5 pct, France 2.1 pct.", "Germany"), FIXTURE_WORDS)
    assert not in_a_team_line(_span("NEW YORK 1996-08-30", "NEW YORK"), FIXTURE_WORDS)
    # A number after a place mid-sentence is not a results line.
    assert not in_a_team_line(_span("Rain fell in Chicago 12 times.", "Chicago"), FIXTURE_WORDS)


def test_places_either_side_of_a_fixture_word_are_teams() -> None:
    line = "BOSTON AT OAKLAND"
    assert in_a_team_line(_other_names(line, "BOSTON", "OAKLAND"), FIXTURE_WORDS)
    assert in_a_team_line(_other_names(line, "OAKLAND", "BOSTON"), FIXTURE_WORDS)
    # No name on the other side: a place after "AT" in a headline stays a place.
    assert not in_a_team_line(_span("RAIN AT OAKLAND", "OAKLAND"), FIXTURE_WORDS)


def test_the_product_types_teams_in_a_standings_table_as_organizations(extractor, ontology) -> None:
    text = (
        "BASEBALL - MAJOR LEAGUE STANDINGS.\n\nNEW YORK 1996-08-30\n\n"
        "CLEVELAND 80 53 .602 -\n\nCHICAGO 71 64 .526 10\n\n"
        "FRIDAY'S SCHEDULE\n\nBOSTON AT OAKLAND\n\n"
        "Rain is expected in Seattle on Friday."
    )
    names = mention_texts(extract(extractor, ontology, text))
    assert names.get("CLEVELAND") == names.get("CHICAGO") == "Organization", names
    assert names.get("BOSTON") == names.get("OAKLAND") == "Organization", names
    assert names.get("Seattle") == "Location", names


def test_a_town_that_has_a_club_is_the_club_where_it_is_not_written_as_a_place() -> None:
    towns, preps, travel = frozenset({"leicester"}), frozenset({"in", "near"}), frozenset()

    def club(text: str, name: str = "Leicester") -> bool:
        return club_of_a_town(_span(text, name), towns, preps, travel)

    assert club("Burnley or Blackburn v Leicester")
    assert club("H Ellis (Leicester), G Rowntree")
    assert not club("He has a house in Leicester now.")
    assert not club("Charlton v Bristol", "Bristol")
    assert not club("The Leicester-based firm grew.")


def test_an_article_about_a_team_sport_names_its_positions_or_competitions() -> None:
    team_sport = TeamSport(["scrum-half", "fa cup"])
    assert team_sport(NLP("The Leicester scrum-half was dropped."))
    assert team_sport(NLP("Leicester face Burnley in the FA Cup."))
    assert not team_sport(NLP("Leicester's mayor opened the library."))


def test_in_a_team_sport_a_club_town_is_an_organization_and_elsewhere_a_place(
    extractor, ontology
) -> None:
    # The shipped usage lexicon reads Leicester as a club's name in enough BBC articles.
    assert "leicester" in extractor.usage.club_towns
    sport = "Leicester will visit the winners in the FA Cup fourth round, the draw said."
    assert mention_texts(extract(extractor, ontology, sport)).get("Leicester") == "Organization"
    town = "Leicester will open a new library next year, the council said."
    assert mention_texts(extract(extractor, ontology, town)).get("Leicester") == "Location"


def test_a_club_town_a_team_travels_to_or_a_firm_is_based_in_is_a_place(
    extractor, ontology
) -> None:
    assert "edinburgh" in extractor.usage.club_towns
    trip = "Wales travel to Edinburgh to take on Scotland in the Six Nations, the coach said."
    assert mention_texts(extract(extractor, ontology, trip)).get("Edinburgh") == "Location"
    firm = "The Edinburgh-based firm CEC has married speech technology with search."
    assert mention_texts(extract(extractor, ontology, firm)).get("Edinburgh") == "Location"


def test_a_line_up_lists_players_and_their_clubs(extractor, ontology) -> None:
    """A squad as sports pages print it (flows/line_ups.py): the recognizer read "M
    Bortolami" as an organization, "L Nitoglia" as a place and "Munster" as a person,
    dropped "A Masi" for an article, and missed "S Grimes"."""
    squad = (
        "Italy: R de Marigny; M Pini, A Masi, G Canale, L Nitoglia; R Pez, A Troncon; "
        "A Lo Cicero, F Ongaro, M Castrogiovanni, S Dellape, M Bortolami (capt), S Parisse."
    )
    names = mention_texts(extract(extractor, ontology, squad))
    players = ("R de Marigny", "A Masi", "L Nitoglia", "A Lo Cicero", "M Bortolami", "S Parisse")
    assert {p: names.get(p) for p in players} == dict.fromkeys(players, "Person"), names
    assert "Dellape" not in names and "capt" not in names, names
    bench = "Replacements: S Grimes (Newcastle), N Lloyd (Saracens), S Payne (Munster)."
    names = mention_texts(extract(extractor, ontology, bench))
    assert names.get("S Grimes") == "Person", names
    assert {c: names.get(c) for c in ("Saracens", "Munster")} == dict.fromkeys(
        ("Saracens", "Munster"), "Organization"
    ), names
    # A side's country in the brackets, by its sports-page short form, stays the country.
    tour = "Tourists: J Fourie (SA), A Mehrtens (NZ), G Gregan (Aus, capt)."
    names = mention_texts(extract(extractor, ontology, tour))
    assert {c: names.get(c) for c in ("SA", "NZ", "Aus")} == dict.fromkeys(
        ("SA", "NZ", "Aus"), "Location"
    ), names


def test_in_a_team_sport_a_town_set_against_a_side_is_its_club(extractor, ontology) -> None:
    """ "against Cardiff", "face Rome": the opponent of a side is a side, though the usage
    lexicon names neither town a club's (the recognizer read both as places); a country
    stays the country's node, and "Holland" is the Netherlands' (schema/aliases.yaml)."""
    assert not {"cardiff", "rome"} & extractor.usage.club_towns
    for text, town in (
        ("The striker scored twice against Cardiff in the FA Cup last season.", "Cardiff"),
        ("Chelsea will face Rome in the Champions League, the striker said.", "Rome"),
    ):
        assert mention_texts(extract(extractor, ontology, text)).get(town) == "Organization"
    for side in ("Holland", "Northern Ireland", "Czech Republic"):
        qualifier = f"England will face {side} in a World Cup qualifier, the striker said."
        names = mention_texts(extract(extractor, ontology, qualifier))
        assert names.get(side) == "Location", names
    town = "Cardiff will open a new library next year, the council said."
    assert mention_texts(extract(extractor, ontology, town)).get("Cardiff") == "Location"
    # A town the recognizer read as a person's, set against a side, is the club too; a
    # surname that is a town's stays the person's where the article names them in full.
    for text, town in (
        (
            "Hearts drew at home against Livingston in the Premiership, the striker said.",
            "Livingston",
        ),
        ("Chelsea will face Anderlecht in the Champions League, the striker said.", "Anderlecht"),
    ):
        assert mention_texts(extract(extractor, ontology, text)).get(town) == "Organization"
    player = (
        "Chris Paterson kicked four penalties for Scotland, and the fly-half said the side "
        "played well against Paterson."
    )
    assert mention_texts(extract(extractor, ontology, player)).get("Paterson") == "Person"
    # The lexicon learned Barcelona's club from "against Barcelona", "Chelsea face Barcelona".
    assert "barcelona" in extractor.usage.club_towns


def test_in_a_team_sport_a_town_facing_a_side_is_its_club(extractor, ontology) -> None:
    """A side faces the other in a fixture ("Coventry v Crewe"), in a match between the two
    ("the tie between Millwall and Wrexham"), and as the side a host entertains; a country
    stays the country's node."""
    assert not {"coventry", "wrexham", "brighton"} & extractor.usage.club_towns
    for text, town in (
        ("FA Cup fourth round: Coventry v Crewe, the striker said.", "Coventry"),
        ("The FA Cup tie between Millwall and Wrexham ended in trouble, the striker said.",
         "Wrexham"),
        ("In the FA Cup, Spurs entertain Brighton at White Hart Lane, the striker said.",
         "Brighton"),
    ):  # fmt: skip
        names = mention_texts(extract(extractor, ontology, text))
        assert names.get(town) == "Organization", names
    text = "In the World Cup qualifier, Wales v Italy is sold out, the striker said."
    assert mention_texts(extract(extractor, ontology, text)).get("Wales") == "Location"
    text = "The FA Cup final will be played between Cardiff and Bristol, the striker said."
    assert mention_texts(extract(extractor, ontology, text)).get("Cardiff") == "Location"
