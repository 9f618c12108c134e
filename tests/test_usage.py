"""Products and works are no entities: a name the news corpus writes as a kind of thing
in a large share of the articles naming it ("an iPod", "the Xbox console", "the Harry
Potter films") is dropped in every article, decided from the corpus, not from a list."""

import hashlib
import json

import pytest

from flows.errors import ConfigError
from flows.extract import Extractor
from flows.settings import REPO_ROOT
from flows.training.usage import build_lexicon, owned_noun, titles_of_works
from flows.usage import LEXICON_FILE, NameUsage, UsageLexicon, UsageWords, speaks
from flows.usage import written_as_a_thing as as_a_thing

from .conftest import SHARED
from .test_extract import extract


def span(extractor, text: str, name: str, label: str = "ORG"):
    doc = extractor.nlp(text)
    start = text.rfind(name)
    return doc.char_span(start, start + len(name), label=label)


@pytest.fixture(scope="module")
def words(ontology) -> UsageWords:
    return UsageWords.of(ontology)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Fans queued for the Xbox games console on Friday.", "Xbox"),
        ("The third Harry Potter film opens in June.", "Harry Potter"),
        ("He bought an iPod for his daughter.", "iPod"),
        ("The chancellor will deliver his Budget next month.", "Budget"),
        ("Microsoft will show the next Xbox in May.", "Xbox"),
        ("Leigh's film Vera Drake won the prize.", "Vera Drake"),
        # A person's name right before a show's noun is the show's.
        ("He told BBC One's Breakfast with Frost programme he would stay.", "Frost"),
    ],
)
def test_a_name_written_as_a_kind_of_thing(extractor, words, text, name) -> None:
    assert as_a_thing(span(extractor, text, name, "PERSON" if name == "Frost" else "ORG"), words)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Sony said profits rose at its games division.", "Sony"),
        ("Shares in Apple rose after the launch.", "Apple"),
        ("She works for the BBC in London.", "BBC"),
        # The article belongs to the whole phrase, not to the first name in it.
        ("The World, a BBC World Service and WGBH co-production, is on air.", "BBC World Service"),
        # An initial in a team sheet is no article.
        ("Italy: A Troncon, S Dallan.", "Troncon"),
        # A broadcaster's name before a show's noun is the show's maker.
        ("McDonald's is to sponsor a popular MTV show for teenagers.", "MTV"),
    ],
)
def test_a_name_written_as_someone(extractor, words, text, name) -> None:
    assert not as_a_thing(span(extractor, text, name), words)


def test_a_name_that_says_something_speaks(extractor, words) -> None:
    assert speaks(span(extractor, "Sony said profits rose.", "Sony"), words)
    assert not speaks(span(extractor, "Fans said Sony was late.", "Sony"), words)


CORPUS = [
    "He bought an iPod. Apple sold it.",
    "Apple makes the iPod mini, an iPod with less room.",
    "Apple said the iPod sold well.",
    "The iPod was launched by Apple in 2001.",
    "Apple said sales rose. Apple added that it was pleased.",
    "Apple laptops sold well.",
]


@pytest.fixture(scope="module")
def corpus_lexicon(extractor, ontology) -> UsageLexicon:
    return build_lexicon(extractor.nlp.pipe(CORPUS), ontology)


def test_a_title_after_a_noun_of_a_work_counts_unread(extractor, words) -> None:
    # The recognizer reads no name in "movie The Aviator": the title counts all the same.
    doc = extractor.nlp("He got the Oscar-nominated movie The Aviator off the ground.")
    assert [t.text for t in titles_of_works(doc, words)] == ["Aviator"]
    # A name it read counts as it read it; a word in lower case is no title.
    doc = extractor.nlp("After the film Tony Blair said the film industry was doing well.")
    assert [t.text for t in titles_of_works(doc, words)] == []


BANDS = [
    "Scottish rock band Franz Ferdinand have won two awards.",
    "Glasgow group Franz Ferdinand won two prizes on Tuesday night.",
    "Franz Ferdinand played in London on Friday.",
    "The album by Franz Ferdinand sold well in Europe.",
    "Pop singer Joss Stone won two prizes on Tuesday night.",
    "The band Joss Stone played in London on Friday.",
    "Joss Stone played in London on Friday.",
    "The site's publisher Jason Grady said it would fight.",
    "Jason Grady lives in New York.",
]


def test_a_person_s_name_a_noun_calls_a_group(extractor, ontology) -> None:
    lexicon = build_lexicon(extractor.nlp.pipe(BANDS), ontology)
    band = lexicon.names["franz ferdinand"]
    assert (band.articles, band.group, band.personal) == (4, 2, 0)
    assert lexicon.is_group("franz ferdinand")
    # A singer called a band once is still someone: a noun has called her someone.
    assert lexicon.names["joss stone"].personal == 1
    assert not lexicon.is_group("joss stone")
    # A noun with a possessor is a role: "the site's publisher".
    assert "jason grady" not in lexicon.names


def test_an_owned_noun_is_a_role(extractor) -> None:
    assert owned_noun(span(extractor, "The site's publisher Jason Grady said no.", "Jason Grady"))
    assert not owned_noun(span(extractor, "Glasgow group Franz Ferdinand won.", "Franz Ferdinand"))


def test_a_group_read_as_a_person_is_an_organization(extractor, ontology) -> None:
    usage = UsageLexicon(
        {
            "franz ferdinand": NameUsage(articles=17, thing=0, speaker=0, group=2),
            "keane": NameUsage(articles=15, thing=0, speaker=0, group=2),
        },
        "test",
    )
    every = Extractor(extractor.nlp, ontology, (), extractor.casing, 0.0, usage)

    def types(text: str) -> dict[str, str]:
        return {m.text: m.label for m in extract(every, ontology, text).mentions}

    assert types("Franz Ferdinand played in London on Friday.")["Franz Ferdinand"] == (
        "Organization"
    )
    assert types("Keane played in London on Friday.").get("Keane") == "Organization"
    # A surname in a match report is a player's; a word of a longer name is that name's.
    sheet = "Man Utd: Carroll, Gary Neville, Ferdinand, Brown, Heinze, Keane, Fortune, Rooney."
    report = f"Manchester United beat Arsenal 2-0 in the Premiership. {sheet}"
    assert types(report).get("Keane") in (None, "Person")
    assert types("Roy Keane was booked. Keane played on.").get("Keane") in (None, "Person")


def test_the_lexicon_counts_articles(corpus_lexicon) -> None:
    ipod, apple = corpus_lexicon.names["ipod"], corpus_lexicon.names["apple"]
    assert (ipod.articles, ipod.thing, ipod.speaker) == (4, 2, 0)
    assert (apple.articles, apple.thing) == (6, 1)
    assert apple.speaker == 2  # "Apple said", twice in one article counts once
    assert corpus_lexicon.is_thing("ipod") is False  # 2 articles: too few to tell


def test_a_thing_needs_enough_articles_a_share_of_them_and_no_voice() -> None:
    lexicon = UsageLexicon(
        {
            "xbox": NameUsage(articles=33, thing=16, speaker=0),
            "labour party": NameUsage(articles=39, thing=5, speaker=0),  # 13%
            "ukip": NameUsage(articles=13, thing=3, speaker=1),  # 23%, but it speaks
            "obe": NameUsage(articles=4, thing=3, speaker=0),
            "cabir": NameUsage(articles=2, thing=2, speaker=0),
        },
        "test",
    )
    assert [n for n in sorted(lexicon.names) if lexicon.is_thing(n)] == ["obe", "xbox"]


def test_the_same_corpus_gives_the_same_lexicon(extractor, ontology, corpus_lexicon, tmp_path):
    first, second = tmp_path / "a" / LEXICON_FILE, tmp_path / "b" / LEXICON_FILE
    first.parent.mkdir()
    second.parent.mkdir()
    corpus_lexicon.save(first)
    build_lexicon(extractor.nlp.pipe(CORPUS), ontology).save(second)
    assert first.read_bytes() == second.read_bytes()  # `make train` is reproducible
    assert UsageLexicon.load(first) == corpus_lexicon


def test_the_shipped_lexicon_is_data_and_its_card_names_the_data_in_shared() -> None:
    directory = REPO_ROOT / "models" / "usage"
    card = json.loads((directory / "card.json").read_text())
    lexicon = UsageLexicon.load(directory / LEXICON_FILE)
    assert lexicon.version == card["version"]
    assert (len(lexicon.names), sum(map(lexicon.is_thing, lexicon.names))) == (
        card["names"],
        card["things"],
    )
    data = SHARED / "data"
    for name, digest in card["training_data"].items():
        path = next(data.rglob(name))
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
    assert sum(map(lexicon.is_group, lexicon.names)) == card["groups"]
    assert lexicon.is_group("franz ferdinand")
    for thing in ("xbox", "ipod", "harry potter", "windows", "budget", "aviator", "frost"):
        assert lexicon.is_thing(thing), (thing, lexicon.names.get(thing))
    for name in ("apple", "sony", "microsoft", "bbc", "labour party", "beatles"):
        assert not lexicon.is_thing(name), (name, lexicon.names.get(name))


def test_a_damaged_lexicon_is_one_clear_error(tmp_path) -> None:
    (tmp_path / LEXICON_FILE).write_bytes(b"not gzip")
    with pytest.raises(ConfigError, match="usage lexicon"):
        UsageLexicon.load(tmp_path / LEXICON_FILE)


def test_a_thing_is_no_entity_in_any_article(extractor, ontology) -> None:
    # The shipped lexicon: this article says nothing of what the Xbox is.
    x = extract(extractor, ontology, "Microsoft hopes the Xbox will sell in Japan this year.")
    names = {m.text for m in x.mentions}
    assert "Microsoft" in names and "Japan" in names, names
    assert "Xbox" not in names, names


def test_one_word_that_may_be_someone_is_no_thing(extractor, ontology) -> None:
    # "Ray" is a film on the BBC, and James Earl Ray in CoNLL04.
    usage = UsageLexicon({"ray": NameUsage(articles=10, thing=10, speaker=0)}, "test")
    every = Extractor(extractor.nlp, ontology, (), extractor.casing, 0.0, usage)
    text = "James Earl Ray was held in Memphis. Ray pleaded guilty to the killing."
    assert "James Earl Ray" in {m.text for m in extract(every, ontology, text).mentions}
    x = extract(every, ontology, "Ray pleaded guilty to the killing in Memphis.")
    assert "Ray" in {m.text for m in x.mentions}, x.mentions


def test_an_honorific_says_someone_whatever_the_corpus_says(extractor, words) -> None:
    usage = UsageLexicon({"greenspan": NameUsage(articles=10, thing=10, speaker=0)}, "test")
    honorifics = extractor.repair.words.honorifics
    bare = span(extractor, "Greenspan sold well in Ottawa.", "Greenspan", "PERSON")
    titled = span(extractor, "Mr Greenspan sold well in Ottawa.", "Greenspan", "PERSON")
    assert usage.names_a_thing(bare, "greenspan", honorifics, set())
    assert not usage.names_a_thing(titled, "greenspan", honorifics, set())
