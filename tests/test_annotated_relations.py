"""Annotated BBC sentences as training rows: every pair of the product's candidates in an
annotated sentence is labelled, with its relation or with none."""

from flows.clean import clean
from flows.read import make_article
from flows.relations.trained import NONE, candidate_pairs
from flows.settings import REPO_ROOT
from flows.training import judged
from flows.training.annotated_relations import (
    AnnotatedRelation,
    AnnotatedSentence,
    annotated_sentences,
    pair_labels,
)


def labels_of(extractor, ontology, text: str, relations: list[tuple[str, str, str]]):
    _, _, candidates = next(
        extractor.parse([clean(make_article("t", "t", text), ontology.drop_lines)])
    )
    types = frozenset(ontology.relation_types)
    pairs = candidate_pairs(candidates, lambda a, b: any(ontology.allows(t, a, b) for t in types))
    sentence = AnnotatedSentence("t", text, tuple(AnnotatedRelation(*r) for r in relations))
    found = pair_labels(sentence, pairs, candidates, ontology, types)
    return {
        (candidates[i].span.text, candidates[j].span.text): label for (i, j), label in found.items()
    }


def test_an_annotated_pair_takes_its_relation_and_every_other_pair_none(
    extractor, ontology
) -> None:
    found = labels_of(
        extractor,
        ontology,
        "Bill Gates, the chairman of Microsoft, spoke in Paris on Monday.",
        [("Bill Gates", "WORKS_FOR", "Microsoft")],
    )
    assert found[("Bill Gates", "Microsoft")] == "WORKS_FOR"
    others = {pair: label for pair, label in found.items() if pair != ("Bill Gates", "Microsoft")}
    assert others and set(others.values()) == {NONE}


def test_a_directed_type_wins_over_a_symmetric_one_and_a_symmetric_one_holds_both_ways(
    extractor, ontology
) -> None:
    beat = labels_of(
        extractor,
        ontology,
        "Chelsea beat Everton 1-0 at Stamford Bridge.",
        [("Everton", "OPPOSES", "Chelsea"), ("Chelsea", "DEFEATED", "Everton")],
    )
    assert beat[("Chelsea", "Everton")] == "DEFEATED"
    assert beat[("Everton", "Chelsea")] == "OPPOSES"


def test_the_learned_annotations_are_of_learned_articles_only() -> None:
    assert all(judged.learned_from(a.article) for a in judged.learned_annotations())


def test_the_measure_is_the_held_out_quarter_only() -> None:
    """docs/relations/unlearned scores models: none of its sentences may be learned from,
    and every learned file's sentence of a held-out article would be a leak."""
    measure = annotated_sentences(
        REPO_ROOT / "docs" / "relations" / "unlearned" / "bbc-relations.jsonl"
    )
    assert measure and all(judged.held_out(a.article) for a in measure)
    assert not any(judged.held_out(a.article) for a in annotated_sentences())
