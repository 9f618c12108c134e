"""A national side's player (flows/relations/sides.py): in an article about a team sport,
a person tied to a country plays for its side; elsewhere the same words place the person."""

from __future__ import annotations

from flows.clean import clean
from flows.read import make_article


def _relations(extractor, ontology, text: str) -> set[tuple[str, str, str]]:
    parsed = next(extractor.parse([clean(make_article("t", "t", text), ontology.drop_lines)]))
    extraction = extractor.extract_doc(*parsed)
    mentions = extraction.mentions
    return {
        (mentions[r.subject].text, r.predicate, mentions[r.object].text)
        for r in extraction.relations
    }


def test_a_country_in_a_team_sport_article_is_the_players_side(extractor, ontology) -> None:
    assert ontology.relation_types["LIVES_IN"].for_a_side == "HOLDS_POSITION"
    # "England's Josh Lewsey" the model reads as England's player whatever the article;
    # "of England" it reads as where he is from, unless the article is about a team sport.
    sentence = "Josh Lewsey of England was outstanding, and Jason Robinson scored twice."
    rugby = _relations(extractor, ontology, f"{sentence}\n\nThe scrum-half left at half-time.")
    assert ("Josh Lewsey", "HOLDS_POSITION", "England") in rugby, rugby
    assert not {r for r in rugby if r[1] == "LIVES_IN"}, rugby
    # Without a word of a team sport the article says where he is from, as before.
    elsewhere = _relations(extractor, ontology, sentence)
    assert ("Josh Lewsey", "LIVES_IN", "England") in elsewhere, elsewhere


def test_only_countries_are_sides(extractor, ontology) -> None:
    """A town is no side here (a club named after one is an organization): where a
    person grew up stays where he lives, in the same report."""
    text = (
        "Wayne Rooney, who grew up in Liverpool, scored before half-time.\n\n"
        "England's Josh Lewsey was outstanding."
    )
    relations = _relations(extractor, ontology, text)
    assert ("Josh Lewsey", "HOLDS_POSITION", "England") in relations, relations
    assert ("Wayne Rooney", "LIVES_IN", "Liverpool") in relations, relations


def test_a_country_set_against_the_side_is_no_side_of_its_players(extractor, ontology) -> None:
    """ "missed the Scotland game", "against South Africa": the other side. The model
    alone reads O'Driscoll as Scotland's player at 0.8."""
    article = "{}\n\nThe scrum-half left at half-time."
    game = _relations(
        extractor,
        ontology,
        article.format(
            "Ireland have been boosted by the return of star skipper Brian O'Driscoll, "
            "who missed the Scotland game with a hamstring injury."
        ),
    )
    assert ("Brian O'Driscoll", "HOLDS_POSITION", "Ireland") in game, game
    assert ("Brian O'Driscoll", "HOLDS_POSITION", "Scotland") not in game, game
    against = _relations(
        extractor,
        ontology,
        article.format(
            "The Irish line-up shows nine changes from the team which started against "
            "South Africa with winger Tommy Bowe and flanker Denis Leamy making their debuts."
        ),
    )
    assert not {r for r in against if r[1] == "HOLDS_POSITION" and r[2] == "South Africa"}, against
    # A country whose player the sentence names is that player's side, "against" or not.
    named = _relations(
        extractor,
        ontology,
        article.format(
            "The 17-year-old will play alongside David Sherwood against Israel's Jonathan Erlich."
        ),
    )
    assert ("Jonathan Erlich", "HOLDS_POSITION", "Israel") in named, named


def test_a_side_taken_on_is_the_other_side(extractor, ontology) -> None:
    """ "take on Ireland": a verb with its particle (`opponent_verbs`) sets the country
    against the side. The model alone reads Wilkinson as Ireland's player."""
    relations = _relations(
        extractor,
        ontology,
        "England will have to take on Ireland in the Six Nations without captain and "
        "goal-kicker Jonny Wilkinson, according to his Newcastle boss Rob Andrew.\n\n"
        "The scrum-half left at half-time.",
    )
    assert not {r for r in relations if r[1] == "HOLDS_POSITION" and r[2] == "Ireland"}, relations
