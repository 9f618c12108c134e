"""`kg eval --entities`: its scoring rules on hand-made graphs, and the product on CrossRE dev."""

import json

from flows.entity_evaluation import score_entities
from flows.model import ArticleGraph, Entity, Provenance
from flows.training.data import _article, _RawSentence

from .conftest import SHARED

PROVENANCE = Provenance("m", "1", "x")
TOKENS = ("Alan", "Greenspan", "met", "Greenspan", "in", "Seoul", "and", "Chinese", "aides", ".")
ENTITIES = ((0, 2, "person"), (3, 4, "person"), (5, 6, "location"), (7, 8, "misc"))


def gold(article_id: str = "a"):
    return _article(article_id, "crossre/dev", [_RawSentence(TOKENS, ENTITIES, ())])


def node(name: str, etype: str, *forms: str) -> Entity:
    key = f"{etype.lower()}:{name.lower().replace(' ', '-')}"
    return Entity(key=key, name=name, type=etype, count=1, forms=(name, *forms))


def scores(graphs, articles, ontology) -> dict:
    return score_entities(articles, graphs, ontology, "crossre")["entities"]


def test_right_nodes_score_perfectly(ontology) -> None:
    g = gold()
    nodes = (node("Alan Greenspan", "Person", "Greenspan"), node("Seoul", "Location"))
    s = scores([ArticleGraph(g.article, nodes, (), PROVENANCE)], [g], ontology)
    assert s["found"] == {"recall": 1.0, "found": 3, "gold": 3}
    assert s["precision"]["precision"] == 1.0
    assert s["typed"]["f1"] == 1.0
    assert s["within_article_splits"] == 0


def test_junk_wrong_types_and_splits_are_counted(ontology) -> None:
    g = gold()
    nodes = (
        node("Alan Greenspan", "Person"),
        node("Greenspan", "Organization"),  # wrong type, and split from its full name
        node("Seoul", "Location"),
        node("Seoul", "Person"),  # split
        node("Chinese", "Location"),  # a misc name is not an entity
    )
    s = scores([ArticleGraph(g.article, nodes, (), PROVENANCE)], [g], ontology)
    assert s["precision"]["right"] == 4 and s["precision"]["nodes"] == 5
    assert s["typed"]["precision"] == 0.4  # Greenspan and the person Seoul are wrong typed
    assert s["within_article_splits"] == 2


def test_a_name_in_two_articles_on_two_nodes_is_not_one_node(ontology) -> None:
    a, b = gold("a"), gold("b")
    same = (node("Alan Greenspan", "Person", "Greenspan"), node("Seoul", "Location"))
    split = (node("Alan Greenspan", "Person", "Greenspan"), node("Seoul City", "Location", "Seoul"))
    s = scores(
        [
            ArticleGraph(a.article, same, (), PROVENANCE),
            ArticleGraph(b.article, split, (), PROVENANCE),
        ],
        [a, b],
        ontology,
    )
    assert s["multi_article"] == {"entities": 2, "one_node": 1, "share": 0.5}
    assert s["b_cubed"]["recall"] < 1.0 == s["b_cubed"]["precision"]


def test_an_article_the_product_rejected_counts_as_missed(ontology) -> None:
    s = scores([], [gold()], ontology)
    assert s["found"] == {"recall": 0.0, "found": 0, "gold": 3}


def test_kg_eval_entities_on_crossre_dev(run_kg) -> None:
    # `kg eval entities DIR` is `kg eval crossre DIR --entities`.
    done = run_kg("eval", "entities", str(SHARED / "data" / "crossre-news"), "--split", "dev",
                  "--json", graph="eval")  # fmt: skip
    assert done.returncode == 0, done.stderr
    e = json.loads(done.stdout)["entities"]
    assert e["found"]["gold"] == 1812  # every gold person, organization and place name
    # The targets, all met on dev since 2026-12-03 (README, "Entities"): found
    # 0.85 at precision 0.90, typed F1 0.78, at most 25 splits, one node for 95% of the
    # names several articles hold, and B-cubed F1 0.97. Dev is read by the fold
    # recognizers (flows/training/folds.py), and names are compared across articles within
    # a fold. Found and typed F1 are guarded at today's level (0.898 and 0.804), and
    # names on one node too: 218 of 227 with names typed across articles, 216 without;
    # 217 since lone surnames join their full names across articles, because one of the
    # two articles that write "Yeltsin" alone shares a full name with Boris Yeltsin's
    # articles and the other does not, and the gold here counts a name as its own entity.
    assert e["found"]["recall"] >= 0.89, e["found"]
    assert e["precision"]["precision"] >= 0.90, e["precision"]
    assert e["typed"]["f1"] >= 0.80, e["typed"]
    assert e["within_article_splits"] <= 25
    assert e["multi_article"]["share"] >= 0.955, e["multi_article"]
    assert e["b_cubed"]["f1"] >= 0.975, e["b_cubed"]
