"""Scoring rules of `kg eval`, and the gold readers that feed it."""

from pathlib import Path

import pytest

from flows.evaluation import score_conll04, score_crossre
from flows.model import ArticleGraph, Entity, Provenance, Statement
from flows.training.data import detokenize, read_conll04, read_crossre

from .conftest import SHARED

TEXT = "John Wilkes Booth shot President Lincoln."
PROVENANCE = Provenance("m", "1", "x")


def gold():
    return read_conll04_like(
        tokens=["John", "Wilkes", "Booth", "shot", "President", "Lincoln", "."],
        entities=[(0, 3, "Peop"), (5, 6, "Peop")],
        relations=[(0, 1, "Kill")],
    )


def read_conll04_like(tokens, entities, relations):
    from flows.training.data import _article, _RawSentence

    return [_article("a", "conll04/test", [_RawSentence(tuple(tokens), tuple(entities),
                                                        tuple(relations))])]  # fmt: skip


def graph(subject: tuple[str, str], predicate: str, obj: tuple[str, str]) -> ArticleGraph:
    article = gold()[0].article
    entities = tuple(
        Entity(key=f"{t.lower()}:{n}", name=n, type=t, count=1, forms=(n,))
        for n, t in {subject, obj}
    )
    statement = Statement(
        id="s", subject=f"{subject[1].lower()}:{subject[0]}", predicate=predicate,
        object=f"{obj[1].lower()}:{obj[0]}", sentence=TEXT, start=0, end=len(TEXT),
        confidence=1.0, extractor="trained", extractor_version="1",
    )  # fmt: skip
    return ArticleGraph(article, entities, (statement,), PROVENANCE)


def strict(ontology, g: ArticleGraph) -> dict:
    return score_conll04(gold(), [g], ontology)["strict"]["overall"]


def test_detokenized_text_keeps_each_tokens_span() -> None:
    tokens = ["He", "said", "``", "no", "''", "(", "U.S.", ")", "on", "Bush", "'s", "plan", "."]
    text, spans = detokenize(tokens)
    assert text == 'He said "no" (U.S.) on Bush\'s plan.'
    assert [text[a:b] for a, b in spans] == [
        "He", "said", '"', "no", '"', "(", "U.S.", ")", "on", "Bush", "'s", "plan", ".",
    ]  # fmt: skip


def test_an_exact_statement_scores_perfectly(ontology) -> None:
    g = graph(("John Wilkes Booth", "Person"), "KILLED", ("Lincoln", "Person"))
    assert strict(ontology, g) == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0, "gold": 1, "found": 1, "statements": 1,
        "right": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    "g",
    [
        graph(("Wilkes Booth", "Person"), "KILLED", ("Lincoln", "Person")),  # a name cut short
        graph(("John Wilkes Booth", "Organization"), "KILLED", ("Lincoln", "Person")),  # type
        graph(("John Wilkes Booth", "Person"), "MEETS", ("Lincoln", "Person")),  # relation
        graph(("Lincoln", "Person"), "KILLED", ("John Wilkes Booth", "Person")),  # direction
    ],
)
def test_strict_scoring_counts_any_difference_as_wrong(ontology, g) -> None:
    overall = strict(ontology, g)
    assert overall["found"] == 0
    # MEETS is no CoNLL04 type: outside the scheme, it is neither right nor wrong.
    assert overall["statements"] == (0 if g.statements[0].predicate == "MEETS" else 1)


def test_crossre_unlabeled_ignores_type_and_direction_typed_does_not(ontology) -> None:
    g = graph(("Lincoln", "Person"), "WORKS_FOR", ("John Wilkes Booth", "Person"))
    # A CrossRE view of the same sentence: "Kill" is no CrossRE label, so typed misses.
    scores = score_crossre(gold(), [g], ontology)
    assert scores["unlabeled"]["overall"]["found"] == 1
    assert scores["typed"]["overall"]["found"] == 0
    assert scores["typed"]["overall"]["statements"] == 1


def test_an_article_the_product_rejected_counts_as_missed(ontology) -> None:
    assert score_conll04(gold(), [], ontology)["strict"]["overall"]["gold"] == 1


def test_gold_readers_keep_every_relation() -> None:
    conll = read_conll04(SHARED / "data" / "conll04", "test")
    assert len(conll) == 288
    assert sum(len(s.relations) for a in conll for s in a.sentences) == 422
    dev = read_crossre(SHARED / "data" / "crossre-news", "dev")
    assert sum(len(s.sentences) for s in dev) == 1670
    assert sum(len(s.relations) for a in dev for s in a.sentences) == 1393
    for article in dev[:20]:
        for sentence in article.sentences:
            for entity in sentence.entities:
                assert article.article.text[entity.start : entity.end] == entity.text


def test_a_missing_split_is_one_clear_error(tmp_path: Path) -> None:
    from flows.errors import ConfigError

    with pytest.raises(ConfigError, match="missing"):
        read_crossre(tmp_path, "dev")


def test_a_damaged_recognizer_card_is_one_clear_error(tmp_path) -> None:
    from flows.errors import ConfigError
    from flows.evaluation import held_out_folds
    from flows.pool import ExtractConfig

    (tmp_path / "ner").mkdir()
    (tmp_path / "ner" / "card.json").write_text("{not json")
    config = ExtractConfig("m", "schema", (), str(tmp_path), recognizer=str(tmp_path / "ner"))
    with pytest.raises(ConfigError, match=r"card\.json: not valid JSON"):
        held_out_folds("crossre", tmp_path, "dev", config)
    # No card, no folds: the split is read by the recognizer as shipped.
    (tmp_path / "ner" / "card.json").unlink()
    assert held_out_folds("crossre", tmp_path, "dev", config) is None


def test_a_fold_swaps_in_its_models_for_the_shipped_ones_only(tmp_path) -> None:
    from flows.pool import ExtractConfig
    from flows.training.folds import fold_config

    shipped = ExtractConfig(
        "m", "schema", ("trained",), str(tmp_path), recognizer=str(tmp_path / "ner")
    )
    fold = fold_config(shipped, 3)
    assert fold.recognizer == str(tmp_path / "ner-folds" / "fold-3")
    assert fold.relation_model == str(tmp_path / "relations-folds" / "fold-3")
    # A recognizer or relation model of the user's own is what they asked to measure.
    own = ExtractConfig("m", "schema", ("trained",), str(tmp_path), recognizer="/mine/ner",
                        relation_model="/mine/relations")  # fmt: skip
    assert fold_config(own, 3) == own
