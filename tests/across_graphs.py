"""Articles' own readings of names, built by hand for the tests of resolution across
articles (tests/test_across_*.py): each a small ArticleGraph as the transform would give
it, so that a rule's evidence is exactly what a test says it is."""

from __future__ import annotations

from flows.model import Article, ArticleGraph, Entity, Provenance, Statement
from flows.resolve import statement_id

PROVENANCE = Provenance("en_core_web_sm", "3.8.0", "trained")


def graph(
    article_id: str,
    names: dict[str, str],
    facts=(),
    forms: dict[str, tuple[str, ...]] | None = None,
) -> ArticleGraph:
    """An article's own reading: name -> type, and (subject, predicate, object) facts;
    `forms`, the other ways the article writes a name ("Mr Blair" for "Tony Blair")."""
    entities = tuple(
        sorted(
            (
                Entity(
                    f"{t.lower()}:{n.lower().replace(' ', '-')}",
                    n,
                    t,
                    1,
                    (n, *(forms or {}).get(n, ())),
                )
                for n, t in names.items()
            ),
            key=lambda e: e.key,
        )
    )
    key = {e.name: e.key for e in entities}
    sentence = " ".join(names)
    statements = tuple(
        Statement(
            id=statement_id(article_id, p, key[s], key[o], 0),
            subject=key[s],
            predicate=p,
            object=key[o],
            sentence=sentence,
            start=0,
            end=len(sentence),
            confidence=0.9,
            extractor="trained",
            extractor_version="test",
        )
        for s, p, o in facts
    )
    article = Article(article_id, f"{article_id}.txt", article_id, sentence, f"hash-{article_id}")
    return ArticleGraph(article, entities, statements, PROVENANCE)


# "Labour" alone, read as a person, in one article; a party in two others.
LONE = graph(
    "lone",
    {"Labour": "Person", "Gordon Brown": "Person", "London": "Location"},
    [("Labour", "LIVES_IN", "London"), ("Gordon Brown", "WORKS_FOR", "Labour")],
)
PARTY = [graph(f"party{n}", {"Labour": "Organization", "London": "Location"}) for n in (1, 2)]


def types_of(graphs: list[ArticleGraph]) -> dict[str, set[str]]:
    return {g.article.id: {e.key for e in g.entities} for g in graphs}


# "Nokia" read as a place once ("companies such as Nokia, Sagem, Sony and Thomson").
FIRMS = [graph(f"firm{n}", {"Nokia": "Organization"}) for n in range(10)]
SLIP = graph("slip", {"Nokia": "Location", "Sony": "Organization"})


# Full names typed two ways: "Lib Dem" a person where it modifies a noun ("Tory and Lib
# Dem leaders"), "Cate Blanchett" an organization in a list of actors.
def read_in(name: str, prefix: str, etype: str, n: int, facts=()) -> list[ArticleGraph]:
    return [graph(f"{prefix}{i}", {name: etype, "London": "Location"}, facts) for i in range(n)]


# "Blair" alone in one article; "Tony Blair", called "Mr Blair" too, in two others. Each
# names "Gordon Brown" too: the articles share a full name.
SURNAME = graph(
    "surname",
    {"Blair": "Person", "London": "Location", "Gordon Brown": "Person"},
    [("Blair", "LIVES_IN", "London")],
    forms={"Blair": ("Mr Blair",)},
)
FULL = [
    graph(
        f"full{n}",
        {"Tony Blair": "Person", "Gordon Brown": "Person"},
        forms={"Tony Blair": ("Mr Blair",)},
    )
    for n in (1, 2)
]


def keys_in(graphs: list[ArticleGraph], article_id: str) -> set[str]:
    return types_of(graphs)[article_id]


def calling(
    prefix: str, name: str, short: str, articles: int, beside: dict[str, str] | None = None
) -> list[ArticleGraph]:
    """`articles` articles that name the person `name` beside `beside` and call him
    `short` too ("Mr Blair" beside "Tony Blair")."""
    return [
        graph(f"{prefix}{n}", {name: "Person", **(beside or {})}, forms={name: (short,)})
        for n in range(articles)
    ]


def browns(
    rival_names: dict[str, str], rival_articles: int, written: tuple[str, ...] = ()
) -> list[ArticleGraph]:
    """A lone "Brown" in a Manchester United line-up (also `written` so); Gordon Brown,
    who leads, but not nine times over, in articles about Tony Blair; Wes Brown in two
    United articles; and a rival Brown named beside `rival_names` in `rival_articles`
    articles."""
    united = {"Manchester United": "Organization", "Alex Ferguson": "Person"}
    lone = graph("lone", {"Brown": "Person", **united}, forms={"Brown": written})
    gordon = calling("gb", "Gordon Brown", "Mr Brown", 10, {"Tony Blair": "Person"})
    wes = calling("wb", "Wes Brown", "Brown", 2, united)
    rival = [graph(f"r{n}", rival_names) for n in range(rival_articles)]
    return [lone, *gordon, *wes, *rival]
